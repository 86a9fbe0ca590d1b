/**
 * Tables about to be stored, opened as if they already were: what an import compiles the
 * policy against before it writes anything. A name that is not among them falls through to
 * the tables stored now (a merge) or is not found (a replacement, which removes them).
 * Exports: createPendingTableStore.
 * Warnings of pending tables are left out: they were reported when their source files were
 * read, with the files' own line numbers.
 */
import type { CompileTableResult } from '../maps/lookup-table.ts';
import { compileTable, isTableType } from '../maps/table-registry.ts';
import { formatTableLine, tableKindOfType, type StoredTable, type TableStore } from '../maps/table-store.ts';

type TableCompiler = Pick<TableStore, 'compile'>;

/** createPendingTableStore - a table source for createTableCatalog() over pending tables, then fallback. */
export function createPendingTableStore(pending: ReadonlyMap<string, StoredTable>, fallback: TableCompiler | null): TableCompiler {
  return {
    compile(type: string, name: string): CompileTableResult {
      const table = pending.get(name);
      if (table === undefined) {
        return fallback?.compile(type, name) ?? { ok: false, errors: [{ name, text: `${type}:${name}: no table "${name}" is stored` }] };
      }
      // The same refusal TableStore.compile() gives, so the check and the gateway agree.
      if (!isTableType(type) || tableKindOfType(type) !== table.kind) {
        return { ok: false, errors: [{ name, text: `${type}:${name}: table "${name}" is a ${table.kind} table, not ${type}` }] };
      }
      const source = table.lines.map((line) => formatTableLine(line) + '\n').join('');
      const compiled = compileTable(type, source, { name });
      return compiled.ok ? { ...compiled, warnings: [] } : compiled;
    },
  };
}
