/**
 * The Received: header this gateway prepends, in Postfix's exact layout (spec/protocol.md §9):
 *   Received: from HELO (NAME [ADDR])
 *   	by MYHOSTNAME (MAIL_NAME) with PROTO id QUEUEID
 *   	for <RCPT>; DATE          (one recipient)
 * With several recipients the `for` clause is left out and `id QUEUEID;` ends the second line.
 * With smtpd_sasl_authenticated_header = yes (the caller decides) a line
 * `	(Authenticated sender: LOGIN)` comes between the `from` and the `by` lines, as in smtpd.c.
 * Exports buildReceivedHeader, formatRfc5322Date, receivedProtocol.
 */

export interface ReceivedFacts {
  helo: string | null;         // HELO/EHLO argument; the client name stands in when absent
  clientName: string;          // verified client name or `unknown`
  clientAddress: string;       // IPv4 or IPv6 text
  myhostname: string;          // $myhostname
  mailName: string;            // $mail_name
  protocol: string;            // SMTP, ESMTP, ESMTPS, ESMTPSA, UTF8SMTP...
  queueId: string;
  recipients: string[];        // envelope recipients as received
  date: Date;
  authenticatedSender?: string | null; // SASL login to show (smtpd_sasl_authenticated_header); absent or null: none
}

/** receivedProtocol - the `with` word: SMTP/ESMTP, RFC 3848 S and A suffixes, UTF8SMTP (RFC 6531). */
export function receivedProtocol(p: { protocol: 'SMTP' | 'ESMTP'; tls: boolean; auth: boolean; smtputf8: boolean }): string {
  const base = p.smtputf8 ? 'UTF8SMTP' : p.protocol;
  return base + (p.tls ? 'S' : '') + (p.auth ? 'A' : '');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Building an Intl.DateTimeFormat costs more than the rest of a message's Received: header;
// the zone's name changes only with its offset (daylight saving time).
const zoneNames = new Map<number, string>();
function zoneName(d: Date, offset: number): string {
  let name = zoneNames.get(offset);
  if (name === undefined) {
    name = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
    zoneNames.set(offset, name);
  }
  return name;
}

/** formatRfc5322Date - `Sun, 22 Nov 2026 03:07:30 +0000 (UTC)`, local time with a zone comment. */
export function formatRfc5322Date(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const zone = zoneName(d, off);
  return `${DAYS[d.getDay()]}, ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${sign}${two(Math.floor(abs / 60))}${two(abs % 60)} (${zone})`;
}

/** buildReceivedHeader - the header with CRLF line ends, continuation lines starting with a TAB. */
export function buildReceivedHeader(f: ReceivedFacts): string {
  const addr = f.clientAddress.includes(':') ? `IPv6:${f.clientAddress}` : f.clientAddress;
  const from = f.helo ?? f.clientName;
  const lines = [`Received: from ${from} (${f.clientName} [${addr}])`];
  if (f.authenticatedSender) lines.push(`\t(Authenticated sender: ${sanitizeComment(f.authenticatedSender)})`);
  const by = `\tby ${f.myhostname} (${f.mailName}) with ${f.protocol} id ${f.queueId}`;
  if (f.recipients.length === 1) {
    lines.push(by, `\tfor <${f.recipients[0]}>; ${formatRfc5322Date(f.date)}`);
  } else {
    lines.push(by + ';', `\t${formatRfc5322Date(f.date)}`);
  }
  return lines.join('\r\n') + '\r\n';
}

// sanitizeComment - make a client-chosen login safe inside a header comment (Postfix's
// comment_sanitize()): control characters become `?`, backslashes and parentheses are quoted.
function sanitizeComment(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, '?').replace(/[\\()]/g, '\\$&');
}
