/**
 * Tables written inside a main.cf value: `inline:{ key=value, { key = text, with commas } }`
 * (dict_inline: an exact table, keys folded to lowercase, a later duplicate replacing an
 * earlier one since dict_inline does no duplicate checks) and `static:VALUE` or
 * `static:{ text with spaces }` (dict_static: every key finds VALUE). The `{rule}` forms of
 * regexp, pcre and cidr are inline-syntax.ts and table-registry.ts.
 * Exports: compileInlineEntries, compileStaticTable.
 * A syntax error fails the whole table, as dict_surrogate() does in Postfix.
 */
import { NOT_FOUND, type CompileOptions, type CompileTableResult, type LookupResult, type LookupTable } from './lookup-table.ts';
import { parseInlineEntries, stripBraces } from './inline-syntax.ts';

class InlineTable implements LookupTable {
  readonly type = 'inline';
  readonly keyForm = 'fixed';

  constructor(readonly name: string, readonly values: ReadonlyMap<string, string>) {}

  lookup(key: string): LookupResult {
    const value = this.values.get(key.toLowerCase());
    return value === undefined ? NOT_FOUND : { status: 'found', value };
  }

  *entries(): IterableIterator<{ key: string; value: string }> {
    for (const [key, value] of this.values) yield { key, value };
  }
}

class StaticTable implements LookupTable {
  readonly type = 'static';
  readonly keyForm = 'fixed';
  readonly #result: LookupResult;

  constructor(readonly name: string, value: string) {
    this.#result = Object.freeze({ status: 'found', value });
  }

  lookup(): LookupResult {
    return this.#result;
  }
}

/** compileInlineEntries - an inline table from the `{...}` text after `inline:`. */
export function compileInlineEntries(text: string, options: CompileOptions): CompileTableResult {
  const parsed = parseInlineEntries(text);
  if (!parsed.ok) return { ok: false, errors: [{ name: options.name, text: parsed.error }] };
  const values = new Map<string, string>();
  for (const { key, value } of parsed.entries) values.set(key.toLowerCase(), value);
  return { ok: true, table: new InlineTable(options.name, values), warnings: [] };
}

/** compileStaticTable - a table that finds `text` (braces stripped) for every key. */
export function compileStaticTable(text: string, options: CompileOptions): CompileTableResult {
  let value = text;
  if (text.startsWith('{')) {
    const stripped = stripBraces(text);
    if (!stripped.ok) return { ok: false, errors: [{ name: options.name, text: `static map: ${stripped.error}` }] };
    value = stripped.text;
  }
  return { ok: true, table: new StaticTable(options.name, value), warnings: [] };
}
