/**
 * How a change to stored tables is recorded in a PolicyRevision (policy_revision.before and
 * .after): `{"table": {NAME: {kind, source}}}` with the whole table as postmap source, or its
 * kind, size and SHA-256 when the source is longer than REVISION_TEXT_LIMIT; null for a table
 * that does not exist on that side. Also the timestamps these rows carry.
 * Exports: TableState, revisionText, describeTableStates, prismaTimestamp, nextUpdatedAt.
 * XXX a revision keeps the whole table before and after only up to REVISION_TEXT_LIMIT; larger
 * tables are recorded by size and digest, so they cannot be restored from history.
 */
import crypto from 'node:crypto';
import type { TableKind } from './table-line.ts';

export type TableState = { kind: TableKind; source: string };

const REVISION_TEXT_LIMIT = 1_000_000;

/** revisionText - the before or after of a one-table revision. */
export function revisionText(name: string, state: TableState | null): string {
  return JSON.stringify({ table: { [name]: describeTableState(state) } });
}

/** describeTableStates - the `tables` member of a whole-policy revision, by name. */
export function describeTableStates(states: Record<string, TableState | null>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(states).sort().map((name) => [name, describeTableState(states[name])]));
}

function describeTableState(state: TableState | null): unknown {
  if (state === null || state.source.length <= REVISION_TEXT_LIMIT) return state;
  const sha256 = crypto.createHash('sha256').update(state.source).digest('hex');
  return { kind: state.kind, bytes: state.source.length, sha256 };
}

/** prismaTimestamp - a DateTime as Prisma's SQLite adapter writes it, so the console reads these rows back. */
export function prismaTimestamp(): string {
  return new Date().toISOString().replace('Z', '+00:00');
}

/**
 * nextUpdatedAt - the table's new updated_at: now, or one millisecond past the old stamp when
 * the clock has not moved on, because updated_at is part of the stamp by which the gateway
 * recompiles only changed tables, and two changes in one millisecond must still differ.
 */
export function nextUpdatedAt(previous: string): string {
  const now = prismaTimestamp();
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString().replace('Z', '+00:00');
}
