/**
 * The stored traffic counters (server/stats/traffic-store.ts) read back for the dashboard and
 * /metrics (server/stats/read-traffic.ts), on a real migrated SQLite file in a temporary folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { databasePath } from '../../../server/db/data-dir.ts';
import { openTrafficStore, type TrafficStore } from '../../../server/stats/traffic-store.ts';
import { openTrafficReader, readTrafficDashboard, readTrafficTotals } from '../../../server/stats/read-traffic.ts';
import { minuteOf, type TrafficCounterName, type TrafficRow } from '../../../server/stats/traffic-counters.ts';

const NOW = new Date('2026-12-06T05:30:20Z');
const NOW_MINUTE = minuteOf(NOW);

function withStore(t: { after(fn: () => void): void }): { dataDir: string; store: TrafficStore } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-stats-'));
  applyMigrations(databasePath(dataDir));
  const store = openTrafficStore(databasePath(dataDir));
  t.after(() => {
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, store };
}

function row(minutesAgo: number, counter: TrafficCounterName, label: string, value: number, gauge = false): TrafficRow {
  return { minute: NOW_MINUTE - minutesAgo, counter, label, value, gauge };
}

test('the hour series has one bucket per minute, the latest holding the current minute', (t) => {
  const { dataDir, store } = withStore(t);
  store.write([row(0, 'connections', '', 2), row(1, 'connections', '', 3), row(59, 'connections', '', 1), row(60, 'connections', '', 100)], [], NOW);
  const reader = openTrafficReader(dataDir);
  t.after(() => reader.close());
  const series = reader.series('hour', NOW);
  assert.equal(series.bucketMinutes, 1);
  assert.equal(series.bucketStarts.length, 60);
  assert.equal(series.bucketStarts[59], '2026-12-06T05:30:00.000Z');
  assert.deepEqual([series.counters.connections[0], series.counters.connections[58], series.counters.connections[59]], [1, 3, 2]);
  assert.equal(series.counters.connections.reduce((a, b) => a + b, 0), 6, 'a minute older than the hour is left out');
});

test('two writes to the same minute add up, and the day and week series sum minutes into wider buckets', (t) => {
  const { dataDir, store } = withStore(t);
  store.write([row(0, 'messages_accepted', '', 1)], [], NOW);
  store.write([row(0, 'messages_accepted', '', 1), row(31, 'messages_accepted', '', 4), row(60 * 24 * 2, 'messages_accepted', '', 8)], [], NOW);
  const reader = openTrafficReader(dataDir);
  t.after(() => reader.close());
  const day = reader.series('day', NOW);
  assert.equal(day.bucketStarts.length, 48);
  assert.equal(day.bucketStarts[47], '2026-12-06T05:30:00.000Z');
  assert.deepEqual(day.counters.messages_accepted.slice(-3), [4, 0, 2], '04:59 falls in the 04:30 bucket');
  const week = reader.series('week', NOW);
  assert.equal(week.bucketStarts.length, 56);
  assert.equal(week.bucketStarts[55], '2026-12-06T03:00:00.000Z');
  assert.equal(week.counters.messages_accepted.reduce((a, b) => a + b, 0), 14);
});

test('rejects read by stage and restriction, with content rejects at end-of-data, largest first', (t) => {
  const { dataDir, store } = withStore(t);
  store.write([
    row(2, 'rejects', 'rcpt reject_unauth_destination', 5),
    row(1, 'rejects', 'rcpt check_client_access', 2),
    row(1, 'rejects', 'connect check_client_access', 1),
    row(1, 'content_rejects', 'header_checks', 3),
  ], [], NOW);
  const d = readTrafficDashboard(dataDir, 'hour', NOW);
  assert.deepEqual(d.rejects.byStageAndRestriction, [
    { stage: 'rcpt', restriction: 'reject_unauth_destination', count: 5 },
    { stage: 'end-of-data', restriction: 'header_checks', count: 3 },
    { stage: 'rcpt', restriction: 'check_client_access', count: 2 },
    { stage: 'connect', restriction: 'check_client_access', count: 1 },
  ]);
  assert.deepEqual(d.rejects.byRestriction, [
    { restriction: 'reject_unauth_destination', count: 5 },
    { restriction: 'check_client_access', count: 3 },
    { restriction: 'header_checks', count: 3 },
  ]);
  assert.deepEqual(d.rejects.byStage, [{ stage: 'rcpt', count: 7 }, { stage: 'end-of-data', count: 3 }, { stage: 'connect', count: 1 }]);
  assert.equal(d.totals.rejects, 8);
  assert.equal(d.totals.content_rejects, 3);
});

test('the top rejected clients are summed over the range, most first, without the overflow row', (t) => {
  const { dataDir, store } = withStore(t);
  store.write([
    row(3, 'client_rejects', '192.0.2.1', 2), row(1, 'client_rejects', '192.0.2.1', 2),
    row(1, 'client_rejects', '2001:db8::5', 3), row(1, 'client_rejects', '*', 50), row(1, 'client_rejects', '192.0.2.9', 1),
  ], [], NOW);
  const reader = openTrafficReader(dataDir);
  t.after(() => reader.close());
  assert.deepEqual(reader.topRejectedClients('hour', 2, NOW), [
    { clientAddress: '192.0.2.1', count: 4 }, { clientAddress: '2001:db8::5', count: 3 },
  ]);
});

test('queue sizes are the last sample of each queue, and a sample replaces rather than adds', (t) => {
  const { dataDir, store } = withStore(t);
  store.write([row(1, 'queue_messages', 'deferred', 4, true), row(1, 'queue_messages', 'incoming', 1, true)], [], NOW);
  store.write([row(0, 'queue_messages', 'deferred', 2, true), row(0, 'queue_messages', 'deferred', 3, true)], [], NOW);
  const reader = openTrafficReader(dataDir);
  t.after(() => reader.close());
  const sizes = reader.queueSizes();
  assert.deepEqual(sizes.messages, { incoming: 1, active: 0, deferred: 3, hold: 0, corrupt: 0 });
  assert.equal(sizes.sampledAt, '2026-12-06T05:30:00.000Z');
  assert.deepEqual(reader.series('hour', NOW).queues.deferred.slice(-2), [4, 3]);
});

test('totals keep counting past pruning and leave client addresses out', (t) => {
  const { dataDir, store } = withStore(t);
  store.write([row(60 * 24 * 9, 'connections', '', 7), row(0, 'connections', '', 1), row(0, 'client_rejects', '192.0.2.1', 1)], [], NOW);
  const removed = store.prune(8 * 86400, NOW);
  assert.equal(removed, 1);
  assert.equal(readTrafficDashboard(dataDir, 'week', NOW).totals.connections, 1);
  assert.deepEqual(readTrafficTotals(dataDir).map((r) => [r.counter, r.label, r.value]), [['connections', '', 8]]);
});

test('an empty database reads as zeros everywhere', (t) => {
  const { dataDir } = withStore(t);
  const d = readTrafficDashboard(dataDir, 'day', NOW);
  assert.equal(Object.values(d.totals).reduce((a, b) => a + b, 0), 0);
  assert.deepEqual(d.topRejectedClients, []);
  assert.equal(d.queueSizes.sampledAt, null);
});
