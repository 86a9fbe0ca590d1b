/**
 * Recognising message headers as Postfix's is_header() and header_opts_find() do: where a header
 * name ends, and which names cleanup treats specially. Only the MIME headers matter to content
 * inspection (they go to mime_header_checks wherever they are, header-body-checks.md §1).
 * Exports: headerNameLength, headerName, isMimeHeader.
 * Texts are byte strings (one char per byte, latin1), as the MIME parser holds them.
 */

/**
 * The headers header_opts.c flags HDR_OPT_MIME. The spec's "`Content-*`" is this list, not a
 * prefix: Content-Language or Content-Length stay ordinary headers, as in Postfix.
 */
const MIME_HEADERS = new Set([
  'content-description', 'content-disposition', 'content-id', 'content-transfer-encoding', 'content-type', 'mime-version',
]);

/**
 * headerNameLength - is_header(): the length of the name when text starts with `name:` or the
 * obsolete `name :` (RFC 822 §3.4.2), else 0. Name characters are printable ASCII except `:`.
 */
export function headerNameLength(text: string): number {
  let length = 0;
  let spaced = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) return length;
    if (c === 0x20 || c === 0x09) {
      if (length === 0) return 0;
      spaced = true;
      continue;
    }
    if (c <= 0x20 || c >= 0x7f || spaced) return 0;
    length++;
  }
  return 0;
}

/** headerName - the lower-case name of a header line, or null when it is not one. */
export function headerName(text: string): string | null {
  const length = headerNameLength(text);
  return length ? text.slice(0, length).toLowerCase() : null;
}

/** isMimeHeader - a header that mime_header_checks inspects in every header block. */
export function isMimeHeader(name: string | null): boolean {
  return name !== null && MIME_HEADERS.has(name);
}
