/**
 * The policy a main.cf file makes, decided against what is stored now and checked whole before
 * anything is written (`portcullis import`): which parameters are stored, which tables are read
 * from the files the values name, and how those values are rewritten to name the stored tables.
 * Exports: ImportInput, ImportedTable, ImportReport, ImportPlan, planImport.
 * - `$config_directory` means the folder of the file; a parameter the file sets but Portcullis
 *   does not store is written into the values that refer to it (file-macros.ts).
 * - Parameters the registry does not have (and that are not declared restriction classes) are
 *   warned about as Postfix's postconf does (`unused parameter`) and not stored; so are
 *   config_directory and command_directory (file-location-parameters.ts).
 * - Every `[proxy:]type:/path` of hash, btree, lmdb, cdb, texthash, cidr, regexp or pcre is read
 *   from its source file (relative paths from the file's folder), stored as a table named after
 *   the file (its path under the folder, else its base name; `-2`, `-3` when two files would
 *   share a name) and the value rewritten to `type:name`. alias_maps tables are read as
 *   aliases(5). Inline tables (`type:{...}`), static: and inline: stay as written.
 * - Other map types (ldap, mysql, unix, ...) stay as written, with a warning: the check refuses
 *   them where the gateway would have to open them (restriction lists, mynetworks, the domain
 *   lists) and lets them be where Portcullis does not read the parameter yet.
 * - `/file/name` items of domain and network lists are replaced by the patterns in the file, as
 *   Postfix reads them in place; `!/file/name` is refused.
 * - A value equal to its default is not a row (as `postconf -e` stores it); with `replace`,
 *   rows and tables the file does not have are removed.
 * Errors: bad values, unreadable tables, and whatever checkPolicy() refuses; any error means
 * no change. Messages name the file and line of the parameter at fault where there is one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getParameterDefinition } from '../config/parameters.ts';
import { splitList } from '../config/parameter-list.ts';
import type { MainCfFileEntry } from '../config/main-cf-file.ts';
import { readPostmapLines } from '../maps/postmap-source.ts';
import { isTableType, tableNameIsText } from '../maps/table-registry.ts';
import { createTableCatalog } from '../maps/table-catalog.ts';
import { tableKindOfType, type StoredPolicyChange, type StoredTable, type StoredTableSummary, type TableKind, type TableStore } from '../maps/table-store.ts';
import { FILE_LOCATION_PARAMETERS } from './file-location-parameters.ts';
import { substituteFileMacros, type FileMacroScope } from './file-macros.ts';
import { findValueReferences, referenceSyntaxOf, replaceRanges, type ReferenceSyntax } from './table-reference.ts';
import { readTableSource, tableSourceFormatOf, type TableSourceFormat } from './read-table-source.ts';
import { createPendingTableStore } from './pending-table-store.ts';
import { checkPolicy } from './check-policy.ts';

export interface ImportInput {
  readonly file: string;                         // the main.cf, absolute
  readonly entries: readonly MainCfFileEntry[];  // its definitions (main-cf-file.ts)
  readonly replace: boolean;                     // the file is the whole policy
}

export interface ImportedTable {
  readonly name: string;    // stored name
  readonly kind: TableKind;
  readonly entries: number; // stored lines
  readonly source: string;  // the file it was read from
}

export interface ImportReport {
  readonly parameters: number;                   // rows stored from the file
  readonly defaults: number;                     // file values equal to their defaults, so no row
  readonly tables: readonly ImportedTable[];
  readonly removedParameters: readonly string[]; // replace: rows the file does not have
  readonly removedTables: readonly string[];     // replace: tables the file does not name
}

export type ImportPlan =
  | { ok: true; change: StoredPolicyChange; report: ImportReport; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

type StoredState = { parameters: Readonly<Record<string, string>>; tables: readonly StoredTableSummary[] };

/** planImport - the change the file makes to `current`, checked; `stored` opens the current tables. */
export function planImport(input: ImportInput, current: StoredState, stored: Pick<TableStore, 'compile'>): ImportPlan {
  const { file, replace } = input;
  const folder = path.dirname(file);
  const errors: string[] = [];
  const warnings: string[] = [];
  const lineOf = new Map(input.entries.map((e) => [e.name, e.line]));
  const at = (name: string) => `${file}, line ${lineOf.get(name)}: ${name}`;

  // Classes as the stored set will declare them: the file's declaration, else (merging) the stored one.
  const declared = input.entries.find((e) => e.name === 'smtpd_restriction_classes')?.value
    ?? (replace ? '' : current.parameters.smtpd_restriction_classes ?? '');
  const classes = new Set(splitList(declared));
  const isStored = (name: string) => (getParameterDefinition(name) !== undefined && !FILE_LOCATION_PARAMETERS.has(name)) || classes.has(name);

  const kept: MainCfFileEntry[] = [];
  const unstored = new Map<string, string>();
  for (const entry of input.entries) {
    if (isStored(entry.name)) {
      kept.push(entry);
      continue;
    }
    unstored.set(entry.name, entry.value);
    const why = FILE_LOCATION_PARAMETERS.get(entry.name);
    warnings.push(why !== undefined
      ? `${at(entry.name)}: not imported: ${why}`
      : `${file}, line ${entry.line}: unused parameter: ${entry.name}=${entry.value} (Portcullis does not implement it; not imported)`);
  }
  const scope: FileMacroScope = { configDirectory: folder, unstored, isStored };

  const tables = new TableReader(folder, warnings);
  const values: Record<string, string> = {};
  for (const { name, value } of kept) {
    const macros = substituteFileMacros(value, scope);
    const def = getParameterDefinition(name);
    const syntax: ReferenceSyntax | null = def ? referenceSyntaxOf(def) : 'restriction-list';
    // Postfix too expands $config_directory before it splits a list at blanks and commas.
    if (syntax !== null && macros.substituted.includes('config_directory') && /[\s,{}]/.test(folder)) {
      errors.push(`${at(name)}: $config_directory is ${folder}, whose blanks, commas or braces would split the value; move the files to a folder without them`);
      continue;
    }
    for (const other of macros.substituted) {
      if (other !== 'config_directory') warnings.push(`${at(name)}: $${other} replaced by its value in ${file}: ${other} is not stored`);
    }
    for (const other of macros.unresolved) {
      warnings.push(`${at(name)}: $${other} is neither a Portcullis parameter nor set in ${file}: it expands to nothing`);
    }
    for (const other of macros.conditional) {
      warnings.push(`${at(name)}: a conditional \${${other}...} form is left as written; ${other} is not stored, so write the value out`);
    }
    values[name] = syntax === null ? macros.value : rewriteReferences(name, macros.value, syntax, tables, {
      where: at(name), format: tableSourceFormatOf(name), errors, warnings,
    });
  }

  const next: Record<string, string> = replace ? {} : { ...current.parameters };
  let storedCount = 0;
  let defaults = 0;
  for (const [name, value] of Object.entries(values)) {
    const def = getParameterDefinition(name);
    if (def ? !def.computed && value === def.default : value === '') {
      delete next[name];
      defaults++;
    } else {
      next[name] = value;
      storedCount++;
    }
  }
  const pending = tables.read;
  const removedTables = replace ? current.tables.map((t) => t.name).filter((name) => !pending.has(name)) : [];
  const catalog = errors.length ? null : createTableCatalog(createPendingTableStore(pending, replace ? null : stored));
  const checked = checkPolicy(next, catalog);
  const located = (p: { parameter: string | null; text: string }) =>
    (p.parameter !== null && lineOf.has(p.parameter) ? `${file}, line ${lineOf.get(p.parameter)}: ${p.text}` : p.text);
  warnings.push(...checked.warnings.map(located));
  errors.push(...checked.errors.map(located));
  if (errors.length) return { ok: false, errors, warnings };

  return {
    ok: true,
    warnings,
    change: { parameters: next, tables: [...pending.values()], deleteTables: removedTables },
    report: {
      parameters: storedCount,
      defaults,
      tables: [...pending.values()].map((t) => ({ name: t.name, kind: t.kind, entries: t.lines.length, source: tables.sourceOf.get(t.name)! })),
      removedParameters: Object.keys(current.parameters).filter((name) => !(name in next)),
      removedTables,
    },
  };
}

