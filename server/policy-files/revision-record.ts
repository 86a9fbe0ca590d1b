/**
 * What one PolicyRevision recorded, read from its before/after JSON in any of the three forms
 * the stores write: the parameter store's flat `{name: value}` (every parameter row), a table
 * change's `{"table": {name: state}}` (server/maps/table-store.ts replace() and delete()), and
 * a whole-policy change's `{"parameters": {...}, "tables": {name: state}}` (commitPolicy()).
 * A table state is `{kind, source}`, `{kind, bytes, sha256}` when it was larger than the store
 * keeps in a revision, or null when the table did not exist.
 * Exports: RecordedTable, RevisionSide, readRevisionSide, describeDigest, sourceDigest.
 * A side that is not JSON, or not one of these forms, reads as recording nothing.
 */
import crypto from 'node:crypto';
import type { TableKind } from '../maps/table-store.ts';

export type RecordedTable =
  | { readonly kind: TableKind; readonly source: string }
  | { readonly kind: TableKind; readonly bytes: number; readonly sha256: string }
  | null;

export interface RevisionSide {
  readonly parameters: Readonly<Record<string, string>> | null; // every parameter row; null: not recorded
  readonly tables: ReadonlyMap<string, RecordedTable>;          // the tables this revision changed
}

/** readRevisionSide - one side (before or after) of a revision. */
export function readRevisionSide(text: string): RevisionSide {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { parameters: null, tables: new Map() };
  }
  if (!isObject(value)) return { parameters: null, tables: new Map() };
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'table' && isObject(value.table)) {
    return { parameters: null, tables: readTables(value.table) };
  }
  if (isObject(value.parameters) && (value.tables === undefined || isObject(value.tables)) && keys.every((k) => k === 'parameters' || k === 'tables')) {
    return { parameters: readStrings(value.parameters), tables: isObject(value.tables) ? readTables(value.tables) : new Map() };
  }
  if (Object.values(value).every((v) => typeof v === 'string')) return { parameters: value as Record<string, string>, tables: new Map() };
  return { parameters: null, tables: new Map() };
}

/** describeDigest - how a table known only by digest is shown: `N bytes, sha256 HEX`. */
export function describeDigest(table: { bytes: number; sha256: string }): string {
  return `${table.bytes} bytes, sha256 ${table.sha256}`;
}

/** sourceDigest - the size and digest a revision records for a table source of that text. */
export function sourceDigest(source: string): { bytes: number; sha256: string } {
  return { bytes: source.length, sha256: crypto.createHash('sha256').update(source).digest('hex') };
}

function readTables(value: Record<string, unknown>): Map<string, RecordedTable> {
  const tables = new Map<string, RecordedTable>();
  for (const [name, state] of Object.entries(value)) {
    if (state === null) tables.set(name, null);
    else if (isObject(state) && typeof state.kind === 'string' && typeof state.source === 'string') {
      tables.set(name, { kind: state.kind as TableKind, source: state.source });
    } else if (isObject(state) && typeof state.kind === 'string' && typeof state.bytes === 'number' && typeof state.sha256 === 'string') {
      tables.set(name, { kind: state.kind as TableKind, bytes: state.bytes, sha256: state.sha256 });
    }
  }
  return tables;
}

function readStrings(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
