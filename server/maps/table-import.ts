/**
 * A table pasted or uploaded in the console, as postmap source: read into stored lines, with
 * every line postmap would warn about (no value, unbalanced quote, a duplicate key, a rule the
 * cidr, regexp or pcre reader skips) refused with its line number, so a bulk import stores
 * all of its lines or none. Merging puts the imported lines into a table's lines by key.
 * Exports: TableImport, readTableImport, mergeTableLines.
 * Lines are kept as written (key case too), as `portcullis import` keeps a source file.
 */
import { readPostmapLines, splitPostmapEntry } from './postmap-source.ts';
import { compileTable } from './table-registry.ts';
import { checkTableLine, type StoredTableLine, type TableKind } from './table-line.ts';
import { splitTableLine } from './table-store.ts';

export type TableImport =
  | { ok: true; lines: StoredTableLine[] }
  | { ok: false; errors: { line: number | null; text: string }[] };

/** readTableImport - the lines of `source` for a table of `kind`, or every refused line. */
export function readTableImport(name: string, kind: TableKind, source: string): TableImport {
  const read = readPostmapLines(source, name);
  const errors: { line: number | null; text: string }[] = read.warnings.map((w) => ({ line: w.line, text: w.text }));
  const lines: StoredTableLine[] = [];
  const seen = new Map<string, number>();
  for (const { line, text } of read.lines) {
    let stored: StoredTableLine;
    if (kind === 'exact') {
      const split = splitPostmapEntry(text);
      if (!split.ok) {
        errors.push({ line, text: `${name}, line ${line}: ${split.reason}` });
        continue;
      }
      stored = { key: split.key, value: split.value };
      const folded = split.key.toLowerCase();
      const first = seen.get(folded);
      if (first !== undefined) {
        errors.push({ line, text: `${name}, line ${line}: duplicate entry: "${folded}" (first on line ${first})` });
        continue;
      }
      seen.set(folded, line);
    } else {
      stored = splitTableLine(kind, text);
    }
    const problem = checkTableLine(kind, stored);
    if (problem !== null) errors.push({ line, text: `${name}, line ${line}: ${problem}` });
    else lines.push(stored);
  }
  if (kind !== 'exact' && errors.length === 0) {
    const compiled = compileTable(kind, source, { name });
    if (!compiled.ok) return { ok: false, errors: compiled.errors.map((e) => ({ line: null, text: e.text })) };
    errors.push(...compiled.warnings.map((w) => ({ line: w.line, text: w.text })));
  }
  return errors.length ? { ok: false, errors: errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) } : { ok: true, lines };
}

/**
 * mergeTableLines - `current` with each imported line replacing the line of the same key in
 * place (any case for exact tables, the same pattern text for rule tables), and the rest
 * appended in import order; `if` and `endif` lines are never merged, always appended.
 */
export function mergeTableLines(kind: TableKind, current: readonly StoredTableLine[], imported: readonly StoredTableLine[]): StoredTableLine[] {
  const fold = (key: string): string => (kind === 'exact' ? key.toLowerCase() : key);
  const incoming = new Map(imported.filter((line) => line.value !== '').map((line) => [fold(line.key), line]));
  const merged = current.map((line) => {
    const replacement = line.value === '' ? undefined : incoming.get(fold(line.key));
    if (replacement === undefined) return line;
    incoming.delete(fold(line.key));
    return replacement;
  });
  const added = imported.filter((line) => line.value === '' || incoming.get(fold(line.key)) === line);
  return [...merged, ...added];
}
