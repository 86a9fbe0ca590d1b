/**
 * Delivery status notifications as Postfix's bounce daemon writes them: a multipart/report
 * (RFC 3462) from MAILER-DAEMON with a human part, a message/delivery-status part (RFC 3464)
 * and the original headers (RET=HDRS, the default) or the whole message (RET=FULL).
 * A success report (NOTIFY=SUCCESS to a next hop that does not announce DSN) is Postfix's
 * "Successful Mail Delivery Report" with action relayed, or delivered for final delivery.
 * Exports DsnRecipient, DsnKind, buildDsnReport, wantsNotice.
 * Reads, through the caller: myhostname. The report goes to the envelope sender, never to <>.
 */
import type { Envelope, EnvelopeRecipient } from '../queue/index.ts';

/** failure: a bounce; delay: the delay_warning_time warning; success: NOTIFY=SUCCESS. */
export type DsnKind = 'failure' | 'delay' | 'success';

/** One recipient the report is about. */
export interface DsnRecipient {
  recipient: EnvelopeRecipient;
  dsn: string;   // enhanced status code
  reason: string; // the reply or reason, as logged
  action?: 'relayed' | 'delivered'; // for success: relayed to a next hop without DSN, or delivered
}

/** wantsNotice - whether a recipient's NOTIFY asks for this kind of report (RFC 3461 §4.1: default FAILURE,DELAY). */
export function wantsNotice(recipient: EnvelopeRecipient, kind: DsnKind): boolean {
  const notify = recipient.notify?.map((n) => n.toUpperCase()) ?? ['FAILURE', 'DELAY'];
  if (notify.includes('NEVER')) return false;
  return notify.includes(kind.toUpperCase());
}

/** buildDsnReport - the whole report message, CRLF line ends, ready for the queue. */
export function buildDsnReport(
  kind: DsnKind, envelope: Envelope, content: Buffer, recipients: DsnRecipient[], myhostname: string, now: Date,
): Buffer {
  const boundary = `${envelope.queueId}.${now.getTime()}/${myhostname}`;
  const full = envelope.dsn.ret === 'FULL';
  const subject = {
    failure: 'Undelivered Mail Returned to Sender',
    delay: 'Delayed Mail (still being retried)',
    success: 'Successful Mail Delivery Report',
  }[kind];
  const human = {
    failure: ['I\'m sorry to have to inform you that your message could not', 'be delivered to one or more recipients. It\'s attached below.'],
    delay: ['This is a delay warning only; your message is still being retried.', 'You do not have to resend it.'],
    success: [
      'Your message was successfully delivered to the destination(s)',
      'listed below. If the message was delivered to mailbox you will',
      'receive no further notifications. Otherwise you may still receive',
      'notifications of mail delivery errors from other systems.',
    ],
  }[kind];
  const lines: string[] = [
    `From: MAILER-DAEMON@${myhostname} (Mail Delivery System)`,
    `To: ${envelope.sender}`,
    `Subject: ${subject}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Auto-Submitted: auto-replied`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;`,
    `\tboundary="${boundary}"`,
    'Content-Transfer-Encoding: 8bit',
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `This is the mail system at host ${myhostname}.`,
    '',
    ...human,
    '',
    ...recipients.map((r) => `<${r.recipient.address}>: ${r.reason}`),
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${myhostname}`,
    `X-Postfix-Queue-ID: ${envelope.queueId}`,
    `X-Postfix-Sender: rfc822; ${envelope.sender}`,
    ...(envelope.dsn.envid ? [`Original-Envelope-Id: ${envelope.dsn.envid}`] : []),
    `Arrival-Date: ${new Date(envelope.arrivalTime).toUTCString().replace('GMT', '+0000')}`,
  ];
  for (const r of recipients) {
    lines.push(
      '',
      `Final-Recipient: rfc822; ${r.recipient.address}`,
      ...(r.recipient.orcpt ? [`Original-Recipient: ${r.recipient.orcpt}`] : []),
      `Action: ${kind === 'failure' ? 'failed' : kind === 'delay' ? 'delayed' : r.action ?? 'delivered'}`,
      `Status: ${r.dsn}`,
      `Diagnostic-Code: smtp; ${r.reason}`,
    );
  }
  lines.push(
    '',
    `--${boundary}`,
    `Content-Description: ${full ? 'Undelivered Message' : 'Undelivered Message Headers'}`,
    `Content-Type: ${full ? 'message/rfc822' : 'text/rfc822-headers'}`,
    '',
  );
  const original = full ? content : headersOf(content);
  return Buffer.concat([
    Buffer.from(lines.join('\r\n') + '\r\n'),
    original,
    Buffer.from(`${original.length && !original.subarray(-2).equals(Buffer.from('\r\n')) ? '\r\n' : ''}\r\n--${boundary}--\r\n`),
  ]);
}

function headersOf(content: Buffer): Buffer {
  const end = content.indexOf('\r\n\r\n');
  return end < 0 ? content : content.subarray(0, end + 2);
}
