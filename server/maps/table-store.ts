/**
 * Lookup tables kept in the database (LookupTable, LookupTableEntry in prisma/schema.prisma):
 * one row per source line in file order, so an exact table is its postmap source and a
 * pattern table keeps its rule order. A parameter names a stored table as `type:name`, the
 * type fitting the table's kind (hash, btree, lmdb, cdb, texthash: exact; cidr; regexp; pcre).
 * Exports: TableKind, TABLE_KINDS, StoredTableLine, StoredTableSummary, TableChange,
 * tableKindOfType, splitTableLine, formatTableLine, TableStore, openTableStore.
 * Every change is checked by compiling it first and is written together with its
 * PolicyRevision, as parameter changes are. Bulk reads and writes go through better-sqlite3
 * directly: a million rows through Prisma's row mapping take tens of seconds, here about one.
 * XXX a revision keeps the whole table before and after only up to REVISION_TEXT_LIMIT; larger
 * tables are recorded by size and digest, so they cannot be restored from history.
 */
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { databasePath } from '../db/data-dir.ts';
import { ExactTable, type ExactTableType } from './exact-table.ts';
import { type CompileTableResult, type LookupResult, type TableWarning } from './lookup-table.ts';
import { checkPostmapEntry, checkPostmapLine, isPostfixSpace, trimPostfixSpace } from './postmap-source.ts';
import { compileTable, isTableType } from './table-registry.ts';

