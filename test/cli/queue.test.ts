/**
 * `portcullis queue` and `portcullis flush` as processes on a data folder with real queue files
 * written through the queue API: the mailq listing, postsuper's hold, release, requeue and
 * delete by ID and ALL, postcat's show, refusals that change nothing; without a gateway (on the
 * files) and through a running gateway's control channel, whose queue manager then delivers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPortcullis } from '../support/cli.ts';
import { startTestGateway } from '../support/gateway.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { moveQueueFile, openQueue, type Queue, type QueueId } from '../../server/queue/index.ts';
import { DEFER_FOLDER, writeDeliveryState, type DeliveryState } from '../../server/delivery/delivery-state.ts';

const ARRIVAL = Date.UTC(2026, 10, 22, 9, 5, 7); // Sun Nov 22 09:05:07 UTC

async function enqueue(queue: Queue, sender: string, recipients: string[], body = 'Subject: hi\r\nMessage-ID: <q@example.org>\r\n\r\nhello\r\n'): Promise<QueueId> {
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.writeContent(Buffer.from(body));
  await writer.commit({
    queueId: id, arrivalTime: ARRIVAL, sender, recipients: recipients.map((address) => ({ address })), dsn: {},
    client: { name: 'client.example.org', address: '192.0.2.1', helo: 'client.example.org', protocol: 'ESMTP' }, attributes: {},
  });
  return id;
}

function folder(t: { after(fn: () => void): void }): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-queue-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

// The retry state the queue manager keeps beside a deferred file (its folder is the manager's to make).
async function deferWith(queue: Queue, id: QueueId, state: DeliveryState): Promise<void> {
  await moveQueueFile(queue, id, 'incoming', 'deferred');
  fs.mkdirSync(path.join(queue.directory, DEFER_FOLDER), { recursive: true });
  await writeDeliveryState(queue, id, state);
}

const queueCli = (dataDir: string, ...args: string[]) => runPortcullis(['queue', ...args], { PORTCULLIS_DATA: dataDir, TZ: 'UTC' });

test('an empty queue lists as "Mail queue is empty"', async (t) => {
  const dataDir = folder(t);
  const r = await queueCli(dataDir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Mail queue is empty\n');
});

test('the listing is mailq\'s: ID with * or !, size, arrival, sender, reason, recipients, total', async (t) => {
  const dataDir = folder(t);
  const queue = await openQueue(path.join(dataDir, 'queue'));
  const waiting = await enqueue(queue, 'a@example.org', ['b@example.net']);
  const deferred = await enqueue(queue, '', ['c@example.net', 'd@example.net', 'e@example.net']);
  await deferWith(queue, deferred, {
    done: ['e@example.net'], attempts: 1, nextAttempt: 0, warned: false, released: false,
    reasons: { 'c@example.net': 'connect to mx.example.net[192.0.2.9]:25: Connection refused', 'd@example.net': 'connect to mx.example.net[192.0.2.9]:25: Connection refused' },
  });
  const held = await enqueue(queue, 'f@example.org', ['g@example.net']);
  await moveQueueFile(queue, held, 'incoming', 'hold');
  const active = await enqueue(queue, 'h@example.org', ['i@example.net']);
  await moveQueueFile(queue, active, 'incoming', 'active');
  const r = await queueCli(dataDir);
  assert.equal(r.code, 0, r.stderr);
  const size = 51; // content bytes of the body enqueue writes
  const line = (id: string, mark: string, sender: string) => `${id.padEnd(10)}${mark} ${String(size).padStart(8)} Sun Nov 22 09:05:07  ${sender}`;
  const indent = ' '.repeat(41);
  assert.equal(r.stdout, [
    '-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------',
    line(active, '*', 'h@example.org'), `${indent}i@example.net`, '',
    line(waiting, ' ', 'a@example.org'), `${indent}b@example.net`, '',
    line(deferred, ' ', 'MAILER-DAEMON'), '(connect to mx.example.net[192.0.2.9]:25: Connection refused)', `${indent}c@example.net`, `${indent}d@example.net`, '',
    line(held, '!', 'f@example.org'), `${indent}g@example.net`, '',
    '-- 0 Kbytes in 4 Requests.', '',
  ].join('\n'));
});

test('hold, release, requeue and delete move the named files as postsuper does, and say how many', async (t) => {
  const dataDir = folder(t);
  const queue = await openQueue(path.join(dataDir, 'queue'));
  const one = await enqueue(queue, 'a@example.org', ['b@example.net']);
  const two = await enqueue(queue, 'a@example.org', ['c@example.net']);
  const files = (state: string) => fs.readdirSync(path.join(dataDir, 'queue', state)).sort();
  let r = await queueCli(dataDir, 'hold', one, two);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'postsuper: Placed on hold: 2 messages\n');
  assert.deepEqual(files('hold'), [one, two].sort());
  assert.match((await queueCli(dataDir)).stdout, new RegExp(`^${one}!`, 'm'));
  r = await queueCli(dataDir, 'release', one);
  assert.equal(r.stdout, 'postsuper: Released from hold: 1 message\n');
  assert.deepEqual(files('deferred'), [one]);
  r = await queueCli(dataDir, 'requeue', 'ALL');
  assert.equal(r.stdout, 'postsuper: Requeued: 2 messages\n');
  assert.deepEqual(files('incoming'), [one, two].sort());
  r = await queueCli(dataDir, 'delete', one);
  assert.equal(r.stdout, 'postsuper: Deleted: 1 message\n');
  assert.deepEqual(files('incoming'), [two]);
  r = await queueCli(dataDir, 'delete', 'ALL');
  assert.equal(r.stdout, 'postsuper: Deleted: 1 message\n');
  assert.equal((await queueCli(dataDir)).stdout, 'Mail queue is empty\n');
});

test('an active file is being delivered: named, it is left alone with a warning', async (t) => {
  const dataDir = folder(t);
  const queue = await openQueue(path.join(dataDir, 'queue'));
  const id = await enqueue(queue, 'a@example.org', ['b@example.net']);
  await moveQueueFile(queue, id, 'incoming', 'active');
  const r = await queueCli(dataDir, 'delete', id);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `postsuper: warning: ${id}: is being delivered (active queue), left alone\n`);
  assert.deepEqual(fs.readdirSync(path.join(dataDir, 'queue', 'active')), [id]);
});

test('an unknown or invalid ID, or bad usage, is fatal and changes nothing', async (t) => {
  const dataDir = folder(t);
  const queue = await openQueue(path.join(dataDir, 'queue'));
  const id = await enqueue(queue, 'a@example.org', ['b@example.net']);
  let r = await queueCli(dataDir, 'hold', id, 'ABCDEF012345');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'postsuper: fatal: ABCDEF012345: no such queue file\n');
  assert.deepEqual(fs.readdirSync(path.join(dataDir, 'queue', 'incoming')), [id]);
  r = await queueCli(dataDir, 'delete', '../x');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'postsuper: fatal: invalid queue ID: "../x"\n');
  r = await queueCli(dataDir, 'delete');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^postsuper: fatal: delete: no queue ID given; usage: /);
  r = await queueCli(dataDir, 'frobnicate', id);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^postsuper: fatal: unknown queue command "frobnicate"/);
  r = await queueCli(dataDir, 'show', 'ABCDEF012345');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'postcat: fatal: open queue file ABCDEF012345: not found\n');
  assert.deepEqual(fs.readdirSync(path.join(dataDir, 'queue', 'incoming')), [id]);
});

test('show prints the envelope records and the content, as postcat', async (t) => {
  const dataDir = folder(t);
  const queue = await openQueue(path.join(dataDir, 'queue'));
  const id = await enqueue(queue, 'a@example.org', ['b@example.net', 'c@example.net']);
  const r = await queueCli(dataDir, 'show', id);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], `*** ENVELOPE RECORDS incoming/${id} ***`);
  assert.ok(lines.includes('sender: a@example.org'));
  assert.ok(lines.includes('recipient: b@example.net') && lines.includes('recipient: c@example.net'));
  assert.ok(lines.includes('named_attribute: client_address=192.0.2.1'));
  const contents = lines.indexOf(`*** MESSAGE CONTENTS incoming/${id} ***`);
  assert.equal(lines[contents + 1], 'Subject: hi\r');
  assert.equal(lines.at(-2), `*** MESSAGE FILE END incoming/${id} ***`);
});

test('with a gateway running, queue commands and flush go through its control channel and deferred mail is delivered', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${sink.port}` });
  t.after(() => gw.stop());
  const held = await enqueue(gw.gateway.queue, 'a@example.org', ['b@example.net']);
  await moveQueueFile(gw.gateway.queue, held, 'incoming', 'hold');
  const deferred = await enqueue(gw.gateway.queue, 'a@example.org', ['c@example.net']);
  // Far in the future: only a flush makes the queue manager try it now.
  await deferWith(gw.gateway.queue, deferred, { done: [], attempts: 1, nextAttempt: Date.now() + 3_600_000, reasons: {}, warned: false, released: false });
  await gw.gateway.queueManager.start();
  // Spies on the queue manager show the requests reached the gateway, not only the files.
  const manager = gw.gateway.queueManager;
  const calls: string[] = [];
  const [flushNow, wakeNow] = [manager.flush.bind(manager), manager.wake.bind(manager)];
  manager.flush = () => (calls.push('flush'), flushNow());
  manager.wake = () => (calls.push('wake'), wakeNow());
  const flush = await runPortcullis(['flush'], { PORTCULLIS_DATA: gw.dataDir });
  assert.equal(flush.code, 0, flush.stderr);
  assert.equal(flush.stdout, 'postqueue: flushed 1 deferred message\n');
  const [first] = await sink.waitFor(1);
  assert.deepEqual(first!.recipients, ['c@example.net']);
  const release = await queueCli(gw.dataDir, 'requeue', held);
  assert.equal(release.stdout, 'postsuper: Requeued: 1 message\n');
  const messages = await sink.waitFor(2);
  assert.deepEqual(messages[1]!.recipients, ['b@example.net']);
  assert.deepEqual(calls, ['flush', 'wake']);
});

test('flush without a gateway moves deferred mail to incoming/, for the next start', async (t) => {
  const dataDir = folder(t);
  const queue = await openQueue(path.join(dataDir, 'queue'));
  const id = await enqueue(queue, 'a@example.org', ['b@example.net']);
  await moveQueueFile(queue, id, 'incoming', 'deferred');
  const r = await runPortcullis(['flush'], { PORTCULLIS_DATA: dataDir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dataDir, 'queue', 'incoming')), [id]);
});
