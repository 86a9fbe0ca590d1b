/**
 * Opens the tables a configuration names, once each: `type:{...}` and static/inline tables
 * from their own text, every other `type:name` from the tables stored in the database
 * (table-store.ts). What the policy compiler, the content checks and the console's validation
 * use, so that they agree on what a name means.
 * Exports: TableCatalog, createTableCatalog.
 * A `proxy:` prefix is read through, as Postfix's proxymap serves the same table.
 */
import type { CompileTableResult } from './lookup-table.ts';
import { compileInlineTable, compileTable, isTableType, splitTableName, tableNameIsText } from './table-registry.ts';
import type { TableStore } from './table-store.ts';

export interface TableCatalog {
  /** open - the compiled table for `type:name`; the same spec answers the same result. */
  open(spec: string): CompileTableResult;
}

/** createTableCatalog - a catalog over a table store (null: only self-contained tables open). */
export function createTableCatalog(store: Pick<TableStore, 'compile'> | null): TableCatalog {
  const opened = new Map<string, CompileTableResult>();
  const openUncached = (spec: string): CompileTableResult => {
    let { type, name } = splitTableName(spec);
    if (type === 'proxy') ({ type, name } = splitTableName(name));
    if (name.startsWith('{')) return compileInlineTable(type, name);
    if (tableNameIsText(type, name)) return compileTable(type, name, { name });
    if (!isTableType(type)) return { ok: false, errors: [{ name, text: `unsupported dictionary type: ${type}` }] };
    if (store === null) return { ok: false, errors: [{ name, text: `${spec}: stored tables are not available here` }] };
    return store.compile(type, name);
  };
  return {
    open(spec) {
      let result = opened.get(spec);
      if (result === undefined) {
        result = openUncached(spec);
        opened.set(spec, result);
      }
      return result;
    },
  };
}
