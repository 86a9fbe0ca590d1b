/**
 * The map types the gateway knows, by name, as dict_open_info[] in Postfix's dict_open.c: each
 * entry says whether smtpd may offer it partial keys (fixed versus pattern) and how to compile
 * its source. hash, btree, lmdb, cdb and texthash share the exact-table semantics (they differ
 * only in Postfix's file formats); inline and static take their text from the table name.
 * Exports: TABLE_OPENERS, TableOpener, isTableType, compileTable, compileInlineTable,
 * splitTableName, tableNameIsText, DEFAULT_DATABASE_TYPE.
 * Reads no parameters (default_database_type is Postfix's `hash`).
 * An unknown type is an error for the whole table: `unsupported dictionary type: mysql`.
 * XXX proxy:, and the client types (ldap, mysql, pgsql, sqlite, memcache, socketmap, tcp) are
 * not supported.
 */
import { compileCidrTable } from './cidr-table.ts';
import { compileExactTable } from './exact-table.ts';
import { compileInlineEntries, compileStaticTable } from './inline-table.ts';
import { inlineRulesToSource } from './inline-syntax.ts';
import type { CompileOptions, CompileTableResult, KeyForm, TableType } from './lookup-table.ts';
import { compilePcreTable } from './pcre-table.ts';
import { compileRegexpTable } from './regexp-table.ts';

export interface TableOpener {
  readonly keyForm: KeyForm;       // what smtpd may offer: all keys, or full keys only
  // How `type:{...}` in a main.cf value reads: one rule per `{rule}` (dict_stream), the text
  // itself (inline, static), or not at all (the file types).
  readonly inline: 'rules' | 'text' | null;
  compile(source: string, options: CompileOptions): CompileTableResult;
}

/** The map type Postfix assumes for a table name without `type:` (default_database_type). */
export const DEFAULT_DATABASE_TYPE: TableType = 'hash';

const exact = (type: 'hash' | 'btree' | 'lmdb' | 'cdb' | 'texthash'): TableOpener => ({
  keyForm: 'fixed',
  inline: null,
  compile: (source, options) => compileExactTable(type, source, options),
});

export const TABLE_OPENERS: ReadonlyMap<TableType, TableOpener> = new Map<TableType, TableOpener>([
  ['hash', exact('hash')],
  ['btree', exact('btree')],
  ['lmdb', exact('lmdb')],
  ['cdb', exact('cdb')],
  ['texthash', exact('texthash')],
  ['cidr', { keyForm: 'pattern', inline: 'rules', compile: compileCidrTable }],
  ['regexp', { keyForm: 'pattern', inline: 'rules', compile: compileRegexpTable }],
  ['pcre', { keyForm: 'pattern', inline: 'rules', compile: compilePcreTable }],
  ['inline', { keyForm: 'fixed', inline: 'text', compile: compileInlineEntries }],
  ['static', { keyForm: 'fixed', inline: 'text', compile: compileStaticTable }],
]);

/** isTableType - true for a map type this gateway can compile. */
export function isTableType(type: string): type is TableType {
  return TABLE_OPENERS.has(type as TableType);
}

/**
 * compileTable - compile source text as a table of the named type: a file's content for the
 * file types, the `{...}` or value text for inline and static.
 */
export function compileTable(type: string, source: string, options: CompileOptions): CompileTableResult {
  if (!isTableType(type)) return { ok: false, errors: [{ name: options.name, text: `unsupported dictionary type: ${type}` }] };
  return (TABLE_OPENERS.get(type) as TableOpener).compile(source, options);
}

/**
 * compileInlineTable - a table written in a main.cf value as `type:{...}`; the `{...}` text is
 * also the table's name in warnings, as Postfix names it.
 */
export function compileInlineTable(type: string, text: string): CompileTableResult {
  if (!isTableType(type)) return compileTable(type, text, { name: text });
  const opener = TABLE_OPENERS.get(type) as TableOpener;
  if (opener.inline === 'text') return opener.compile(text, { name: text });
  if (opener.inline === null) return { ok: false, errors: [{ name: text, text: `${type}:${text}: a ${type} table cannot be written inline` }] };
  const converted = inlineRulesToSource(type, text);
  if (!converted.ok) return { ok: false, errors: [{ name: text, text: converted.error }] };
  return opener.compile(converted.source, { name: text });
}

/** splitTableName - `type:name` into its parts; a name without a type is default_database_type. */
export function splitTableName(spec: string): { type: string; name: string } {
  const colon = spec.indexOf(':');
  // A `{` before any `:` is an inline table's text, never a type prefix.
  if (colon < 0 || spec.lastIndexOf('{', colon) >= 0) return { type: DEFAULT_DATABASE_TYPE, name: spec };
  return { type: spec.slice(0, colon), name: spec.slice(colon + 1) };
}

/** tableNameIsText - true when `type:name` carries the table itself (inline, static, `{...}`), not a file name. */
export function tableNameIsText(type: string, name: string): boolean {
  return name.startsWith('{') || (isTableType(type) && TABLE_OPENERS.get(type)?.inline === 'text');
}
