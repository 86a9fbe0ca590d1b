/**
 * What happens when a session that earned a notify class ends: the transcript is stored
 * whatever notify_classes says, and for each class notify_classes names (policy, protocol,
 * resource, software) one "Postfix SMTP server: errors from name[addr]" notice goes to
 * error_notice_recipient with the transcript, as Postfix's smtpd_chat_notify() sends it.
 * Exports: createViolationHandler. Reads: notify_classes (see ./postmaster-notice.ts).
 * Never waits: the SMTP session has already ended when this runs.
 */
import type { SessionViolation } from '../smtp/session-transcript.ts';
import type { TranscriptStore } from './transcript-store.ts';
import { isNotifyClass, sendPostmasterNotice, type NoticeContext } from './postmaster-notice.ts';

/** createViolationHandler - the SmtpFrontServices.violation hook. */
export function createViolationHandler(store: TranscriptStore, context: () => NoticeContext): (v: SessionViolation) => void {
  return (v) => {
    store.add(v);
    const ctx = context();
    // Postfix sends one notice per session, for the union of the classes it notifies.
    const kind = v.classes.find((c) => isNotifyClass(ctx.mainCf, c));
    if (!kind) return;
    void sendPostmasterNotice(ctx, kind, {
      subject: `Postfix SMTP server: errors from ${v.clientName}[${v.clientAddress}]`,
      body: formatTranscriptBody(v),
    });
  };
}

/** formatTranscriptBody - Postfix's notice text: the transcript as ` Out: ` and ` In:  ` lines. */
function formatTranscriptBody(v: SessionViolation): string {
  const out = ['Transcript of session follows.', ''];
  for (const l of v.lines) out.push(l.dir === 'out' ? ` Out: ${l.text}` : ` In:  ${l.text}`);
  out.push('', 'For other details, see the local mail logfile');
  return out.join('\n');
}
