/**
 * The smtpd policy log line, built in one place as Postfix's log_whatsup() builds it:
 *   NOQUEUE: reject: RCPT from name[addr]: 554 5.7.1 <x@y>: Relay access denied; from=<s> to=<r> proto=ESMTP helo=<h>
 * Used for reject, reject_warning, warn, info, hold, discard, redirect, filter and the other
 * access actions; the queue ID replaces NOQUEUE once the session has a queue file.
 */

export interface WhatsupFacts {
  queueId: string | null;      // NOQUEUE until the first accepted recipient
  action: string;              // reject, reject_warning, warn, info, hold, discard, ...
  where: string;               // CONNECT, HELO, EHLO, MAIL, RCPT, DATA, END-OF-MESSAGE, ETRN, VRFY
  client: string;              // name[addr]
  text: string;                // `554 5.7.1 ...` for rejects, the bare text for warn/info
  sender: string | null;       // from=<>, left out before MAIL
  recipient: string | null;    // to=<>, only for RCPT/VRFY
  protocol: string;            // SMTP or ESMTP
  helo: string | null;         // helo=<>, left out before HELO
}

/** formatWhatsup - one maillog line for a policy decision. */
export function formatWhatsup(f: WhatsupFacts): string {
  let line = `${f.queueId ?? 'NOQUEUE'}: ${f.action}: ${f.where} from ${f.client}: ${f.text};`;
  if (f.sender !== null) line += ` from=<${f.sender}>`;
  if (f.recipient !== null) line += ` to=<${f.recipient}>`;
  line += ` proto=${f.protocol}`;
  if (f.helo !== null) line += ` helo=<${f.helo}>`;
  return line;
}
