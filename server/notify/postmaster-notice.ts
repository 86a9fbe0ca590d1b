/**
 * Postmaster notices as Postfix's notify_classes sends them: a message from MAILER-DAEMON
 * (envelope sender <>) to the recipient Postfix uses for the class, queued through the
 * gateway's own queue (../delivery/enqueue-notice.ts) like any other mail.
 * Exports: sendPostmasterNotice, noticeRecipient, isNotifyClass, NoticeKind, PostmasterNotice.
 * Reads: notify_classes, error_notice_recipient, bounce_notice_recipient,
 * 2bounce_notice_recipient, delay_notice_recipient, myhostname, myorigin.
 * Logs: `ID: message-id=<...>` (cleanup) once queued; a failure as NOTIFY_WARNING.
 */
import crypto from 'node:crypto';
import type { MainCf } from '../config/main-cf.ts';
import type { Maillog } from '../log/maillog.ts';
import type { Queue, QueueId } from '../queue/index.ts';
import { enqueueNotice } from '../delivery/enqueue-notice.ts';

export type NoticeKind = 'bounce' | '2bounce' | 'delay' | 'policy' | 'protocol' | 'resource' | 'software';

export interface PostmasterNotice {
  subject: string;          // without the header name
  body: string;             // text lines joined by \n; CRLF is added here
}

export interface NoticeContext {
  queue: Queue;
  maillog: Maillog;
  mainCf: MainCf;           // the snapshot's parameters, read when the notice is sent
}

/** isNotifyClass - notify_classes names this kind. */
export function isNotifyClass(mainCf: MainCf, kind: NoticeKind): boolean {
  return mainCf.list('notify_classes').includes(kind);
}

/** noticeRecipient - the *_notice_recipient of the kind, unqualified addresses completed with @$myorigin. */
export function noticeRecipient(mainCf: MainCf, kind: NoticeKind): string {
  const name = kind === 'bounce' ? 'bounce_notice_recipient' : kind === '2bounce' ? '2bounce_notice_recipient'
    : kind === 'delay' ? 'delay_notice_recipient' : 'error_notice_recipient';
  const r = mainCf.get(name);
  return r.includes('@') ? r : `${r}@${mainCf.get('myorigin')}`;
}

/**
 * sendPostmasterNotice - queue one notice of this kind when notify_classes asks for it;
 * answers the queue ID, or null when the class is off or the queue refused (logged, not thrown).
 */
export async function sendPostmasterNotice(ctx: NoticeContext, kind: NoticeKind, notice: PostmasterNotice): Promise<QueueId | null> {
  const { mainCf, maillog } = ctx;
  if (!isNotifyClass(mainCf, kind)) return null;
  const myhostname = mainCf.get('myhostname');
  const recipient = noticeRecipient(mainCf, kind);
  const messageId = `<${Date.now().toString(36)}.${crypto.randomBytes(6).toString('hex')}@${myhostname}>`;
  const headers = [
    `From: MAILER-DAEMON@${myhostname} (Mail Delivery System)`,
    `To: ${recipient} (Postmaster)`,
    `Subject: ${notice.subject}`,
    `Date: ${rfc2822Date(new Date())}`,
    `Message-Id: ${messageId}`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const text = [...headers, '', ...notice.body.split('\n')].join('\r\n') + '\r\n';
  try {
    const id = await enqueueNotice(ctx.queue, recipient, Buffer.from(text, 'utf8'), myhostname);
    maillog.write('cleanup', 'NOTIFY_NOTICE', `${id}: message-id=${messageId}`);
    return id;
  } catch (err) {
    maillog.write('postfix', 'NOTIFY_WARNING', `cannot queue ${kind} notice to ${recipient}: ${(err as Error).message}`, 'warning');
    return null;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** rfc2822Date - `Sun, 22 Nov 2026 10:55:21 +0000 (UTC)`, as Postfix's mail_date(). */
function rfc2822Date(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} `
    + `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 (UTC)`;
}
