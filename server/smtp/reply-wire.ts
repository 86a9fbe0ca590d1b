/**
 * The reply as it goes on the wire: `NNN D.D.D text`, continuation lines `NNN-`, the
 * enhanced code on every line of a multi-line reply (spec/protocol.md §11). soft_bounce turns
 * every 5xx into 4xx with the matching DSN class; smtpd_reject_footer adds lines to 4xx/5xx.
 * No line goes out longer than 512 bytes with its CRLF, nor with a control character in it.
 * Exports formatReply. smtp-server's own enhanced-code logic is never used: the gateway owns
 * code, enhanced code and text end to end (style.md, "server/smtp").
 */
import type { Reply } from '../policy/reply.ts';
import { printable } from '../log/printable.ts';

export interface ReplyWireOptions {
  softBounce: boolean;     // soft_bounce
  footer: string;          // smtpd_reject_footer (already expanded); '' for none
}

/** softBounceReply - the 4xx twin of a 5xx reply; other replies unchanged. */
export function softBounceReply(reply: Reply): Reply {
  if (reply.code < 500 || reply.code > 599) return reply;
  return { ...reply, code: reply.code - 100, enh: reply.enh ? '4' + reply.enh.slice(1) : reply.enh };
}

/** formatReply - the bytes of a reply, CRLF-terminated; text lines split on newlines. */
export function formatReply(reply: Reply, options: ReplyWireOptions): string {
  const r = options.softBounce ? softBounceReply(reply) : reply;
  const lines = r.text.split('\n');
  if (options.footer && r.code >= 400) {
    for (const l of options.footer.split(/\\n|\n/)) lines.push(l);
  }
  const enh = r.enh ? r.enh + ' ' : '';
  // A reply line never carries a control character: text may quote client input.
  // A `334 ` challenge keeps its space (RFC 4954); nothing else has empty text.
  return lines.map((l, i) => fitLine(`${r.code}${i < lines.length - 1 ? '-' : ' '}${enh}${printable(l)}`)).join('\r\n') + '\r\n';
}

// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets with its CRLF. Texts that quote a
// client's argument (VRFY, `Unsupported option: X`, `Bad NAME syntax: X`) can be longer: they
// are cut, as Postfix's smtpd_check_reject() cuts a reject text at 510. Found by the fuzz test.
const MAX_LINE_BYTES = 510;

/** fitLine - the line cut to MAX_LINE_BYTES of UTF-8, never inside a character. */
function fitLine(line: string): string {
  // A UTF-16 unit is at most 3 bytes of UTF-8: short lines need no counting.
  if (line.length * 3 <= MAX_LINE_BYTES || Buffer.byteLength(line) <= MAX_LINE_BYTES) return line;
  let bytes = 0;
  let end = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > MAX_LINE_BYTES) break;
    bytes += size;
    end += ch.length;
  }
  return line.slice(0, end);
}
