/**
 * The lookup table interface every map type implements, Postfix's DICT: `lookup(key)` answers
 * found, notfound or retry (dict->error DICT_ERR_RETRY is kept apart from a miss), and a table
 * is compiled once from its source text, keeping Postfix's warnings with their line numbers.
 * Exports: TableType, LookupResult, LookupTable, KeyForm, TableWarning, TableError,
 * CompileOptions, CompileTableResult, NOT_FOUND, tableWarning.
 * Reads no parameters. Compiled tables are immutable; lookups do no I/O.
 */

/** Map type names as Postfix spells them in `type:name` (dict_open_info[] in dict_open.c). */
export type TableType =
  | 'hash' | 'btree' | 'lmdb' | 'cdb' | 'texthash'   // exact: one dictionary, keys folded to lowercase
  | 'cidr' | 'regexp' | 'pcre'                       // pattern: rules tried in file order
  | 'inline' | 'static';                             // tables written inside a main.cf value

export type LookupResult =
  | { status: 'found'; value: string; line?: number } // line: the rule that matched (pattern tables)
  | { status: 'notfound' }
  | { status: 'retry'; reason: string };             // temporary: the caller answers 4xx, never a pass

/**
 * Postfix's DICT_FLAG_FIXED versus DICT_FLAG_PATTERN: smtpd offers partial keys (parent domains,
 * shorter networks, `user@`) only to fixed-string tables; pattern tables see full keys only.
 */
export type KeyForm = 'fixed' | 'pattern';

export interface LookupTable {
  readonly type: TableType;
  readonly name: string;       // file path, stored table name, or the `{...}` text of an inline table
  readonly keyForm: KeyForm;
  lookup(key: string): LookupResult;
  /** The entries, for tables that can list them (dict->sequence: `postmap -s`, console export). */
  entries?(): Iterable<{ readonly key: string; readonly value: string }>;
}

/** One warning as Postfix logs it; `text` is the part after `warning: `. */
export interface TableWarning {
  readonly name: string;         // the table name the text mentions
  readonly line: number | null;  // first line of the logical line at fault; null for the whole table
  readonly text: string;         // e.g. `cidr map client.cidr, line 1: ...: skipping this rule`
}

/** A table that cannot be built at all (unknown type, inline syntax), as dict_surrogate() reports. */
export interface TableError {
  readonly name: string;
  readonly text: string;
}

export interface CompileOptions {
  readonly name: string;         // what warnings call the table: a path, as postmap prints it
}

export type CompileTableResult =
  | { ok: true; table: LookupTable; warnings: TableWarning[] }
  | { ok: false; errors: TableError[] };

/** The one notfound value, shared so a miss allocates nothing. */
export const NOT_FOUND: LookupResult = Object.freeze({ status: 'notfound' });

/** tableWarning - a warning in the `NAME, line N: text` form Postfix uses for source files. */
export function tableWarning(name: string, line: number, text: string): TableWarning {
  return { name, line, text: `${name}, line ${line}: ${text}` };
}
