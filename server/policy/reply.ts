/**
 * The reply a restriction sends: code, enhanced status code (DSN) and text, checked the way
 * Postfix's smtpd_check_reject() checks every policy reply (spec/restrictions.md section 9).
 * Exports: Reply, MadeReply, makeReply, formatReply.
 * A code outside 400..599 or a malformed DSN is a configuration error: warning, and the reply
 * becomes `450 4.7.1 Service unavailable`. The line is cut at 510 characters, control
 * characters become spaces, and the DSN class digit follows the code's first digit.
 * soft_bounce and smtpd_reject_footer are not applied here: the SMTP front applies them to
 * every reply it writes, as Postfix's smtpd_chat_reply() does.
 */

export interface Reply {
  readonly code: number;        // SMTP reply code, 4xx or 5xx
  readonly enh: string | null;  // enhanced status code (RFC 3463), e.g. '5.7.1'; null for none
  readonly text: string;        // the rest of the line
}

export interface MadeReply {
  readonly reply: Reply;
  readonly warning: string | null; // msg_warn() text when the configuration gave a bad code or DSN
}

const SERVICE_UNAVAILABLE: Reply = Object.freeze({ code: 450, enh: '4.7.1', text: 'Service unavailable' });
const MAX_REPLY_LINE = 510; // RFC 5321 reply line limit without CRLF, as smtpd_check_reject() cuts

/** formatReply - the reply line as sent and logged, without CRLF. */
export function formatReply(reply: Reply): string {
  return reply.enh === null ? `${reply.code} ${reply.text}` : `${reply.code} ${reply.enh} ${reply.text}`;
}

/** makeReply - validate a policy reply; a bad code or DSN gives 450 4.7.1 plus a warning. */
export function makeReply(code: number, enh: string | null, text: string): MadeReply {
  const asGiven = formatReply({ code, enh, text });
  if (!Number.isInteger(code) || code < 400 || code > 599) {
    return { reply: SERVICE_UNAVAILABLE, warning: `SMTP reply code configuration error: ${asGiven}` };
  }
  if (enh !== null && !isValidDsn(enh)) {
    return { reply: SERVICE_UNAVAILABLE, warning: `DSN detail code configuration error: ${asGiven}` };
  }
  // SMTP has precedence over the DSN: "a 554 with DSN 4.7.1 is sent as 5.7.1".
  const classDigit = String(code)[0];
  const forcedEnh = enh === null ? null : classDigit + enh.slice(1);
  const prefixLength = formatReply({ code, enh: forcedEnh, text: '' }).length;
  const printableText = text.replace(/[\x00-\x1f\x7f]/g, ' ');
  return {
    reply: Object.freeze({ code, enh: forcedEnh, text: cutToBytes(printableText, MAX_REPLY_LINE - prefixLength) }),
    warning: null,
  };
}

/** isValidDsn - class 2, 4 or 5, then two dot-separated groups of 1-3 digits (dsn_valid()). */
function isValidDsn(enh: string): boolean {
  return /^[245]\.\d{1,3}\.\d{1,3}$/.test(enh);
}

// Postfix counts bytes; cut on a character boundary so that UTF-8 text stays valid.
function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (used + size > maxBytes) break;
    out += ch;
    used += size;
  }
  return out;
}
