/**
 * One page of a stored table's entries for the console: an optional search (a substring of the
 * key or of the value, any case), sorted by position (file order), key or value, either way,
 * with LIMIT/OFFSET paging and the counts the pager needs. Served by the indexes on
 * (table_id, position), (table_id, key) and (table_id, value) (prisma/schema.prisma), so a
 * page of a 100,000-entry table costs a search scan at most, never a sort of the whole table.
 * Exports: TABLE_ENTRY_SORTS, TableEntrySort, TableEntryQuery, TableEntryRow, TableEntryPage,
 * readTableEntryPage.
 */
import type Database from 'better-sqlite3';
import type { TableKind } from './table-line.ts';

export const TABLE_ENTRY_SORTS = ['position', 'key', 'value'] as const;
export type TableEntrySort = (typeof TABLE_ENTRY_SORTS)[number];

export interface TableEntryQuery {
  readonly search?: string;         // substring of key or value, any case; '' or absent: every entry
  readonly sort?: TableEntrySort;   // default position
  readonly descending?: boolean;
  readonly offset: number;
  readonly limit: number;
}

export interface TableEntryRow {
  readonly position: number;
  readonly key: string;
  readonly value: string;
}

export interface TableEntryPage {
  readonly kind: TableKind;
  readonly updatedAt: string;
  readonly total: number;           // entries in the table
  readonly matched: number;         // entries the search matches (total without one)
  readonly rows: TableEntryRow[];
}

/** readTableEntryPage - the page asked for, or null when no table has that name. */
export function readTableEntryPage(db: Database.Database, name: string, query: TableEntryQuery): TableEntryPage | null {
  const read = db.transaction((): TableEntryPage | null => {
    const table = db.prepare('SELECT id, kind, updated_at AS updatedAt FROM lookup_table WHERE name = ?').get(name) as
      { id: number; kind: TableKind; updatedAt: string } | undefined;
    if (!table) return null;
    const { total } = db.prepare('SELECT COUNT(*) AS total FROM lookup_table_entry WHERE table_id = ?').get(table.id) as { total: number };
    const search = query.search?.trim() ?? '';
    // LIKE is case-insensitive for ASCII in SQLite; its wildcards in the search are escaped.
    const where = search === '' ? 'table_id = ?' : "table_id = ? AND (key LIKE ? ESCAPE '\\' OR value LIKE ? ESCAPE '\\')";
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const args: unknown[] = search === '' ? [table.id] : [table.id, pattern, pattern];
    const matched = search === '' ? total
      : (db.prepare(`SELECT COUNT(*) AS n FROM lookup_table_entry WHERE ${where}`).get(...args) as { n: number }).n;
    const sort = query.sort ?? 'position';
    const direction = query.descending ? 'DESC' : 'ASC';
    // Ties (equal values) break on the row id, which the (table_id, key) and (table_id, value)
    // indexes carry, so the index serves the whole order and a page boundary never repeats or
    // skips a row.
    const order = sort === 'position' ? `position ${direction}` : `${sort} ${direction}, id ${direction}`;
    const rows = db.prepare(`SELECT position, key, value FROM lookup_table_entry WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...args, Math.max(1, query.limit), Math.max(0, query.offset)) as TableEntryRow[];
    return { kind: table.kind, updatedAt: table.updatedAt, total, matched, rows };
  });
  return read.deferred();
}
