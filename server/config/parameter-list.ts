/**
 * Splitting a list-valued parameter into items, as Postfix's mystrtokq() does for lists:
 * items are separated by commas and/or whitespace (CHARS_COMMA_SP), but text inside `{ }`
 * stays one item with its braces, so `regexp:{{/^[^A-Z]/ Bogus}}` survives in
 * smtpd_forbidden_commands. Empty items vanish. Unbalanced braces run to the end of the value.
 * Exports: splitList.
 */

const SEPARATOR = /[,\s]/;

/** splitList - the items of a list value, in order, braces kept. */
export function splitList(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of value) {
    if (depth === 0 && SEPARATOR.test(ch)) {
      if (current) items.push(current);
      current = '';
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    current += ch;
  }
  if (current) items.push(current);
  return items;
}
