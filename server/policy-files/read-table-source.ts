/**
 * The source of one table a main.cf names, read into the lines a stored table keeps
 * (table-store.ts): for hash, btree, lmdb and cdb the file the database was built from
 * (postmap builds FILE.db from FILE, so `hash:/etc/postfix/access` means /etc/postfix/access);
 * for texthash, cidr, regexp and pcre the file itself. A table read as aliases(5) (alias_maps)
 * takes `name: value` lines, as postalias reads them.
 * Exports: TableSourceFormat, TableSourceRead, tableSourceFormatOf, readTableSource.
 * Lines are kept as written and in file order, duplicates included, so the stored table is the
 * source; warnings are postmap's for the same file, naming it and the line, and the lines
 * postmap skips are skipped. Errors (an unreadable or binary file, a table that does not
 * compile) refuse the table.
 */
import fs from 'node:fs';
import { compileTable } from '../maps/table-registry.ts';
import { readPostmapLines, splitPostmapEntry, isPostfixSpace, trimPostfixSpace } from '../maps/postmap-source.ts';
import { splitTableLine, tableKindOfType, type StoredTableLine, type TableKind } from '../maps/table-store.ts';

export type TableSourceFormat = 'postmap' | 'aliases';

export type TableSourceRead =
  | { ok: true; kind: TableKind; lines: StoredTableLine[]; warnings: string[] }
  | { ok: false; errors: string[] };

/** tableSourceFormatOf - how the tables of a parameter are written: aliases(5) for alias_maps. */
export function tableSourceFormatOf(parameter: string): TableSourceFormat {
  return parameter === 'alias_maps' ? 'aliases' : 'postmap';
}

/** readTableSource - read `type:file` (type one that tableKindOfType() knows) for storing. */
export function readTableSource(type: string, file: string, format: TableSourceFormat): TableSourceRead {
  const kind = tableKindOfType(type);
  if (kind === null) return { ok: false, errors: [`${type}:${file}: a ${type} table has no source file to read`] };
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [describeOpenError(type, file, error as NodeJS.ErrnoException)] };
  }
  if (source.includes('\0')) {
    return { ok: false, errors: [`${type}:${file}: ${file} is not a text file; name the source file that postmap builds the table from`] };
  }
  if (format === 'aliases') return readAliases(file, source);
  const compiled = compileTable(type, source, { name: file });
  if (!compiled.ok) return { ok: false, errors: compiled.errors.map((e) => e.text) };
  const warnings = compiled.warnings.map((w) => w.text);
  const lines: StoredTableLine[] = [];
  for (const { text } of readPostmapLines(source, file).lines) {
    if (kind !== 'exact') {
      lines.push(splitTableLine(kind, text));
      continue;
    }
    const split = splitPostmapEntry(text);
    if (split.ok) lines.push({ key: split.key, value: split.value });
  }
  return { ok: true, kind, lines, warnings };
}

// postalias: `name: value`, the name ending at the first colon outside double quotes.
function readAliases(file: string, source: string): TableSourceRead {
  const { lines: logical, warnings: read } = readPostmapLines(source, file);
  const warnings = read.map((w) => w.text);
  const lines: StoredTableLine[] = [];
  for (const { line, text } of logical) {
    let colon = -1;
    let quoted = false;
    for (let i = 0; i < text.length && colon < 0; i++) {
      if (text[i] === '"') quoted = !quoted;
      else if (text[i] === ':' && !quoted) colon = i;
    }
    const key = colon < 0 ? '' : trimPostfixSpace(text.slice(0, colon));
    const value = colon < 0 ? '' : trimPostfixSpace(text.slice(colon + 1));
    if (key === '' || value === '') {
      warnings.push(`${file}, line ${line}: need name:value pair`);
    } else if ([...key].some((ch) => isPostfixSpace(ch.charCodeAt(0)))) {
      warnings.push(`${file}, line ${line}: name with whitespace is not supported: ${key} -- ignoring this line`);
    } else {
      lines.push({ key, value });
    }
  }
  return { ok: true, kind: 'exact', lines, warnings };
}

// open(2) as postmap reports it, with a hint when only the built database is there.
function describeOpenError(type: string, file: string, error: NodeJS.ErrnoException): string {
  const reason = error.code === 'ENOENT' ? 'No such file or directory'
    : error.code === 'EACCES' ? 'Permission denied'
      : error.code === 'EISDIR' ? 'Is a directory'
        : error.message;
  const built = ['.db', '.cdb', '.lmdb'].map((suffix) => file + suffix).find((f) => fs.existsSync(f));
  const hint = built !== undefined && error.code === 'ENOENT'
    ? ` (only ${built} is there: Portcullis reads the source file that postmap built it from)`
    : '';
  return `${type}:${file}: open ${file}: ${reason}${hint}`;
}
