/**
 * One-entry changes to a stored table, as the console's Tables page makes them: add, change
 * (key and value) or delete one line, or move a pattern table's rule up or down, without
 * rewriting the other lines, so editing a 100,000-entry table stays quick. Each change is
 * checked as replace() checks a whole table (the line must read back as itself; an exact
 * table takes no second entry for a key, as postmap keeps only the first; a cidr line must
 * compile; a regexp or pcre table must compile with the rule in place, rules postmap would
 * skip refused), then written with its PolicyRevision (actor, summary, the whole table
 * before and after in table-revision.ts's form) and a new updated_at in one transaction, so
 * the gateway recompiles this table and no other.
 * Exports: TableEntryEdit, TableEntryChange, changeTableEntry.
 * Entries are named by position; a change or delete also names the key it expects there, so
 * an entry changed by someone else in the meantime is refused instead of overwritten.
 * Positions of an exact table may have gaps after deletes; a pattern table is renumbered,
 * because its positions are the rule order the console shows.
 */
import type Database from 'better-sqlite3';
import { compileTable } from './table-registry.ts';
import { checkTableLine, formatTableLine, type StoredTableLine, type TableKind } from './table-line.ts';
import { nextUpdatedAt, prismaTimestamp, revisionText } from './table-revision.ts';

export type TableEntryEdit =
  | { op: 'add'; line: StoredTableLine; at?: number }                        // at: insert before this position (pattern tables); default the end
  | { op: 'change'; position: number; expectKey: string; line: StoredTableLine }
  | { op: 'delete'; position: number; expectKey: string }
  | { op: 'move'; position: number; expectKey: string; direction: 'up' | 'down' };

export type TableEntryChange =
  | { ok: true; revisionId: number | null; position: number | null; warnings: string[] } // position: where the entry now is
  | { ok: false; errors: string[] };

interface Row { id: number; position: number; key: string; value: string }

/** changeTableEntry - apply one edit to table `name` in one immediate transaction. */
export function changeTableEntry(db: Database.Database, name: string, edit: TableEntryEdit, actor: string): TableEntryChange {
  const run = db.transaction((): TableEntryChange => {
    const table = db.prepare('SELECT id, kind, updated_at AS updatedAt FROM lookup_table WHERE name = ?').get(name) as
      { id: number; kind: TableKind; updatedAt: string } | undefined;
    if (!table) return { ok: false, errors: [`no table "${name}" is stored`] };
    const { id, kind } = table;
    const before = readSource(db, id);

    let target: Row | null = null;
    if (edit.op !== 'add') {
      target = (db.prepare('SELECT id, position, key, value FROM lookup_table_entry WHERE table_id = ? AND position = ?').get(id, edit.position) as Row | undefined) ?? null;
      if (target === null || target.key !== edit.expectKey) {
        return { ok: false, errors: [`entry ${edit.position} is no longer "${edit.expectKey}": the table changed meanwhile; reload the page`] };
      }
    }
    if (edit.op === 'add' || edit.op === 'change') {
      const problem = checkTableLine(kind, edit.line);
      if (problem !== null) return { ok: false, errors: [`"${formatTableLine(edit.line)}": ${problem}`] };
      if (kind === 'exact') {
        const same = db.prepare('SELECT position FROM lookup_table_entry WHERE table_id = ? AND key = ? COLLATE NOCASE AND id != ?')
          .get(id, edit.line.key, target?.id ?? -1) as { position: number } | undefined;
        if (same) return { ok: false, errors: [`key "${edit.line.key.toLowerCase()}" is already in the table (entry ${same.position}): change that entry instead`] };
      }
    }

    // The table's source before, as lines, and the same lines after the edit: the revision
    // records both, and a regexp or pcre table compiles from the after. Spliced rather than
    // read twice, because reading a 100,000-entry table is most of an edit's cost.
    const lines = before === '' ? [] : before.slice(0, -1).split('\n');
    const ordinalOf = (at: number): number =>
      (db.prepare('SELECT COUNT(*) AS n FROM lookup_table_entry WHERE table_id = ? AND position < ?').get(id, at) as { n: number }).n;
    let position: number | null = null;
    let summary: string;
    switch (edit.op) {
      case 'add': {
        const { last } = db.prepare('SELECT COALESCE(MAX(position), 0) AS last FROM lookup_table_entry WHERE table_id = ?').get(id) as { last: number };
        position = kind !== 'exact' && edit.at !== undefined && edit.at >= 1 && edit.at <= last ? edit.at : last + 1;
        if (position <= last) shiftPositions(db, id, position, last, 1);
        lines.splice(ordinalOf(position), 0, formatTableLine(edit.line));
        db.prepare('INSERT INTO lookup_table_entry (table_id, position, key, value) VALUES (?, ?, ?, ?)').run(id, position, edit.line.key, edit.line.value);
        summary = `table ${name}: added entry ${position} "${edit.line.key}"`;
        break;
      }
      case 'change':
        position = target!.position;
        if (target!.key === edit.line.key && target!.value === edit.line.value) return { ok: true, revisionId: null, position, warnings: [] };
        lines[ordinalOf(position)] = formatTableLine(edit.line);
        db.prepare('UPDATE lookup_table_entry SET key = ?, value = ? WHERE id = ?').run(edit.line.key, edit.line.value, target!.id);
        summary = `table ${name}: changed entry ${position} "${target!.key}"${target!.key === edit.line.key ? '' : ` to "${edit.line.key}"`}`;
        break;
      case 'delete': {
        lines.splice(ordinalOf(target!.position), 1);
        db.prepare('DELETE FROM lookup_table_entry WHERE id = ?').run(target!.id);
        if (kind !== 'exact') {
          const { last } = db.prepare('SELECT COALESCE(MAX(position), 0) AS last FROM lookup_table_entry WHERE table_id = ?').get(id) as { last: number };
          if (target!.position < last) shiftPositions(db, id, target!.position + 1, last, -1);
        }
        summary = `table ${name}: deleted entry ${target!.position} "${target!.key}"`;
        break;
      }
      case 'move': {
        // The neighbour in the shown order, gaps or not; none at either end.
        const neighbour = db.prepare(edit.direction === 'up'
          ? 'SELECT id, position FROM lookup_table_entry WHERE table_id = ? AND position < ? ORDER BY position DESC LIMIT 1'
          : 'SELECT id, position FROM lookup_table_entry WHERE table_id = ? AND position > ? ORDER BY position LIMIT 1')
          .get(id, target!.position) as { id: number; position: number } | undefined;
        if (!neighbour) return { ok: true, revisionId: null, position: target!.position, warnings: [] };
        const [a, b] = [ordinalOf(target!.position), ordinalOf(neighbour.position)];
        [lines[a], lines[b]] = [lines[b], lines[a]];
        // Through a free position: (table_id, position) is unique at every step of the swap.
        const swap = db.prepare('UPDATE lookup_table_entry SET position = ? WHERE id = ?');
        swap.run(-1, target!.id);
        swap.run(target!.position, neighbour.id);
        swap.run(neighbour.position, target!.id);
        position = neighbour.position;
        summary = `table ${name}: moved entry ${target!.position} "${target!.key}" ${edit.direction} to ${position}`;
        break;
      }
    }

    const after = lines.map((line) => `${line}\n`).join('');
    const compiled = checkCompiles(name, kind, after, edit, position === null ? null : ordinalOf(position) + 1);
    // Thrown so that better-sqlite3 rolls the rows of this edit back.
    if (!compiled.ok) throw new RefusedEdit(compiled.errors);
    db.prepare('UPDATE lookup_table SET updated_at = ? WHERE id = ?').run(nextUpdatedAt(table.updatedAt), id);
    const revision = db.prepare('INSERT INTO policy_revision (created_at, actor, summary, before, after) VALUES (?, ?, ?, ?, ?)')
      .run(prismaTimestamp(), actor, summary, revisionText(name, { kind, source: before }), revisionText(name, { kind, source: after }));
    return { ok: true, revisionId: Number(revision.lastInsertRowid), position, warnings: compiled.warnings };
  });
  try {
    return run.immediate();
  } catch (error) {
    if (error instanceof RefusedEdit) return { ok: false, errors: error.errors };
    throw error;
  }
}

