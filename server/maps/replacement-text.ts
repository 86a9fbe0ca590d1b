/**
 * `$1`..`$9` substitution in regexp and pcre table results (spec/access-maps.md section 4), as
 * Postfix's mac_parse() splits the result text: `$name`, `${name}` or `$(name)` is a reference,
 * `$$` is a literal `$`; each name must be all digits and at least 1 (dict_regexp_prescan()).
 * A group that did not take part in the match, or matched the empty string, adds nothing.
 * Exports: ReplacementText, parseReplacementText, expandReplacementText.
 * Problems come back as the warning texts Postfix logs: mac_parse()'s own ("empty macro name",
 * "truncated macro reference"), then the table's ("non-numeric replacement index", ...).
 */

export interface ReplacementText {
  readonly parts: readonly (string | number)[]; // literal text, or a group number
  readonly maxGroup: number;                     // highest group number used, 0 for plain text
}

/**
 * parseReplacementText - split result text into literals and group numbers; `label` is the
 * `regexp map NAME, line N` prefix of the table's own warnings.
 */
export function parseReplacementText(text: string, label: string, type: 'regexp' | 'pcre'): { ok: true; replacement: ReplacementText } | { ok: false; warnings: string[] } {
  const parts: (string | number)[] = [];
  const warnings: string[] = [];
  let literal = '';
  let maxGroup = 0;
  let failed = false;
  for (let at = 0; at < text.length; ) {
    const c = text[at];
    if (c !== '$') {
      literal += c;
      at += 1;
      continue;
    }
    if (text[at + 1] === '$') {
      literal += '$';
      at += 2;
      continue;
    }
    if (literal !== '') {
      parts.push(literal);
      literal = '';
    }
    at += 1;
    let name: string;
    const open = text[at];
    if (open === '{' || open === '(') {
      const close = open === '{' ? '}' : ')';
      let level = 1;
      let end = at + 1;
      for (; end < text.length && level > 0; end++) {
        if (text[end] === open) level++;
        else if (text[end] === close) level--;
      }
      if (level > 0) {
        warnings.push(`truncated macro reference: "${text}"`);
        return { ok: false, warnings };
      }
      name = text.slice(at + 1, end - 1);
      at = end;
    } else {
      const match = /^[A-Za-z0-9_]*/.exec(text.slice(at)) as RegExpExecArray;
      name = match[0];
      at += name.length;
    }
    if (name === '') {
      warnings.push(`empty macro name: "${text}"`);
      return { ok: false, warnings };
    }
    // The prescan complains and goes on, so every bad reference gets its own warning.
    if (!/^\d+$/.test(name)) {
      warnings.push(`${label}: non-numeric replacement index "${name}"`);
      failed = true;
    } else if (Number(name) < 1) {
      // dict_regexp.c and dict_pcre.c word this one differently.
      const outOfRange = type === 'regexp' ? 'out-of-range' : 'out of range';
      warnings.push(`${label}: ${outOfRange} replacement index "${name}"`);
      failed = true;
    } else {
      const group = Number(name);
      parts.push(group);
      maxGroup = Math.max(maxGroup, group);
    }
  }
  if (failed) return { ok: false, warnings };
  if (literal !== '') parts.push(literal);
  return { ok: true, replacement: { parts, maxGroup } };
}

/** expandReplacementText - the result for one match; `groups[n]` is group n or undefined. */
export function expandReplacementText(replacement: ReplacementText, groups: ArrayLike<string | undefined>): string {
  let result = '';
  for (const part of replacement.parts) result += typeof part === 'string' ? part : groups[part] ?? '';
  return result;
}