export const TABLE_KINDS = ['exact', 'cidr', 'regexp', 'pcre'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

/** One stored line: an exact table's key and value, or a rule's pattern and result. */
export interface StoredTableLine {
  readonly key: string;
  readonly value: string; // '' for `if PATTERN` and `endif` lines
}

export interface StoredTableSummary {
  readonly name: string;
  readonly kind: TableKind;
  readonly entries: number;
  readonly updatedAt: string;
}

export type TableChange =
  | { ok: true; revisionId: number | null; warnings: string[] } // null: nothing changed
  | { ok: false; errors: string[] };

const REVISION_TEXT_LIMIT = 1_000_000;
const TABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/;

/** tableKindOfType - the stored kind a map type reads, or null for types never stored (inline, static). */
export function tableKindOfType(type: string): TableKind | null {
  switch (type) {
    case 'hash': case 'btree': case 'lmdb': case 'cdb': case 'texthash': return 'exact';
    case 'cidr': case 'regexp': case 'pcre': return type;
    default: return null;
  }
}

/**
 * splitTableLine - one logical source line as a stored line: for exact and cidr tables the
 * first word and the rest; for regexp and pcre the pattern with its delimiters and flags (both
 * patterns of `/a/!/b/`) and the rest. `if ...` and `endif` keep the whole line as key.
 */
export function splitTableLine(kind: TableKind, text: string): StoredTableLine {
  const line = trimPostfixSpace(text);
  if (/^endif$/i.test(line) || /^if[\s!]/i.test(line)) return { key: line, value: '' };
  let end = kind === 'regexp' || kind === 'pcre' ? patternEnd(line) : -1;
  if (end < 0) {
    end = 0;
    while (end < line.length && !isPostfixSpace(line.charCodeAt(end))) end++;
  }
  return { key: line.slice(0, end), value: trimPostfixSpace(line.slice(end)) };
}

// Where `[!]/re/flags` (and a second `!/re/flags`) ends, or -1 when the line is not one.
function patternEnd(line: string): number {
  let at = 0;
  for (let patterns = 0; patterns < 2; patterns++) {
    if (line[at] === '!') at++;
    const delimiter = line[at];
    if (delimiter === undefined || /[A-Za-z0-9\s]/.test(delimiter)) return patterns === 0 ? -1 : at;
    at++;
    while (at < line.length && line[at] !== delimiter) at += line[at] === '\\' ? 2 : 1;
    if (at >= line.length) return -1;
    at++;
    while (at < line.length && /[A-Za-z]/.test(line[at])) at++;
    if (line[at] !== '!') return at;
  }
  return at;
}

/** formatTableLine - the source line of a stored line. */
export function formatTableLine(line: StoredTableLine): string {
  return line.value === '' ? line.key : `${line.key} ${line.value}`;
}

/** A connection to the stored tables of one data folder. */
export class TableStore {
  readonly #db: Database.Database;

  constructor(file: string, readonly: boolean) {
    this.#db = new Database(file, { readonly, fileMustExist: true });
    this.#db.pragma('busy_timeout = 5000');
  }

  /** list - every stored table with its size, by name. */
  list(): StoredTableSummary[] {
    const rows = this.#db.prepare(`SELECT t.name, t.kind, t.updated_at AS updatedAt,
        (SELECT COUNT(*) FROM lookup_table_entry e WHERE e.table_id = t.id) AS entries
      FROM lookup_table t ORDER BY t.name`).all() as StoredTableSummary[];
    return rows;
  }

  /** kindOf - the kind of a stored table, or null when there is none by that name. */
  kindOf(name: string): TableKind | null {
    const row = this.#db.prepare('SELECT kind FROM lookup_table WHERE name = ?').get(name) as { kind: TableKind } | undefined;
    return row?.kind ?? null;
  }

  /** read - a stored table's lines in order, or null. */
  read(name: string): { kind: TableKind; lines: StoredTableLine[] } | null {
    const kind = this.kindOf(name);
    if (kind === null) return null;
    const lines = this.#db.prepare(`SELECT e.key, e.value FROM lookup_table_entry e JOIN lookup_table t ON t.id = e.table_id
      WHERE t.name = ? ORDER BY e.position`).all(name) as StoredTableLine[];
    return { kind, lines };
  }

  /**
   * compile - the stored table `name` compiled as map type `type`; an exact table is built
   * straight from its rows (no source text in between), the others from their source.
   */
  compile(type: string, name: string): CompileTableResult {
    const kind = this.kindOf(name);
    if (kind === null) return { ok: false, errors: [{ name, text: `${type}:${name}: no table "${name}" is stored` }] };
    if (!isTableType(type) || tableKindOfType(type) !== kind) {
      return { ok: false, errors: [{ name, text: `${type}:${name}: table "${name}" is a ${kind} table, not ${type}` }] };
    }
    const rows = this.#db.prepare(`SELECT e.key, e.value FROM lookup_table_entry e JOIN lookup_table t ON t.id = e.table_id
      WHERE t.name = ? ORDER BY e.position`).raw().iterate(name) as IterableIterator<[string, string]>;
    if (kind !== 'exact') {
      let source = '';
      for (const [key, value] of rows) source += formatTableLine({ key, value }) + '\n';
      return compileTable(type, source, { name });
    }
    const byKey = new Map<string, Readonly<Extract<LookupResult, { status: 'found' }>>>();
    const warnings: TableWarning[] = [];
    let line = 0;
    for (const [key, value] of rows) {
      line++;
      const folded = key.toLowerCase();
      if (byKey.has(folded)) {
        warnings.push({ name, line, text: `${name}, line ${line}: duplicate entry: "${folded}"` });
        continue;
      }
      byKey.set(folded, Object.freeze({ status: 'found' as const, value, line }));
    }
    return { ok: true, table: new ExactTable(type as ExactTableType, name, byKey), warnings };
  }

  /**
   * replace - make `name` a table of `kind` holding exactly these lines (creating it), after
   * checking that every line reads back and the whole compiles; warnings (skipped rules,
   * duplicates) are returned, not refused, as postmap only warns.
   */
  replace(name: string, kind: TableKind, lines: readonly StoredTableLine[], actor: string, summary?: string): TableChange {
    const errors = checkTableName(name);
    lines.forEach((line, i) => {
      const problem = kind === 'exact' ? checkPostmapEntry(line.key, line.value) : checkPostmapLine(formatTableLine(line));
      if (problem !== null) errors.push(`table ${name}, entry ${i + 1} "${line.key}": ${problem}`);
    });
    if (errors.length) return { ok: false, errors };
    const source = lines.map(formatTableLine).join('\n') + (lines.length ? '\n' : '');
    const compiled = compileTable(kind === 'exact' ? 'hash' : kind, source, { name });
    if (!compiled.ok) return { ok: false, errors: compiled.errors.map((e) => e.text) };
    const warnings = compiled.warnings.map((w) => w.text);

    const write = this.#db.transaction((): number | null => {
      const existing = this.#db.prepare('SELECT id, kind FROM lookup_table WHERE name = ?').get(name) as { id: number; kind: TableKind } | undefined;
      const before = existing ? this.#sourceOf(existing.id) : null;
      if (existing && existing.kind === kind && before === source) return null;
      const now = prismaTimestamp();
      let id: number;
      if (existing) {
        id = existing.id;
        this.#db.prepare('DELETE FROM lookup_table_entry WHERE table_id = ?').run(id);
        this.#db.prepare('UPDATE lookup_table SET kind = ?, updated_at = ? WHERE id = ?').run(kind, now, id);
      } else {
        id = Number(this.#db.prepare('INSERT INTO lookup_table (name, kind, updated_at) VALUES (?, ?, ?)').run(name, kind, now).lastInsertRowid);
      }
      const insert = this.#db.prepare('INSERT INTO lookup_table_entry (table_id, position, key, value) VALUES (?, ?, ?, ?)');
      for (let i = 0; i < lines.length; i++) insert.run(id, i + 1, lines[i].key, lines[i].value);
      const what = summary ?? `table ${name}: ${existing ? 'replaced' : 'created'} (${kind}, ${lines.length} entries)`;
      return this.#revision(actor, what, name, existing ? { kind: existing.kind, source: before ?? '' } : null, { kind, source });
    });
    return { ok: true, revisionId: write.immediate(), warnings };
  }

  /** delete - remove a stored table; refused when a parameter still names it is the caller's check. */
  delete(name: string, actor: string): TableChange {
    const write = this.#db.transaction((): number | null => {
      const existing = this.#db.prepare('SELECT id, kind FROM lookup_table WHERE name = ?').get(name) as { id: number; kind: TableKind } | undefined;
      if (!existing) return null;
      const before = this.#sourceOf(existing.id);
      this.#db.prepare('DELETE FROM lookup_table_entry WHERE table_id = ?').run(existing.id);
      this.#db.prepare('DELETE FROM lookup_table WHERE id = ?').run(existing.id);
      return this.#revision(actor, `table ${name}: deleted`, name, { kind: existing.kind, source: before }, null);
    });
    return { ok: true, revisionId: write.immediate(), warnings: [] };
  }

  close(): void {
    this.#db.close();
  }

  #sourceOf(id: number): string {
    const rows = this.#db.prepare('SELECT key, value FROM lookup_table_entry WHERE table_id = ? ORDER BY position').raw().iterate(id) as IterableIterator<[string, string]>;
    let source = '';
    for (const [key, value] of rows) source += formatTableLine({ key, value }) + '\n';
    return source;
  }

  #revision(actor: string, summary: string, name: string, before: TableState | null, after: TableState | null): number {
    const result = this.#db.prepare('INSERT INTO policy_revision (created_at, actor, summary, before, after) VALUES (?, ?, ?, ?, ?)')
      .run(prismaTimestamp(), actor, summary, revisionText(name, before), revisionText(name, after));
    return Number(result.lastInsertRowid);
  }
}

type TableState = { kind: TableKind; source: string };

// The revision's before/after: {"table": {name: {kind, source}}}, or size and digest when large.
function revisionText(name: string, state: TableState | null): string {
  if (state === null) return JSON.stringify({ table: { [name]: null } });
  if (state.source.length <= REVISION_TEXT_LIMIT) return JSON.stringify({ table: { [name]: state } });
  const sha256 = crypto.createHash('sha256').update(state.source).digest('hex');
  return JSON.stringify({ table: { [name]: { kind: state.kind, bytes: state.source.length, sha256 } } });
}

function checkTableName(name: string): string[] {
  return TABLE_NAME.test(name) && !name.includes('..')
    ? []
    : [`bad table name "${name}": use letters, digits and . _ - / (not starting with one of them)`];
}

// DateTime as Prisma's SQLite adapter writes it, so the console reads these rows back.
function prismaTimestamp(): string {
  return new Date().toISOString().replace('Z', '+00:00');
}

/** openTableStore - the stored tables of a data folder (the database must be migrated). */
export function openTableStore(dataDir: string, options: { readonly?: boolean } = {}): TableStore {
  return new TableStore(databasePath(dataDir), options.readonly ?? false);
}
