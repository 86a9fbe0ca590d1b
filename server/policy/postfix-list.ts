/**
 * main.cf list syntax: items separated by commas and/or whitespace (Postfix's CHARS_COMMA_SP),
 * with `{ ... }` keeping an item together in restriction lists (mystrtokq()), and the
 * match-list items of network and domain lists: `!` negation, `/file/name`, `type:table`
 * (spec/smtpd-parameters.md "Types").
 * Exports: MatchListItem, parseMatchListItems (lists split by the registry's splitList).
 * XXX `/file/name` and `type:table` items are refused: lookup tables and files come with the
 * table work (server/maps).
 */
import { splitList } from '../config/parameter-list.ts';

export interface MatchListItem {
  readonly negate: boolean; // `!pattern`: a match means "not in the list" (first match wins)
  readonly pattern: string; // the item without its `!` prefixes
}

export type MatchListParse = { ok: true; items: MatchListItem[] } | { ok: false; errors: string[] };

/** parseMatchListItems - split a match list; files, tables and a bare `!` are errors. */
export function parseMatchListItems(parameter: string, value: string): MatchListParse {
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
      errors.push(`in parameter ${parameter}: "${pattern}": lookup tables are not supported here yet`);
    } else {
      items.push({ negate, pattern });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, items };
}
