/**
 * The policy history as the console shows it: revisions newest first, a page at a time, and
 * one revision as a diff against the policy before it: parameters added, changed and removed,
 * and for each table it changed a line diff of its source (line-diff.ts), or its size and
 * digest where only those were recorded (revision-record.ts).
 * Exports: RevisionSummary, RevisionPage, ParameterDiff, TableDiff, RevisionDiff,
 * listRevisions, getRevisionDiff.
 * Reads policy_revision through Prisma, only the columns shown.
 */
import type { PrismaClient } from '../db/client.ts';
import type { TableKind } from '../maps/table-store.ts';
import { diffLines, type DiffHunk } from './line-diff.ts';
import { describeDigest, readRevisionSide, type RecordedTable } from './revision-record.ts';

export interface RevisionSummary {
  id: number;
  createdAt: string; // ISO time
  actor: string;
  summary: string;
}

export interface RevisionPage {
  revisions: RevisionSummary[];
  page: number;      // 1-based
  pageSize: number;
  total: number;     // revisions in all
  pages: number;
}

export interface ParameterDiff {
  name: string;
  change: 'added' | 'changed' | 'removed'; // added: was its default; removed: back to its default
  before: string | null;
  after: string | null;
}

export interface TableDiff {
  name: string;
  change: 'created' | 'changed' | 'deleted';
  kindBefore: TableKind | null;
  kindAfter: TableKind | null;
  hunks: DiffHunk[] | null;  // null when a side is known only by its digest
  before: string | null;     // `N bytes, sha256 ...` when only that was recorded
  after: string | null;
}

export interface RevisionDiff extends RevisionSummary {
  previousId: number | null;               // the revision before it, if any
  parameters: ParameterDiff[] | null;      // null: this revision did not change parameters
  tables: TableDiff[];
}

const MAX_PAGE_SIZE = 200;

/** listRevisions - one page of revisions, newest first; a page past the end is empty. */
export async function listRevisions(prisma: PrismaClient, options: { page?: number; pageSize?: number } = {}): Promise<RevisionPage> {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? 25)));
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const [total, rows] = await Promise.all([
    prisma.policyRevision.count(),
    prisma.policyRevision.findMany({
      select: { id: true, createdAt: true, actor: true, summary: true },
      orderBy: { id: 'desc' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return {
    revisions: rows.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), actor: r.actor, summary: r.summary })),
    page,
    pageSize,
    total,
    pages: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/** getRevisionDiff - one revision and what it changed; null when there is no such revision. */
export async function getRevisionDiff(prisma: PrismaClient, id: number): Promise<RevisionDiff | null> {
  const row = await prisma.policyRevision.findUnique({
    where: { id },
    select: { id: true, createdAt: true, actor: true, summary: true, before: true, after: true },
  });
  if (row === null) return null;
  const previous = await prisma.policyRevision.findFirst({ where: { id: { lt: id } }, orderBy: { id: 'desc' }, select: { id: true } });
  const before = readRevisionSide(row.before);
  const after = readRevisionSide(row.after);
  const parameters = before.parameters !== null && after.parameters !== null ? diffParameters(before.parameters, after.parameters) : null;
  const names = [...new Set([...before.tables.keys(), ...after.tables.keys()])].sort();
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    actor: row.actor,
    summary: row.summary,
    previousId: previous?.id ?? null,
    parameters,
    tables: names.map((name) => diffTable(name, before.tables.get(name) ?? null, after.tables.get(name) ?? null)),
  };
}

function diffParameters(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): ParameterDiff[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const diffs: ParameterDiff[] = [];
  for (const name of names) {
    const was = before[name] ?? null;
    const is = after[name] ?? null;
    if (was === is) continue;
    diffs.push({ name, change: was === null ? 'added' : is === null ? 'removed' : 'changed', before: was, after: is });
  }
  return diffs;
}

function diffTable(name: string, before: RecordedTable, after: RecordedTable): TableDiff {
  const change = before === null ? 'created' : after === null ? 'deleted' : 'changed';
  const text = (t: RecordedTable): string | null => (t === null ? '' : 'source' in t ? t.source : null);
  const was = text(before);
  const is = text(after);
  return {
    name,
    change,
    kindBefore: before?.kind ?? null,
    kindAfter: after?.kind ?? null,
    hunks: was !== null && is !== null ? diffLines(was, is) : null,
    before: before !== null && !('source' in before) ? describeDigest(before) : null,
    after: after !== null && !('source' in after) ? describeDigest(after) : null,
  };
}
