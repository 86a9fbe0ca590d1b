/**
 * A lookup table that answers exactly as the one it wraps and hands each lookup's key and
 * answer to an observer first: the table hit counts of the gateway (server/stats) and the
 * simulator's trace of keys tried (server/policy) both watch tables this way.
 * Exports observeLookups. Reads no parameters. The observer must not throw: it runs on the
 * SMTP path.
 */
import type { LookupResult, LookupTable } from './lookup-table.ts';

/** observeLookups - the same table, every lookup seen by `observe`; entries() passes through. */
export function observeLookups(table: LookupTable, observe: (key: string, result: LookupResult) => void): LookupTable {
  const observed: LookupTable = {
    type: table.type,
    name: table.name,
    keyForm: table.keyForm,
    lookup(key) {
      const result = table.lookup(key);
      observe(key, result);
      return result;
    },
  };
  const entries = table.entries;
  return entries === undefined ? observed : { ...observed, entries: () => entries.call(table) };
}
