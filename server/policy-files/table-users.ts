/**
 * Which parameters name which stored tables: every `type:name` a stored main.cf value names
 * (maps parameters, domain and network lists, restriction lists and classes, as
 * table-reference.ts reads them), by table name. The console shows it beside each table and
 * refuses to delete a table a parameter still names.
 * Exports: TableUse, findTableUsers.
 * Only stored (changed) values are read: no Postfix default names a stored table.
 */
import { getParameterDefinition } from '../config/parameters.ts';
import { splitList } from '../config/parameter-list.ts';
import { tableNameIsText } from '../maps/table-registry.ts';
import { findValueReferences, referenceSyntaxOf, type ReferenceSyntax } from './table-reference.ts';

/** One parameter naming a table, and how (`hash:clients`). */
export interface TableUse {
  readonly parameter: string;
  readonly spec: string;
}

/** findTableUsers - the parameters naming each table, by table name, parameters in name order. */
export function findTableUsers(parameters: Readonly<Record<string, string>>): Map<string, TableUse[]> {
  const classes = new Set(splitList(parameters.smtpd_restriction_classes ?? ''));
  const users = new Map<string, TableUse[]>();
  for (const parameter of Object.keys(parameters).sort()) {
    const def = getParameterDefinition(parameter);
    const syntax: ReferenceSyntax | null = def ? referenceSyntaxOf(def) : classes.has(parameter) ? 'restriction-list' : null;
    if (syntax === null) continue;
    for (const ref of findValueReferences(parameters[parameter], syntax).tables) {
      if (tableNameIsText(ref.type, ref.name) || ref.name.startsWith('{')) continue;
      const list = users.get(ref.name) ?? [];
      if (!list.some((use) => use.parameter === parameter)) list.push({ parameter, spec: `${ref.type}:${ref.name}` });
      users.set(ref.name, list);
    }
  }
  return users;
}
