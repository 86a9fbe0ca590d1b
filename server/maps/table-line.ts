/**
 * One line of a stored table (LookupTableEntry): an exact or cidr table's key and value, or a
 * regexp/pcre rule's pattern and result, with the check that it can be written as a postmap
 * source line that reads back as itself. The table store checks whole tables with it and the
 * console's one-entry changes check one line with it, so both refuse the same lines.
 * Exports: TABLE_KINDS, TableKind, StoredTableLine, formatTableLine, checkTableLine,
 * checkTableLines, checkTableName.
 */
import { checkPostmapEntry, checkPostmapLine } from './postmap-source.ts';

export const TABLE_KINDS = ['exact', 'cidr', 'regexp', 'pcre'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

/** One stored line: an exact table's key and value, or a rule's pattern and result. */
export interface StoredTableLine {
  readonly key: string;
  readonly value: string; // '' for `if PATTERN` and `endif` lines
}

const TABLE_NAME = /^[A-Za-z0-9/][A-Za-z0-9._\-/]*$/;

/** formatTableLine - the source line of a stored line. */
export function formatTableLine(line: StoredTableLine): string {
  return line.value === '' ? line.key : `${line.key} ${line.value}`;
}

/** checkTableLine - why this line cannot be stored in a table of `kind` (postmap's reading rules), or null. */
export function checkTableLine(kind: TableKind, line: StoredTableLine): string | null {
  return kind === 'exact' ? checkPostmapEntry(line.key, line.value) : checkPostmapLine(formatTableLine(line));
}

/** checkTableLines - the table name's problem and each refused line, numbered from 1. */
export function checkTableLines(name: string, kind: TableKind, lines: readonly StoredTableLine[]): string[] {
  const errors = checkTableName(name);
  lines.forEach((line, i) => {
    const problem = checkTableLine(kind, line);
    if (problem !== null) errors.push(`table ${name}, entry ${i + 1} "${line.key}": ${problem}`);
  });
  return errors;
}

/** checkTableName - a name is a path of letters, digits and . _ - / that never climbs (`..`). */
export function checkTableName(name: string): string[] {
  return TABLE_NAME.test(name) && !name.includes('..')
    ? []
    : [`bad table name "${name}": use letters, digits and . _ - / (not starting with . _ or -)`];
}
