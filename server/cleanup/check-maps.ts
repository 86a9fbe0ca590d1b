/**
 * A `maps` parameter of content inspection (header_checks, body_checks ...), as Postfix's
 * maps_create() and maps_find() use it: several tables, searched in the order given, the first
 * that finds the key answers. The empty string is never looked up, so an empty body line never
 * matches (header-body-checks.md §2).
 * Exports: CheckMaps, openCheckMaps, findCheck.
 * A table that cannot be opened fails the whole parameter; a table that fails a lookup ends the
 * search with retry, which the caller turns into "try again later" (maps->error).
 */
import type { LookupResult, LookupTable } from '../maps/lookup-table.ts';
import { NOT_FOUND } from '../maps/lookup-table.ts';
import type { TableCatalog } from '../maps/table-catalog.ts';

export interface CheckMaps {
  readonly parameter: string;               // header_checks, mime_header_checks ...: the map class in log lines
  readonly tables: readonly LookupTable[];  // in the order of the parameter value; empty: nothing to inspect
}

/** openCheckMaps - open every `type:name` of a list; errors name the parameter, warnings are the tables'. */
export function openCheckMaps(
  parameter: string, specs: readonly string[], catalog: TableCatalog,
): { ok: true; maps: CheckMaps; warnings: string[] } | { ok: false; errors: string[] } {
  const tables: LookupTable[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const spec of specs) {
    const opened = catalog.open(spec);
    if (!opened.ok) {
      errors.push(...opened.errors.map((e) => `in parameter ${parameter}: ${e.text}`));
      continue;
    }
    warnings.push(...opened.warnings.map((w) => w.text));
    tables.push(opened.table);
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, maps: Object.freeze({ parameter, tables: Object.freeze(tables) }), warnings };
}

/** findCheck - maps_find(): the first table's answer for key; a retry stops the search. */
export function findCheck(maps: CheckMaps, key: string): LookupResult {
  if (key === '') return NOT_FOUND;
  for (const table of maps.tables) {
    const result = table.lookup(key);
    if (result.status !== 'notfound') return result;
  }
  return NOT_FOUND;
}
