/**
 * Host name syntax, as Postfix's valid_hostname() checks it: labels of letters, digits, '_'
 * (Postfix tolerates it: "grr..") and inner hyphens, joined by single dots, at most 63
 * characters a label and 255 in all, and not all digits. Used on PTR answers before a name
 * may enter the session and the logs.
 * Exports validateHostname. Reads no parameters. Its warning repeats Postfix's gripe, with
 * unprintable characters shown as '?' so that a hostile PTR record cannot forge log lines.
 * XXX does not check IDN (xn--) labels beyond this syntax, as Postfix does not either.
 */

export type HostnameSyntax = { valid: true } | { valid: false; warning: string };

const LABEL_LIMIT = 63;
const NAME_LIMIT = 255;

/** Check a name as valid_hostname() does; the warning is the line Postfix would log. */
export function validateHostname(name: string): HostnameSyntax {
  const gripe = (what: string): HostnameSyntax => ({ valid: false, warning: `valid_hostname: ${what}` });
  const shown = printable(name.slice(0, 100));
  if (name === '') return gripe('empty hostname');
  let labelLength = 0;
  let nonNumeric = false;
  for (let at = 0; at < name.length; at++) {
    const ch = name[at];
    const next = name[at + 1];
    if (/[A-Za-z0-9_]/.test(ch)) {
      labelLength++;
      if (labelLength > LABEL_LIMIT) return gripe(`hostname label too long: ${shown}`);
      if (!/[0-9]/.test(ch)) nonNumeric = true;
    } else if (ch === '.') {
      if (labelLength === 0 || next === undefined) return gripe(`misplaced delimiter: ${shown}`);
      labelLength = 0;
    } else if (ch === '-') {
      nonNumeric = true;
      labelLength++;
      if (labelLength === 1 || next === undefined || next === '.') return gripe(`misplaced hyphen: ${shown}`);
    } else {
      return gripe(`invalid character ${name.charCodeAt(at)}(decimal): ${shown}`);
    }
  }
  if (!nonNumeric) return gripe(`numeric hostname: ${shown}`);
  if (name.length > NAME_LIMIT) return gripe(`bad length ${name.length} for ${shown}...`);
  return { valid: true };
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
