/**
 * Lookup tables kept in the database (LookupTable, LookupTableEntry in prisma/schema.prisma):
 * one row per source line in file order, so an exact table is its postmap source and a
 * pattern table keeps its rule order. A parameter names a stored table as `type:name`, the
 * type fitting the table's kind (hash, btree, lmdb, cdb, texthash: exact; cidr; regexp; pcre).
 * Exports: TableKind, TABLE_KINDS, StoredTableLine, StoredTableSummary, TableChange,
 * StoredTableCompile, StoredTable, StoredPolicy, StoredPolicyChange, tableKindOfType, splitTableLine,
 * formatTableLine, TableStore, openTableStore; TableKind, TABLE_KINDS, StoredTableLine and
 * formatTableLine are table-line.ts's, re-exported.
 * Every change is checked by compiling it first and is written together with its
 * PolicyRevision, as parameter changes are. commitPolicy() writes parameters and tables
 * together (`portcullis import`); its caller compiles the whole policy first. Bulk reads and writes go through better-sqlite3
 * directly: a million rows through Prisma's row mapping take tens of seconds, here about one.
 * One-entry changes and the console's paged reads are table-entry-change.ts and
 * table-entry-page.ts, run here on this store's connection. Revisions record tables as
 * table-revision.ts says.
 * XXX tables larger than table-revision.ts's limit are recorded by size and digest only, so
 * they cannot be restored from history.
 */
import Database from 'better-sqlite3';
import { databasePath } from '../db/data-dir.ts';
import { ExactTable, type ExactTableType } from './exact-table.ts';
import { type CompileTableResult, type LookupResult, type TableWarning } from './lookup-table.ts';
import { isPostfixSpace, trimPostfixSpace } from './postmap-source.ts';
import { changeTableEntry, type TableEntryChange, type TableEntryEdit } from './table-entry-change.ts';
import { readTableEntryPage, type TableEntryPage, type TableEntryQuery } from './table-entry-page.ts';
import { checkTableLines, formatTableLine, type StoredTableLine, type TableKind } from './table-line.ts';
import { compileTable, isTableType } from './table-registry.ts';
import { describeTableStates, nextUpdatedAt, prismaTimestamp, revisionText, type TableState } from './table-revision.ts';

export { TABLE_KINDS, formatTableLine, type StoredTableLine, type TableKind } from './table-line.ts';

export interface StoredTableSummary {
  readonly name: string;
  readonly kind: TableKind;
  readonly entries: number;
  readonly updatedAt: string;
}

/** A table with its lines, as read for export or given for a whole-policy change. */
export interface StoredTable {
  readonly name: string;
  readonly kind: TableKind;
  readonly lines: readonly StoredTableLine[];
}

/** Everything stored: the parameter rows (changed values only) and the tables, by name. */
export interface StoredPolicy {
  readonly parameters: Readonly<Record<string, string>>;
  readonly tables: readonly StoredTable[];
}

/** A whole-policy change: the parameter rows as they are to be, tables to write and to remove. */
export interface StoredPolicyChange {
  readonly parameters: Readonly<Record<string, string>>; // every row after the change; others are deleted
  readonly tables: readonly StoredTable[];               // created, or replaced by name
  readonly deleteTables: readonly string[];
}

export type TableChange =
  | { ok: true; revisionId: number | null; warnings: string[] } // null: nothing changed
  | { ok: false; errors: string[] };

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

