/**
 * The stored policy as Postfix files (`portcullis export`): a main.cf with the stored
 * (non-default) parameters as `postconf -n` prints them, and one postmap source file per
 * stored table, named as the table, which the main.cf names as `type:$config_directory/NAME`.
 * `portcullis import --replace DIR/main.cf` reads such a folder back into the same policy.
 * Exports: ExportFile, PolicyExport, exportPolicy.
 * Exact tables are written as `key<TAB>value` lines (`name: value` for the tables of alias_maps,
 * as postalias reads them), pattern tables as their rules in order.
 * config_directory and command_directory are left out with a warning (they would mean another
 * machine's folders). A table named as a path (/etc/postfix/access) is written under the
 * folder (etc/postfix/access) and reads back under that name. Two tables that would share a
 * file (or a table named main.cf) are refused.
 */
import { getParameterDefinition } from '../config/parameters.ts';
import { splitList } from '../config/parameter-list.ts';
import { formatPostmapLines, formatPostmapSource } from '../maps/postmap-source.ts';
import { tableNameIsText } from '../maps/table-registry.ts';
import { formatTableLine, type StoredPolicy, type StoredTable } from '../maps/table-store.ts';
import { FILE_LOCATION_PARAMETERS } from './file-location-parameters.ts';
import { tableSourceFormatOf } from './read-table-source.ts';
import { findValueReferences, referenceSyntaxOf, replaceRanges, type ReferenceSyntax } from './table-reference.ts';

export interface ExportFile {
  readonly path: string; // relative to the export folder, `/`-separated
  readonly text: string;
}

export type PolicyExport =
  | { ok: true; files: ExportFile[]; parameters: number; warnings: string[] }
  | { ok: false; errors: string[] };

const MAIN_CF = 'main.cf';

/** exportPolicy - the files of a stored policy, main.cf first. */
export function exportPolicy(policy: StoredPolicy): PolicyExport {
  const tables = new Map(policy.tables.map((t) => [t.name, t]));
  const byFile = new Map<string, string>([[MAIN_CF, 'the exported main.cf']]);
  const errors: string[] = [];
  for (const { name } of policy.tables) {
    const other = byFile.get(fileOf(name));
    if (other !== undefined) errors.push(`table ${name}: its file ${fileOf(name)} would overwrite ${other}; rename the table first`);
    else byFile.set(fileOf(name), `table ${name}`);
  }
  if (errors.length) return { ok: false, errors };
  const warnings: string[] = [];
  const classes = new Set(splitList(policy.parameters.smtpd_restriction_classes ?? ''));
  const lines: string[] = [];
  const aliasTables = new Set<string>();
  for (const name of Object.keys(policy.parameters).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const why = FILE_LOCATION_PARAMETERS.get(name);
    if (why !== undefined) {
      warnings.push(`${name}: not exported: ${why}`);
      continue;
    }
    const def = getParameterDefinition(name);
    const syntax: ReferenceSyntax | null = def ? referenceSyntaxOf(def) : classes.has(name) ? 'restriction-list' : null;
    const value = syntax === null ? policy.parameters[name] : nameTableFiles(policy.parameters[name], syntax, tables, (table) => {
      if (tableSourceFormatOf(name) === 'aliases') aliasTables.add(table);
    });
    // A line break inside a value continues on an indented line, as main.cf writes it.
    lines.push(`${name} = ${value}`.trimEnd().replace(/\n/g, '\n    '));
  }
  const header = [
    '# Exported by portcullis export: the stored parameters that differ from their defaults, as',
    '# postconf -n prints them; each table is the file of its name beside this one (postmap source).',
    '# Read it back with: portcullis import --replace main.cf',
  ];
  const files: ExportFile[] = [{ path: MAIN_CF, text: [...header, ...lines].join('\n') + '\n' }];
  for (const table of policy.tables) files.push({ path: fileOf(table.name), text: formatTable(table, aliasTables.has(table.name)) });
  return { ok: true, files, parameters: lines.length, warnings };
}

// Each stored table a value names becomes the file beside the exported main.cf.
function nameTableFiles(value: string, syntax: ReferenceSyntax, tables: ReadonlyMap<string, StoredTable>, named: (table: string) => void): string {
  const replacements = findValueReferences(value, syntax).tables
    .filter((ref) => !tableNameIsText(ref.type, ref.name) && tables.has(ref.name))
    .map((ref) => {
      named(ref.name);
      return { start: ref.start, end: ref.end, text: `${ref.proxy ? 'proxy:' : ''}${ref.type}:$config_directory/${fileOf(ref.name)}` };
    });
  return replaceRanges(value, replacements);
}

// A table's file under the export folder: its name, without a leading `/` (names are never
// `..`, so a file cannot land outside the folder).
function fileOf(name: string): string {
  return name.replace(/^\/+/, '');
}

function formatTable(table: StoredTable, aliases: boolean): string {
  if (aliases) return table.lines.map((line) => `${line.key}: ${line.value}\n`).join('');
  return table.kind === 'exact' ? formatPostmapSource(table.lines) : formatPostmapLines(table.lines.map(formatTableLine));
}
