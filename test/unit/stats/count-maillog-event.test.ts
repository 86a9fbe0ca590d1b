/**
 * What each maillog event adds to the traffic counters (server/stats/count-maillog-event.ts),
 * as a table of events and the rows they give.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventFacts, MaillogEvent } from '../../../server/log/maillog.ts';
import { countMaillogEvent } from '../../../server/stats/count-maillog-event.ts';
import { createTrafficCounters } from '../../../server/stats/traffic-counters.ts';

const AT = new Date('2026-12-06T05:00:10Z');

function event(code: string, facts?: EventFacts): MaillogEvent {
  return { time: AT, program: 'smtpd', pid: 1, severity: 'info', code, text: '', line: '', facts };
}

const CASES: Array<{ label: string; event: MaillogEvent; want: Array<[string, string, number]> }> = [
  { label: 'a connection', event: event('SMTPD_CONNECT'), want: [['connections', '', 1]] },
  {
    label: 'a RCPT reject counts by stage and restriction, and for its client',
    event: event('SMTPD_REJECT', { stage: 'RCPT', restriction: 'reject_unauth_destination', clientAddress: '192.0.2.7' }),
    want: [['rejects', 'rcpt reject_unauth_destination', 1], ['client_rejects', '192.0.2.7', 1]],
  },
  {
    label: 'EHLO counts as the helo stage, END-OF-MESSAGE as end-of-data',
    event: event('SMTPD_REJECT', { stage: 'EHLO', restriction: 'reject_invalid_helo_hostname', clientAddress: '192.0.2.7' }),
    want: [['rejects', 'helo reject_invalid_helo_hostname', 1], ['client_rejects', '192.0.2.7', 1]],
  },
  {
    label: 'a header_checks reject is a content reject',
    event: event('CLEANUP_REJECT', { stage: 'END-OF-MESSAGE', restriction: 'header_checks', clientAddress: '192.0.2.8' }),
    want: [['content_rejects', 'header_checks', 1], ['client_rejects', '192.0.2.8', 1]],
  },
  { label: 'a queued message is accepted', event: event('CLEANUP_MESSAGE_ID', { disposition: 'queued' }), want: [['messages_accepted', '', 1]] },
  {
    label: 'a held message is accepted and held',
    event: event('CLEANUP_MESSAGE_ID', { disposition: 'held' }),
    want: [['messages_accepted', '', 1], ['messages_held', '', 1]],
  },
  { label: 'a discarded message is not accepted into the queue', event: event('CLEANUP_MESSAGE_ID', { disposition: 'discarded' }), want: [['messages_discarded', '', 1]] },
  { label: 'a delivered recipient', event: event('SMTP_DELIVERY', { status: 'sent' }), want: [['recipients_delivered', '', 1]] },
  { label: 'a deferred recipient', event: event('SMTP_DELIVERY', { status: 'deferred' }), want: [['recipients_deferred', '', 1]] },
  { label: 'a bounced recipient', event: event('SMTP_DELIVERY', { status: 'bounced' }), want: [['recipients_bounced', '', 1]] },
  { label: 'an expired message returns its recipients', event: event('QMGR_EXPIRED', { recipients: 3 }), want: [['recipients_bounced', '', 3]] },
  { label: 'a warn_if_reject line counts nothing', event: event('SMTPD_REJECT_WARNING'), want: [] },
  { label: 'a disconnect counts nothing', event: event('SMTPD_DISCONNECT'), want: [] },
];

for (const c of CASES) {
  test(`maillog event: ${c.label}`, () => {
    const counters = createTrafficCounters();
    countMaillogEvent(counters, c.event);
    assert.deepEqual(counters.take().map((r) => [r.counter, r.label, r.value]), c.want);
  });
}
