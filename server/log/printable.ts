/**
 * Postfix's printable(): a control character becomes `?`, so that text a client, a server or
 * a table supplied cannot break a log line, a reply or a header it is quoted in.
 * Exports printable. Reads no parameters.
 */

/** printable - text with each control character (C0 and DEL) shown as `?`. */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, '?');
}
