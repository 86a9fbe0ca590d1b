/**
 * The brace syntax of tables written inside a main.cf value (Postfix 3.x): `inline:{ key=value,
 * { key = value with spaces } }` (dict_inline.c) and `regexp:{ {/re/ result}, {rule} }`, also
 * for pcre and cidr (dict_stream.c), which become one rule per line of source text. Tokens are
 * separated by commas or whitespace, except inside balanced braces (mystrtokq()).
 * Exports: parseInlineEntries, inlineRulesToSource, stripBraces.
 * Error texts are Postfix's: `missing '}' in "{..."`, `syntax error after '}' in "{x=y}x"`,
 * `missing '=' after attribute name`, `empty table`.
 */
import { isPostfixSpace, trimPostfixSpace } from './postmap-source.ts';

const SEPARATORS = ', \t\r\n'; // CHARS_COMMA_SP

/**
 * parseInlineEntries - the key=value pairs of `{...}` as dict_inline_open() reads them; the
 * error is the complete text Postfix reports for the table.
 */
export function parseInlineEntries(text: string): { ok: true; entries: { key: string; value: string }[] } | { ok: false; error: string } {
  const need = `"inline:${text}"; need "inline:{name=value...}"`;
  const length = balancedLength(text);
  if (length === 0 || length !== text.length || length === 2) return { ok: false, error: `bad syntax: ${need}` };
  const entries: { key: string; value: string }[] = [];
  for (const token of splitProtected(text.slice(1, -1))) {
    let pair = token;
    if (token.startsWith('{')) {
      const stripped = stripBraces(token);
      if (!stripped.ok) return { ok: false, error: `${stripped.error}: ${need}` };
      pair = stripped.text;
    }
    const split = splitNameValue(pair);
    if (typeof split === 'string') return { ok: false, error: `${split}: ${need}` };
    entries.push(split);
  }
  if (entries.length === 0) return { ok: false, error: `empty table: ${need}` };
  return { ok: true, entries };
}

/**
 * inlineRulesToSource - `{ {rule}, {rule} }` as source text, one rule per line without its
 * braces (dict_inline_to_multiline()); `type` names the table in the error, as Postfix does.
 */
export function inlineRulesToSource(type: string, text: string): { ok: true; source: string } | { ok: false; error: string } {
  const outer = stripBraces(text, false);
  if (!outer.ok) return { ok: false, error: `${type} map: ${outer.error}` };
  let source = '';
  for (const token of splitProtected(outer.text)) {
    if (!token.startsWith('{')) return { ok: false, error: `${type} map: missing '{' in "${token}"` };
    const rule = stripBraces(token);
    if (!rule.ok) return { ok: false, error: `${type} map: ${rule.error}` };
    source += `${rule.text}\n`;
  }
  return { ok: true, source };
}

/** stripBraces - extpar(): the text inside `{...}`, trimmed unless `trim` is false. */
export function stripBraces(text: string, trim = true): { ok: true; text: string } | { ok: false; error: string } {
  const length = balancedLength(text);
  if (length === 0) return { ok: false, error: `missing '}' in "${text}"` };
  if (length !== text.length) return { ok: false, error: `syntax error after '}' in "${text}"` };
  const inner = text.slice(1, -1);
  return { ok: true, text: trim ? trimPostfixSpace(inner) : inner };
}

// balpar(): length of the balanced `{...}` at the start of text, 0 when there is none.
function balancedLength(text: string): number {
  if (!text.startsWith('{')) return 0;
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') level++;
    else if (text[i] === '}' && --level === 0) return i + 1;
  }
  return 0;
}

// mystrtokq() with ", \t\r\n" as separators and braces protecting what they enclose.
function splitProtected(text: string): string[] {
  const tokens: string[] = [];
  let at = 0;
  while (at < text.length) {
    while (at < text.length && SEPARATORS.includes(text[at])) at++;
    if (at >= text.length) break;
    const start = at;
    let level = 0;
    for (; at < text.length; at++) {
      const c = text[at];
      if (c === '{') level++;
      else if (level > 0 && c === '}') level--;
      else if (level === 0 && SEPARATORS.includes(c)) break;
    }
    tokens.push(text.slice(start, at));
  }
  return tokens;
}

// split_nameval(): `name = value`, blanks around both trimmed; the value may be empty.
function splitNameValue(text: string): { key: string; value: string } | string {
  let at = 0;
  while (at < text.length && isPostfixSpace(text.charCodeAt(at))) at++;
  if (at >= text.length || text[at] === '=') return 'missing attribute name';
  const start = at;
  while (at < text.length && !isPostfixSpace(text.charCodeAt(at)) && text[at] !== '=') at++;
  const key = text.slice(start, at);
  while (at < text.length && isPostfixSpace(text.charCodeAt(at))) at++;
  if (text[at] !== '=') return "missing '=' after attribute name";
  return { key, value: trimPostfixSpace(text.slice(at + 1)) };
}
