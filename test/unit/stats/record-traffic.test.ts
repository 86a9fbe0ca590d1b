/**
 * The traffic recorder (server/stats/record-traffic.ts) with a real maillog, a real queue
 * folder and a real SQLite file: what it counts from the events, and that a database locked
 * by another writer delays the write with one warning and loses nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { databasePath } from '../../../server/db/data-dir.ts';
import { createMaillog } from '../../../server/log/maillog.ts';
import { openQueue } from '../../../server/queue/index.ts';
import { startTrafficRecorder } from '../../../server/stats/record-traffic.ts';
import { createTableHits } from '../../../server/stats/table-hits.ts';
import { readTrafficDashboard } from '../../../server/stats/read-traffic.ts';

async function withRecorder(t: { after(fn: () => Promise<void> | void): void }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-recorder-'));
  applyMigrations(databasePath(dataDir));
  const maillog = createMaillog({ hostname: () => 'mx.example.test', syslogName: () => 'postfix' });
  const queue = await openQueue(path.join(dataDir, 'queue'));
  const warnings: string[] = [];
  const recorder = startTrafficRecorder({
    dbFile: databasePath(dataDir), maillog, queue, hits: createTableHits(), retentionSeconds: () => 8 * 86400,
    warn: (text) => warnings.push(text),
  });
  t.after(async () => {
    await recorder.stop();
    await maillog.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, maillog, recorder, warnings };
}

test('maillog events are counted and written by flush', async (t) => {
  const { dataDir, maillog, recorder } = await withRecorder(t);
  maillog.write('smtpd', 'SMTPD_CONNECT', 'connect from localhost[127.0.0.1]');
  maillog.write('smtpd', 'SMTPD_REJECT', 'NOQUEUE: reject: RCPT from ...', 'info', { stage: 'RCPT', restriction: 'reject_unauth_destination', clientAddress: '192.0.2.1' });
  recorder.flush();
  const d = readTrafficDashboard(dataDir, 'hour');
  assert.equal(d.totals.connections, 1);
  assert.deepEqual(d.rejects.byStageAndRestriction, [{ stage: 'rcpt', restriction: 'reject_unauth_destination', count: 1 }]);
});

test('a database locked by another writer delays the write with one warning, and nothing is lost', async (t) => {
  const { dataDir, maillog, recorder, warnings } = await withRecorder(t);
  const other = new Database(databasePath(dataDir));
  t.after(() => other.close());
  other.exec('BEGIN IMMEDIATE');
  maillog.write('smtpd', 'SMTPD_CONNECT', 'connect from localhost[127.0.0.1]');
  recorder.flush();
  maillog.write('smtpd', 'SMTPD_CONNECT', 'connect from localhost[127.0.0.1]');
  recorder.flush();
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /cannot store traffic statistics, keeping them for the next try: database is locked/);
  other.exec('COMMIT');
  recorder.flush();
  assert.equal(readTrafficDashboard(dataDir, 'hour').totals.connections, 2);
});

test('the queue sizes are sampled from the queue folders', async (t) => {
  const { dataDir, recorder } = await withRecorder(t);
  for (const id of ['3F2A1B0C9D', '3F2A1B0C9E']) fs.writeFileSync(path.join(dataDir, 'queue', 'deferred', id), '');
  fs.writeFileSync(path.join(dataDir, 'queue', 'hold', '3F2A1B0C9F'), '');
  await recorder.sampleQueue();
  recorder.flush();
  assert.deepEqual(readTrafficDashboard(dataDir, 'hour').queueSizes.messages, { incoming: 0, active: 0, deferred: 2, hold: 1, corrupt: 0 });
});
