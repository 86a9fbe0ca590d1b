/**
 * The smtp client's connection cache and qmgr's per-destination limits, seen from the next hop:
 * messages share connections (conn_use= in the log) within smtp_connection_reuse_count_limit,
 * an idle kept connection is closed, the concurrency limit holds at the sink, a dead destination
 * is not connected to again, and smtp_destination_recipient_limit splits a message.
 * Messages are queued before the queue manager starts, so they are all waiting at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from '../support/gateway.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { sendMessage, waitForLog } from './send-message.ts';

const MESSAGE = 'From: a@example.org\nTo: b@example.net\nSubject: hello\n\nbody line\n';

async function setUp(t: { after(fn: () => unknown): void }, parameters: Record<string, string>) {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${sink.port}`, ...parameters });
  t.after(() => gw.stop());
  return { sink, gw };
}

async function queueMessages(port: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await sendMessage(port, 'a@example.org', [`r${i}@example.net`], MESSAGE);
    assert.ok(id);
    ids.push(id);
  }
  return ids;
}

async function waitUntil(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; !done(); await sleep(20)) {
    if (Date.now() > until) assert.fail(`still not: ${what}`);
  }
}

function connUses(lines: string[]): number[] {
  return lines.flatMap((l) => /, conn_use=(\d+), /.exec(l)?.[1] ?? []).map(Number).sort((a, b) => a - b);
}

test('messages to one next hop share one connection, and the reused ones log conn_use=', async (t) => {
  const { sink, gw } = await setUp(t, { smtp_destination_concurrency_limit: '1' });
  const ids = await queueMessages(gw.port, 5);
  await gw.gateway.queueManager.start();
  await sink.waitFor(5);
  for (const id of ids) await waitForLog(gw, new RegExp(`^${id}: removed$`));
  assert.equal(sink.connections, 1);
  assert.deepEqual(connUses(gw.logLines()), [2, 3, 4, 5]);
  assert.match(gw.logLines().find((l) => l.includes('conn_use=2'))!, new RegExp(`^\\w+: to=<r\\d@example\\.net>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${sink.port}, conn_use=2, delay=[\\d.]+, delays=[\\d./]+, dsn=2\\.0\\.0, status=sent \\(250 Ok: queued\\)$`));
});

test('smtp_connection_reuse_count_limit: a connection is reused that many times, then a new one opens', async (t) => {
  const { sink, gw } = await setUp(t, { smtp_destination_concurrency_limit: '1', smtp_connection_reuse_count_limit: '1' });
  const ids = await queueMessages(gw.port, 4);
  await gw.gateway.queueManager.start();
  for (const id of ids) await waitForLog(gw, new RegExp(`^${id}: removed$`));
  assert.equal(sink.connections, 2);
  assert.deepEqual(connUses(gw.logLines()), [2, 2]);
});

test('smtp_connection_cache_on_demand = no: one connection per message, no conn_use=', async (t) => {
  const { sink, gw } = await setUp(t, { smtp_destination_concurrency_limit: '1', smtp_connection_cache_on_demand: 'no' });
  const ids = await queueMessages(gw.port, 3);
  await gw.gateway.queueManager.start();
  for (const id of ids) await waitForLog(gw, new RegExp(`^${id}: removed$`));
  assert.equal(sink.connections, 3);
  assert.deepEqual(connUses(gw.logLines()), []);
});

test('a kept connection is closed once it idled for smtp_connection_cache_time_limit', async (t) => {
  const { sink, gw } = await setUp(t, { smtp_connection_cache_time_limit: '1s' });
  const [id] = await queueMessages(gw.port, 1);
  await gw.gateway.queueManager.start();
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
  assert.equal(sink.open, 1);
  await waitUntil('the idle connection is closed', () => sink.open === 0, 5000);
  // A message after that opens a new connection.
  await queueMessages(gw.port, 1);
  await sink.waitFor(2);
  assert.equal(sink.connections, 2);
});

test('smtp_destination_concurrency_limit: the next hop never sees more connections at once', async (t) => {
  const { sink, gw } = await setUp(t, { smtp_destination_concurrency_limit: '2' });
  sink.dataDelayMs = 200;
  await queueMessages(gw.port, 8);
  await gw.gateway.queueManager.start();
  await sink.waitFor(8);
  assert.equal(sink.maxOpen, 2);
  assert.equal(sink.connections, 2);
});

test('default_destination_concurrency_limit reaches smtp through $default_destination_concurrency_limit', async (t) => {
  const { sink, gw } = await setUp(t, { default_destination_concurrency_limit: '1' });
  sink.dataDelayMs = 100;
  await queueMessages(gw.port, 4);
  await gw.gateway.queueManager.start();
  await sink.waitFor(4);
  assert.equal(sink.maxOpen, 1);
});

test('a destination that fails a whole window is dead: later mail is deferred without a connection until a flush', async (t) => {
  const { sink, gw } = await setUp(t, { initial_destination_concurrency: '1', minimal_backoff_time: '60s', maximal_backoff_time: '60s' });
  sink.drop = true;
  const [first] = await queueMessages(gw.port, 1);
  await gw.gateway.queueManager.start();
  const failed = await waitForLog(gw, new RegExp(`^${first}: to=<r0@example\\.net>, relay=none, .*dsn=4\\.4\\.1, status=deferred \\(connect to 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${sink.port}: `));
  const reason = /status=deferred \((.*)\)$/.exec(failed)![1];
  assert.equal(sink.connections, 1);
  const [second] = await queueMessages(gw.port, 1);
  const line = await waitForLog(gw, new RegExp(`^${second}: to=<r0@example\\.net>`));
  assert.match(line, /relay=none, .*dsn=4\.4\.1, status=deferred \(delivery temporarily suspended: /);
  assert.ok(line.endsWith(`(delivery temporarily suspended: ${reason})`), line);
  assert.equal(gw.events.find((e) => e.text === line)!.program, 'retry');
  assert.equal(sink.connections, 1);
  // A flush (postqueue -f) revives the destination and delivers both.
  sink.drop = false;
  await waitUntil('both messages are in deferred/', () => gw.queueFiles('deferred').length === 2);
  assert.equal(await gw.gateway.flush(), 2);
  await sink.waitFor(2);
});

test('smtp_destination_recipient_limit splits one message into several transactions', async (t) => {
  const { sink, gw } = await setUp(t, { smtp_destination_recipient_limit: '2' });
  const recipients = ['r1@example.net', 'r2@example.net', 'r3@example.net', 'r4@example.net', 'r5@example.net'];
  const id = await sendMessage(gw.port, 'a@example.org', recipients, MESSAGE);
  await gw.gateway.queueManager.start();
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
  assert.deepEqual(sink.messages.map((m) => m.recipients.length).sort(), [1, 2, 2]);
  assert.deepEqual(sink.messages.flatMap((m) => m.recipients).sort(), recipients);
  assert.equal(gw.logLines().filter((l) => l.startsWith(`${id}: to=`) && l.includes('status=sent')).length, 5);
});

// The scheduler counts in windows: with the default initial window of 5, one failure is a fifth
// of a cohort, so a next hop that fails once is tried again.
test('with the default window a single failure does not kill the destination', async (t) => {
  const { sink, gw } = await setUp(t, { minimal_backoff_time: '60s', maximal_backoff_time: '60s' });
  sink.drop = true;
  const [first] = await queueMessages(gw.port, 1);
  await gw.gateway.queueManager.start();
  await waitForLog(gw, new RegExp(`^${first}: to=.*status=deferred \\(connect to `));
  sink.drop = false;
  const [second] = await queueMessages(gw.port, 1);
  assert.match(await waitForLog(gw, new RegExp(`^${second}: to=`)), /status=sent/);
  assert.equal(sink.connections, 2);
});
