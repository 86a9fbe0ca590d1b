/**
 * Exact-match tables: what `postmap hash:FILE` builds (also btree, lmdb, cdb and texthash,
 * which differ in Postfix only in how the file is stored). One Map from lowercased key to a
 * ready lookup result; keys are folded at build and at lookup (DICT_FLAG_FOLD_FIX), so
 * `Mixed.Case.Example` is found as `mixed.case.example` and `MIXED.CASE.EXAMPLE`
 * (spec/appendix-observed.md, "postmap behaviour"). The only table type that gets smtpd's
 * partial keys (access-key-order.ts).
 * Exports: compileExactTable, ExactTable, ExactTableType.
 * Warnings come from the postmap source parser: bad lines and duplicates are skipped, the rest
 * works. A found result carries the source line of the entry, for the console's "why".
 * XXX postmap -f (no case folding) and -r/-w (replace or ignore duplicates) are not offered.
 */
import { NOT_FOUND, type CompileOptions, type CompileTableResult, type LookupResult, type LookupTable, type TableType } from './lookup-table.ts';
import { collectPostmapEntries } from './postmap-source.ts';

export type ExactTableType = Extract<TableType, 'hash' | 'btree' | 'lmdb' | 'cdb' | 'texthash'>;

type Found = Readonly<Extract<LookupResult, { status: 'found' }>>;

/** An exact table; entries() gives what `postmap -s` prints, in source order. */
export class ExactTable implements LookupTable {
  readonly keyForm = 'fixed';
  readonly #byKey: ReadonlyMap<string, Found>;

  constructor(readonly type: ExactTableType, readonly name: string, byKey: ReadonlyMap<string, Found>) {
    this.#byKey = byKey;
  }

  lookup(key: string): LookupResult {
    return this.#byKey.get(hasUpperCase(key) ? key.toLowerCase() : key) ?? NOT_FOUND;
  }

  get size(): number {
    return this.#byKey.size;
  }

  *entries(): IterableIterator<{ key: string; value: string; line: number }> {
    for (const [key, found] of this.#byKey) yield { key, value: found.value, line: found.line as number };
  }
}

/** compileExactTable - build an exact table from postmap source; never fails as a whole. */
export function compileExactTable(type: ExactTableType, source: string, options: CompileOptions): CompileTableResult {
  const { byKey, warnings } = collectPostmapEntries(source, options, (_key, value, line): Found => Object.freeze({ status: 'found', value, line }));
  return { ok: true, table: new ExactTable(type, options.name, byKey), warnings };
}

// toLowerCase() makes a new string, whose hash the Map must compute again: most keys arrive in
// lowercase already, and checking is cheaper than copying.
function hasUpperCase(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if ((code >= 65 && code <= 90) || code > 127) return true;
  }
  return false;
}
