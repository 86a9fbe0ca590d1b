/**
 * main.cf list syntax: items separated by commas and/or whitespace (Postfix's CHARS_COMMA_SP),
 * with `{ ... }` keeping an item together in restriction lists (mystrtokq()), and the
 * match-list items of network and domain lists: `!` negation, `/file/name`, `type:table`
 * (spec/smtpd-parameters.md "Types").
 * Exports: MatchListItem, parseMatchListItems (lists split by the registry's splitList).
 * A `type:table` item is opened through the table catalog when one is given; without one, and
 * for `/file/name` items (not supported), the item is an error.
 */
import { splitList } from '../config/parameter-list.ts';
import type { LookupTable } from '../maps/lookup-table.ts';
import type { TableCatalog } from '../maps/table-catalog.ts';

export interface MatchListItem {
  readonly negate: boolean; // `!pattern`: a match means "not in the list" (first match wins)
  readonly pattern: string; // the item without its `!` prefixes
  readonly table: LookupTable | null; // the opened table of a `type:table` item
}

export type MatchListParse = { ok: true; items: MatchListItem[] } | { ok: false; errors: string[] };

/** parseMatchListItems - split a match list; files, tables and a bare `!` are errors. */
export function parseMatchListItems(parameter: string, value: string, tables?: TableCatalog): MatchListParse {
  const items: MatchListItem[] = [];
  const errors: string[] = [];
  for (const item of splitList(value)) {
    let negate = false;
    let pattern = item;
    while (pattern.startsWith('!')) {
      negate = !negate;
      pattern = pattern.slice(1);
    }
    if (pattern === '') {
      errors.push(`in parameter ${parameter}: no pattern after '!'`);
    } else if (pattern.startsWith('/')) {
      errors.push(`in parameter ${parameter}: "${pattern}": /file/name items are not supported yet`);
    } else if (!pattern.startsWith('[') && pattern.includes(':')) {
      // Postfix reads any item with ':' (outside brackets) as a lookup table.
      const opened = tables?.open(pattern);
      if (opened === undefined) errors.push(`in parameter ${parameter}: "${pattern}": lookup tables are not supported here`);
      else if (!opened.ok) errors.push(...opened.errors.map((e) => `in parameter ${parameter}: ${e.text}`));
      else items.push({ negate, pattern, table: opened.table });
    } else {
      items.push({ negate, pattern, table: null });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, items };
}
