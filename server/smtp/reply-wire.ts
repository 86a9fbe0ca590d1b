/**
 * The reply as it goes on the wire: `NNN D.D.D text`, continuation lines `NNN-`, the
 * enhanced code on every line of a multi-line reply (spec/protocol.md §11). soft_bounce turns
 * every 5xx into 4xx with the matching DSN class; smtpd_reject_footer adds lines to 4xx/5xx.
 * Exports formatReply. smtp-server's own enhanced-code logic is never used: the gateway owns
 * code, enhanced code and text end to end (style.md, "server/smtp").
 */
import type { Reply } from '../policy/reply.ts';

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
  const clean = (s: string) => s.replace(/[\x00-\x1f\x7f]/g, '?');
  // A `334 ` challenge keeps its space (RFC 4954); nothing else has empty text.
  return lines.map((l, i) => `${r.code}${i < lines.length - 1 ? '-' : ' '}${enh}${clean(l)}`).join('\r\n') + '\r\n';
}
