/**
 * What each maillog event adds to the traffic counters: the dashboard counts what the maillog
 * says, from the event's code and facts, so the SMTP path has no second call to make.
 * Exports: countMaillogEvent, rejectStage.
 * Reads no parameters. Recipients are counted as Postfix's `status=` lines are, one per
 * recipient and attempt: a recipient deferred twice and then returned counts two deferrals
 * and one bounce.
 */
import type { MaillogEvent } from '../log/maillog.ts';
import { rejectLabel, type TrafficCounters } from './traffic-counters.ts';

/**
 * rejectStage - the stage label of a reject: smtpd's request name in lowercase, with EHLO
 * counted as helo, XCLIENT as connect (it re-runs the client restrictions) and
 * END-OF-MESSAGE as end-of-data.
 */
export function rejectStage(where: string): string {
  switch (where) {
    case 'EHLO': return 'helo';
    case 'XCLIENT': return 'connect';
    case 'END-OF-MESSAGE': return 'end-of-data';
    default: return where.toLowerCase();
  }
}

/** countMaillogEvent - add one event to the counters; events that count nothing are left alone. */
export function countMaillogEvent(counters: TrafficCounters, e: MaillogEvent): void {
  const facts = e.facts;
  switch (e.code) {
    case 'SMTPD_CONNECT':
      counters.add('connections', '', e.time);
      return;
    case 'SMTPD_REJECT':
      counters.add('rejects', rejectLabel(rejectStage(facts?.stage ?? ''), facts?.restriction ?? ''), e.time);
      if (facts?.clientAddress) counters.add('client_rejects', facts.clientAddress, e.time);
      return;
    case 'CLEANUP_REJECT':
    case 'CLEANUP_MIME_ERROR':
    case 'CLEANUP_HOPCOUNT':
      counters.add('content_rejects', facts?.restriction ?? '', e.time);
      if (facts?.clientAddress) counters.add('client_rejects', facts.clientAddress, e.time);
      return;
    case 'CLEANUP_MESSAGE_ID':
      if (facts?.disposition === 'discarded') {
        counters.add('messages_discarded', '', e.time);
        return;
      }
      counters.add('messages_accepted', '', e.time);
      if (facts?.disposition === 'held') counters.add('messages_held', '', e.time);
      return;
    case 'SMTP_DELIVERY':
      if (facts?.status === 'sent') counters.add('recipients_delivered', '', e.time);
      else if (facts?.status === 'deferred') counters.add('recipients_deferred', '', e.time);
      else if (facts?.status === 'bounced') counters.add('recipients_bounced', '', e.time);
      return;
    case 'QMGR_EXPIRED':
      counters.add('recipients_bounced', '', e.time, facts?.recipients ?? 1);
      return;
  }
}