/** A stored table compiled, with the stored key of each source line when it compiled. */
export type StoredTableCompile = CompileTableResult & { readonly lineKeys?: readonly string[] };

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

  /**
   * stamp - what changes whenever the stored table does (its row and last change), so a
   * compiled copy can be kept across reloads; null when there is no such table.
   */
  stamp(name: string): string | null {
    const row = this.#db.prepare('SELECT id, kind, updated_at AS updatedAt FROM lookup_table WHERE name = ?').get(name) as
      { id: number; kind: string; updatedAt: string } | undefined;
    return row === undefined ? null : `${row.id} ${row.kind} ${row.updatedAt}`;
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
   * straight from its rows (no source text in between), the others from their source. The
   * result also gives the stored key of each source line, which the found answers name
   * (hit counts, server/stats/table-hits.ts).
   */
  compile(type: string, name: string): StoredTableCompile {
    const kind = this.kindOf(name);
    if (kind === null) return { ok: false, errors: [{ name, text: `${type}:${name}: no table "${name}" is stored` }] };
    if (!isTableType(type) || tableKindOfType(type) !== kind) {
      return { ok: false, errors: [{ name, text: `${type}:${name}: table "${name}" is a ${kind} table, not ${type}` }] };
    }
    const rows = this.#db.prepare(`SELECT e.key, e.value FROM lookup_table_entry e JOIN lookup_table t ON t.id = e.table_id
      WHERE t.name = ? ORDER BY e.position`).raw().iterate(name) as IterableIterator<[string, string]>;
    const lineKeys: string[] = [];
    if (kind !== 'exact') {
      let source = '';
      for (const [key, value] of rows) {
        const text = formatTableLine({ key, value });
        source += text + '\n';
        // A value that spans lines (continued) keeps its rule on its first line.
        for (let at = -1; (at = text.indexOf('\n', at + 1)) >= 0;) lineKeys.push(key);
        lineKeys.push(key);
      }
      const compiled = compileTable(type, source, { name });
      return compiled.ok ? { ...compiled, lineKeys } : compiled;
    }
    const byKey = new Map<string, Readonly<Extract<LookupResult, { status: 'found' }>>>();
    const warnings: TableWarning[] = [];
    let line = 0;
    for (const [key, value] of rows) {
      line++;
      lineKeys.push(key);
      const folded = key.toLowerCase();
      if (byKey.has(folded)) {
        warnings.push({ name, line, text: `${name}, line ${line}: duplicate entry: "${folded}"` });
        continue;
      }
      byKey.set(folded, Object.freeze({ status: 'found' as const, value, line }));
    }
    return { ok: true, table: new ExactTable(type as ExactTableType, name, byKey), warnings, lineKeys };
  }

  /**
   * replace - make `name` a table of `kind` holding exactly these lines (creating it), after
   * checking that every line reads back and the whole compiles; warnings (skipped rules,
   * duplicates) are returned, not refused, as postmap only warns.
   */
  replace(name: string, kind: TableKind, lines: readonly StoredTableLine[], actor: string, summary?: string): TableChange {
    const errors = checkTableLines(name, kind, lines);
    if (errors.length) return { ok: false, errors };
    const source = lines.map(formatTableLine).join('\n') + (lines.length ? '\n' : '');
    const compiled = compileTable(kind === 'exact' ? 'hash' : kind, source, { name });
    if (!compiled.ok) return { ok: false, errors: compiled.errors.map((e) => e.text) };
    const warnings = compiled.warnings.map((w) => w.text);

    const write = this.#db.transaction((): number | null => {
      const existing = this.#db.prepare('SELECT id, kind FROM lookup_table WHERE name = ?').get(name) as { id: number; kind: TableKind } | undefined;
      const before = existing ? this.#sourceOf(existing.id) : null;
      if (existing && existing.kind === kind && before === source) return null;
      this.#writeTable(name, kind, lines, existing?.id ?? null);
      const what = summary ?? `table ${name}: ${existing ? 'replaced' : 'created'} (${kind}, ${lines.length} entries)`;
      return this.#revision(actor, what, name, existing ? { kind: existing.kind, source: before ?? '' } : null, { kind, source });
    });
    return { ok: true, revisionId: write.immediate(), warnings };
  }

  /** changeEntry - one entry added, changed, deleted or moved (table-entry-change.ts). */
  changeEntry(name: string, edit: TableEntryEdit, actor: string): TableEntryChange {
    return changeTableEntry(this.#db, name, edit, actor);
  }

  /** entryPage - one page of a table's entries, searched and sorted (table-entry-page.ts); null when there is no such table. */
  entryPage(name: string, query: TableEntryQuery): TableEntryPage | null {
    return readTableEntryPage(this.#db, name, query);
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

  /**
   * commitPolicy - decide a whole-policy change against what is stored now and write it with
   * one PolicyRevision, in one transaction: `plan` runs inside it (and may compile stored
   * tables through this store), so nothing changes between its checks and the write. Table
   * lines are checked as replace() checks them; compiling the policy is the plan's job.
   */
  commitPolicy(
    plan: (current: { parameters: Record<string, string>; tables: StoredTableSummary[] }) => StoredPolicyChange | { errors: string[] },
    actor: string,
    summary: string,
  ): TableChange {
    const write = this.#db.transaction((): TableChange => {
      const current = { parameters: this.#parameters(), tables: this.list() };
      const change = plan(current);
      if ('errors' in change) return { ok: false, errors: change.errors };
      const errors = change.tables.flatMap((t) => checkTableLines(t.name, t.kind, t.lines));
      if (errors.length) return { ok: false, errors };

      const parametersChanged = !sameParameters(current.parameters, change.parameters);
      if (parametersChanged) {
        const now = prismaTimestamp();
        const remove = this.#db.prepare('DELETE FROM parameter WHERE name = ?');
        for (const name of Object.keys(current.parameters)) if (!(name in change.parameters)) remove.run(name);
        const upsert = this.#db.prepare(`INSERT INTO parameter (name, value, updated_at) VALUES (?, ?, ?)
          ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
        for (const [name, value] of Object.entries(change.parameters)) if (current.parameters[name] !== value) upsert.run(name, value, now);
      }
      const before: Record<string, TableState | null> = {};
      const after: Record<string, TableState | null> = {};
      for (const { name, kind, lines } of change.tables) {
        const existing = this.#db.prepare('SELECT id, kind FROM lookup_table WHERE name = ?').get(name) as { id: number; kind: TableKind } | undefined;
        const old = existing ? this.#sourceOf(existing.id) : null;
        const source = lines.map((line) => formatTableLine(line) + '\n').join('');
        if (existing && existing.kind === kind && old === source) continue;
        this.#writeTable(name, kind, lines, existing?.id ?? null);
        before[name] = existing ? { kind: existing.kind, source: old ?? '' } : null;
        after[name] = { kind, source };
      }
      for (const name of change.deleteTables) {
        const existing = this.#db.prepare('SELECT id, kind FROM lookup_table WHERE name = ?').get(name) as { id: number; kind: TableKind } | undefined;
        if (!existing) continue;
        before[name] = { kind: existing.kind, source: this.#sourceOf(existing.id) };
        after[name] = null;
        this.#db.prepare('DELETE FROM lookup_table_entry WHERE table_id = ?').run(existing.id);
        this.#db.prepare('DELETE FROM lookup_table WHERE id = ?').run(existing.id);
      }
      if (!parametersChanged && Object.keys(after).length === 0) return { ok: true, revisionId: null, warnings: [] };
      const result = this.#db.prepare('INSERT INTO policy_revision (created_at, actor, summary, before, after) VALUES (?, ?, ?, ?, ?)').run(
        prismaTimestamp(), actor, summary,
        JSON.stringify({ parameters: sortByName(current.parameters), tables: describeTableStates(before) }),
        JSON.stringify({ parameters: sortByName(change.parameters), tables: describeTableStates(after) }),
      );
      return { ok: true, revisionId: Number(result.lastInsertRowid), warnings: [] };
    });
    return write.immediate();
  }

  /** readPolicy - the stored parameters and every table with its lines, read as one snapshot. */
  readPolicy(): StoredPolicy {
    const read = this.#db.transaction((): StoredPolicy => ({
      parameters: this.#parameters(),
      tables: this.list().map(({ name }) => ({ name, ...this.read(name)! })),
    }));
    return read.deferred();
  }

  /** readParameters - the stored parameter rows and the newest policy revision (0: none), read together. */
  readParameters(): { parameters: Record<string, string>; revision: number } {
    const read = this.#db.transaction(() => {
      const row = this.#db.prepare('SELECT MAX(id) AS id FROM policy_revision').get() as { id: number | null };
      return { parameters: this.#parameters(), revision: row.id ?? 0 };
    });
    return read.deferred();
  }

  close(): void {
    this.#db.close();
  }

  #parameters(): Record<string, string> {
    const rows = this.#db.prepare('SELECT name, value FROM parameter ORDER BY name').all() as { name: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }

  // Make the table `name` hold exactly these lines: the row `id` emptied, or a new row.
  #writeTable(name: string, kind: TableKind, lines: readonly StoredTableLine[], id: number | null): void {
    const now = prismaTimestamp();
    if (id !== null) {
      const { updatedAt } = this.#db.prepare('SELECT updated_at AS updatedAt FROM lookup_table WHERE id = ?').get(id) as { updatedAt: string };
      this.#db.prepare('DELETE FROM lookup_table_entry WHERE table_id = ?').run(id);
      this.#db.prepare('UPDATE lookup_table SET kind = ?, updated_at = ? WHERE id = ?').run(kind, nextUpdatedAt(updatedAt), id);
    } else {
      id = Number(this.#db.prepare('INSERT INTO lookup_table (name, kind, updated_at) VALUES (?, ?, ?)').run(name, kind, now).lastInsertRowid);
    }
    const insert = this.#db.prepare('INSERT INTO lookup_table_entry (table_id, position, key, value) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < lines.length; i++) insert.run(id, i + 1, lines[i].key, lines[i].value);
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

function sameParameters(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => b[name] === a[name]);
}

// Sorted as parameter-store.ts writes its revisions, so both read the same in the audit view.
function sortByName(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** openTableStore - the stored tables of a data folder (the database must be migrated). */
export function openTableStore(dataDir: string, options: { readonly?: boolean } = {}): TableStore {
  return new TableStore(databasePath(dataDir), options.readonly ?? false);
}