interface RewriteContext {
  where: string;              // `FILE, line N: name`, for messages
  format: TableSourceFormat;  // how this parameter's tables are written
  errors: string[];
  warnings: string[];
}

// The value with each table it names rewritten to its stored name and each /file/name item
// replaced by its patterns.
function rewriteReferences(name: string, value: string, syntax: ReferenceSyntax, tables: TableReader, context: RewriteContext): string {
  const { where, errors, warnings } = context;
  const references = findValueReferences(value, syntax);
  const replacements: { start: number; end: number; text: string }[] = [];
  for (const item of references.files) {
    if (item.negate) {
      errors.push(`${where}: "!${item.path}": a negated /file/name is not supported; write its patterns into ${name}`);
      continue;
    }
    const patterns = readPatternFile(tables.resolve(item.path));
    if ('error' in patterns) {
      errors.push(`${where}: ${item.path}: ${patterns.error}`);
      continue;
    }
    warnings.push(`${where}: the ${patterns.items.length} patterns of ${item.path} are written into the value (Postfix reads them from the file)`);
    replacements.push({ start: item.start, end: item.end, text: patterns.items.join(' ') });
  }
  for (const ref of references.tables) {
    const spec = `${ref.proxy ? 'proxy:' : ''}${ref.type}:${ref.name}`;
    if (!isTableType(ref.type)) {
      warnings.push(`${where}: ${spec}: map type ${ref.type} is not supported by Portcullis; kept as written`);
      continue;
    }
    if (tableNameIsText(ref.type, ref.name)) continue;
    if (ref.name.includes('$')) {
      errors.push(`${where}: ${spec}: the file name refers to a parameter that is not set; write the path out`);
      continue;
    }
    const taken = tables.take(ref.type, ref.name, context.format);
    if ('errors' in taken) {
      errors.push(...taken.errors.map((e) => `${where}: ${e}`));
      continue;
    }
    if (taken.name === null) continue;
    const storedName = taken.name;
    replacements.push({ start: ref.start, end: ref.end, text: `${ref.proxy ? 'proxy:' : ''}${ref.type}:${storedName}` });
  }
  return replaceRanges(value, replacements);
}

