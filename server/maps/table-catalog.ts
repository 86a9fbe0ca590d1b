/**
 * Opens the tables a configuration names, once each: `type:{...}` and static/inline tables
 * from their own text, every other `type:name` from the tables stored in the database
 * (table-store.ts). What the policy compiler, the content checks and the console's validation
 * use, so that they agree on what a name means.
 * Exports: TableCatalog, CompiledTableCache, CountTableHits, createTableCatalog.
 * A `proxy:` prefix is read through, as Postfix's proxymap serves the same table.
 */
import type { CompileTableResult, LookupTable } from './lookup-table.ts';
import { compileInlineTable, compileTable, isTableType, splitTableName, tableNameIsText } from './table-registry.ts';
import type { StoredTableCompile, TableStore } from './table-store.ts';

export interface TableCatalog {
  /** open - the compiled table for `type:name`; the same spec answers the same result. */
  open(spec: string): CompileTableResult;
}

/**
 * CompiledTableCache - compiled stored tables kept from one snapshot to the next, by spec, with
 * the stamp they were compiled at: a reload recompiles only the tables that changed.
 */
export type CompiledTableCache = Map<string, { stamp: string; result: CompileTableResult }>;

/**
 * CountTableHits - wraps a compiled stored table so its found answers are counted, given the
 * stored key of each source line (the gateway's hit counts, server/stats/table-hits.ts).
 */
export type CountTableHits = (table: LookupTable, tableName: string, lineKeys: readonly string[]) => LookupTable;

/**
 * createTableCatalog - a catalog over a table store (null: only self-contained tables open).
 * With a cache, stored tables whose stamp did not move are reused, and the cache is left
 * holding exactly the stored tables this catalog opened once `done()` is called. With
 * countHits, stored tables come wrapped by it (tables written inside a value are not counted).
 */
export function createTableCatalog(
  store: { compile(type: string, name: string): StoredTableCompile } & Partial<Pick<TableStore, 'stamp'>> | null,
  cache?: CompiledTableCache,
  countHits?: CountTableHits,
): TableCatalog & { done(): void } {
  const opened = new Map<string, CompileTableResult>();
  const used: CompiledTableCache = new Map();
  const compile = (type: string, name: string): CompileTableResult => {
    const result = store!.compile(type, name);
    if (countHits === undefined || !result.ok || result.lineKeys === undefined) return result;
    return { ok: true, table: countHits(result.table, name, result.lineKeys), warnings: result.warnings };
  };
  const compileStored = (spec: string, type: string, name: string): CompileTableResult => {
    const stamp = cache && store?.stamp ? store.stamp(name) : null;
    if (stamp === null || cache === undefined) return compile(type, name);
    const kept = cache.get(spec);
    const result = kept !== undefined && kept.stamp === stamp ? kept.result : compile(type, name);
    used.set(spec, { stamp, result });
    return result;
  };
  const openUncached = (spec: string): CompileTableResult => {
    let { type, name } = splitTableName(spec);
    if (type === 'proxy') ({ type, name } = splitTableName(name));
    if (name.startsWith('{')) return compileInlineTable(type, name);
    if (tableNameIsText(type, name)) return compileTable(type, name, { name });
    if (!isTableType(type)) return { ok: false, errors: [{ name, text: `unsupported dictionary type: ${type}` }] };
    if (store === null) return { ok: false, errors: [{ name, text: `${spec}: stored tables are not available here` }] };
    return compileStored(spec, type, name);
  };
  return {
    done() {
      if (cache === undefined) return;
      cache.clear();
      for (const [spec, entry] of used) cache.set(spec, entry);
    },
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
