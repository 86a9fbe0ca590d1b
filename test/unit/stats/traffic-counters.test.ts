/**
 * The in-memory traffic counters (server/stats/traffic-counters.ts): sums per minute and
 * label, gauge samples, take and restore, and the bound on rejected-client labels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_LABELS_PER_MINUTE, createTrafficCounters, minuteOf, OTHER_CLIENTS, splitRejectLabel } from '../../../server/stats/traffic-counters.ts';

const T0 = new Date('2026-12-06T05:00:10Z');
const T0_LATER = new Date('2026-12-06T05:00:50Z');
const T1 = new Date('2026-12-06T05:01:05Z');

test('counts add up per minute and label, and a take starts them again at zero', () => {
  const c = createTrafficCounters();
  c.add('connections', '', T0);
  c.add('connections', '', T0_LATER);
  c.add('connections', '', T1);
  c.add('rejects', 'RCPT reject_unauth_destination', T0, 2);
  assert.deepEqual(c.take().sort((a, b) => a.minute - b.minute || a.counter.localeCompare(b.counter)), [
    { minute: minuteOf(T0), counter: 'connections', label: '', value: 2, gauge: false },
    { minute: minuteOf(T0), counter: 'rejects', label: 'RCPT reject_unauth_destination', value: 2, gauge: false },
    { minute: minuteOf(T1), counter: 'connections', label: '', value: 1, gauge: false },
  ]);
  assert.deepEqual(c.take(), []);
});

test('a gauge keeps the last sample of its minute', () => {
  const c = createTrafficCounters();
  c.sample('queue_messages', 'deferred', T0, 5);
  c.sample('queue_messages', 'deferred', T0_LATER, 3);
  assert.deepEqual(c.take(), [{ minute: minuteOf(T0), counter: 'queue_messages', label: 'deferred', value: 3, gauge: true }]);
});

test('rows that could not be written come back with the next take, added to what came meanwhile', () => {
  const c = createTrafficCounters();
  c.add('connections', '', T0, 4);
  c.sample('queue_messages', 'incoming', T0, 7);
  const failed = c.take();
  c.add('connections', '', T0, 1);
  c.sample('queue_messages', 'incoming', T0_LATER, 9);
  c.restore(failed);
  const rows = c.take().sort((a, b) => a.counter.localeCompare(b.counter));
  assert.deepEqual(rows, [
    { minute: minuteOf(T0), counter: 'connections', label: '', value: 5, gauge: false },
    { minute: minuteOf(T0), counter: 'queue_messages', label: 'incoming', value: 9, gauge: true },
  ]);
});

test('past the client label bound in one minute, further rejected clients count as one other row', () => {
  const c = createTrafficCounters();
  for (let i = 0; i < CLIENT_LABELS_PER_MINUTE + 20; i++) c.add('client_rejects', `10.0.${i >> 8}.${i & 255}`, T0);
  c.add('client_rejects', '10.0.0.0', T0);
  const rows = c.take();
  assert.equal(rows.length, CLIENT_LABELS_PER_MINUTE + 1);
  assert.equal(rows.find((r) => r.label === OTHER_CLIENTS)?.value, 20);
  assert.equal(rows.find((r) => r.label === '10.0.0.0')?.value, 2, 'a client already counted keeps its own row');
});

test('a reject label splits into its stage and the restriction as written', () => {
  assert.deepEqual(splitRejectLabel('rcpt check_client_access'), { stage: 'rcpt', restriction: 'check_client_access' });
  assert.deepEqual(splitRejectLabel('mail hash:sasl/access'), { stage: 'mail', restriction: 'hash:sasl/access' });
});