// A match list's /file/name: its items, line by line, as match_list_parse() reads the file.
function readPatternFile(file: string): { items: string[] } | { error: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { error: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (error as Error).message}` };
  }
  return { items: readPostmapLines(text, file).lines.flatMap((l) => splitList(l.text)) };
}

// Reads each source file once and names the tables the import stores.
class TableReader {
  readonly read = new Map<string, StoredTable>();      // by stored name
  readonly sourceOf = new Map<string, string>();        // stored name -> file
  readonly #byFile = new Map<string, string | null>();  // kind, format and file -> stored name (null: unreadable)

  constructor(readonly folder: string, readonly warnings: string[]) {}

  resolve(file: string): string {
    return path.resolve(this.folder, file);
  }

  // The stored name for `type:file`, reading the file the first time; its errors only then,
  // null after that.
  take(type: string, file: string, format: TableSourceFormat): { name: string | null } | { errors: string[] } {
    const absolute = this.resolve(file);
    const key = `${tableKindOfType(type)}\0${format}\0${absolute}`;
    const known = this.#byFile.get(key);
    if (known !== undefined) return { name: known };
    const source = readTableSource(type, absolute, format);
    if (!source.ok) {
      this.#byFile.set(key, null);
      return { errors: source.errors };
    }
    this.warnings.push(...source.warnings);
    const name = this.#nameFor(absolute);
    this.read.set(name, { name, kind: source.kind, lines: source.lines });
    this.sourceOf.set(name, absolute);
    this.#byFile.set(key, name);
    return { name };
  }

  // The path under the folder (so an exported folder reads back with the same names), else the
  // base name; characters a stored name may not have become `-`.
  #nameFor(file: string): string {
    const relative = path.relative(this.folder, file);
    const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    const base = (inside ? relative.split(path.sep).join('/') : path.basename(file))
      .replace(/[^A-Za-z0-9._/-]/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/\/{2,}/g, '/')
      .replace(/^[^A-Za-z0-9]+/, '') || 'table';
    let name = base;
    for (let n = 2; this.read.has(name); n++) name = `${base}-${n}`;
    return name;
  }
}