// A compile refusal found after the rows were written, carried out of the transaction so
// better-sqlite3 rolls it back.
class RefusedEdit extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
  }
}

// Move positions from..to (inclusive) by `by`, through negative positions so no step collides.
function shiftPositions(db: Database.Database, id: number, from: number, to: number, by: number): void {
  db.prepare('UPDATE lookup_table_entry SET position = -(position + ?) WHERE table_id = ? AND position BETWEEN ? AND ?').run(by, id, from, to);
  db.prepare('UPDATE lookup_table_entry SET position = -position WHERE table_id = ? AND position < 0').run(id);
}

// The table as postmap source, built inside SQLite: several times quicker than one row at a
// time through better-sqlite3 for a large table.
function readSource(db: Database.Database, id: number): string {
  const { source } = db.prepare(`SELECT group_concat(CASE WHEN value = '' THEN key ELSE key || ' ' || value END || char(10), '') AS source
    FROM (SELECT key, value FROM lookup_table_entry WHERE table_id = ? ORDER BY position)`).get(id) as { source: string | null };
  return source ?? '';
}

// An exact line was checked above. A cidr line compiles on its own (its rules do not nest);
// regexp and pcre compile whole because `if`/`endif` nest. A rule postmap would skip is
// refused here, where replace() only warns: a console edit that does nothing is a mistake.
function checkCompiles(
  name: string, kind: TableKind, source: string, edit: TableEntryEdit, line: number | null,
): { ok: true; warnings: string[] } | { ok: false; errors: string[] } {
  if (kind === 'exact') return { ok: true, warnings: [] };
  const edited = edit.op === 'add' || edit.op === 'change' ? edit.line : null;
  if (kind === 'cidr') {
    if (edited === null) return { ok: true, warnings: [] };
    const compiled = compileTable('cidr', formatTableLine(edited) + '\n', { name });
    if (!compiled.ok) return { ok: false, errors: compiled.errors.map((e) => e.text) };
    return compiled.warnings.length ? { ok: false, errors: compiled.warnings.map((w) => w.text) } : { ok: true, warnings: [] };
  }
  const compiled = compileTable(kind, source, { name });
  if (!compiled.ok) return { ok: false, errors: compiled.errors.map((e) => e.text) };
  // The source has one line per stored row, so the edited row's ordinal is its source line.
  const own = edited === null ? [] : compiled.warnings.filter((w) => w.line !== null && w.line === line);
  if (own.length) return { ok: false, errors: own.map((w) => w.text) };
  return { ok: true, warnings: compiled.warnings.map((w) => w.text) };
}
