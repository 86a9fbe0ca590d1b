/**
 * The log line of a header or body check action, built in one place as Postfix's
 * cleanup_act_log() builds it (spec/header-body-checks.md §5, appendix-observed.md):
 *   QID: reject: header Subject: make money fast from host[ip]; from=<s> to=<r> proto=ESMTP helo=<h>: 5.7.1 text
 * Exports: CleanupLogFacts, formatCleanupActLog.
 * The matched text is cut at 200 characters; control characters (the newline and the TAB of a
 * folded header) show as `?`, as syslog shows them (obs: `Subject: folded header??that is ...`).
 */
import { printable } from '../log/printable.ts';

/** The facts smtpd hands cleanup for its log lines (MAIL_ATTR_LOG_*, sender, recipient). */
export interface CleanupLogFacts {
  queueId: string;         // QUEUEID
  origin: string;          // name[addr] (with :port under smtpd_client_port_logging)
  sender: string;          // envelope sender as cleanup keeps it; '' for the null sender
  recipient: string | null; // the last envelope recipient, as cleanup keeps it
  protocol: string;        // proto=: SMTP or ESMTP
  helo: string | null;     // helo=<>, left out before HELO
}

/** formatCleanupActLog - `action` is the logged word (reject, warning, info, hold ...); `text` may be empty. */
export function formatCleanupActLog(facts: CleanupLogFacts, action: string, context: 'header' | 'body', content: string, text: string): string {
  let line = `${facts.queueId}: ${action}: ${context} ${printable(content.slice(0, 200))} from ${facts.origin};`;
  line += ` from=<${facts.sender}>`;
  if (facts.recipient !== null) line += ` to=<${facts.recipient}>`;
  line += ` proto=${facts.protocol}`;
  if (facts.helo !== null) line += ` helo=<${facts.helo}>`;
  if (text) line += `: ${printable(text)}`;
  return line;
}

