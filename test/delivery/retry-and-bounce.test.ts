/**
 * What the next hop's replies do: 4xx or no answer defers and is retried on the backoff schedule;
 * 5xx bounces with an RFC 3464 report to the sender (a second sink stands for the sender's
 * domain); soft_bounce defers instead; maximal_queue_lifetime returns what is still deferred;
 * ETRN and flush() bring deferred mail back at once; active/ files are resumed at start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { SmtpClient } from '../support/smtp-client.ts';
import { sendMessage, waitForLog } from './send-message.ts';

const MESSAGE = 'From: a@sender.example\nTo: b@example.net\nSubject: hello\nMessage-ID: <m1@sender.example>\n\nbody line\n';
const FAST = { minimal_backoff_time: '1s', maximal_backoff_time: '2s', queue_run_delay: '1s' };

// The next hop is `sink`, the sender's domain (sender.example) is `returns`.
async function twoSinks(t: { after(fn: () => unknown): void }, parameters: Record<string, string> = {}) {
  const sink = await startSmtpSink();
  const returns = await startSmtpSink();
  t.after(() => sink.stop());
  t.after(() => returns.stop());
  const gw = await startTestGateway(
    { ...FAST, relayhost: `[127.0.0.1]:${sink.port}`, transport_maps: 'hash:transport', ...parameters },
    { tables: { transport: { kind: 'exact', source: `sender.example smtp:[127.0.0.1]:${returns.port}\n` } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  return { sink, returns, gw };
}

// The to= line is logged before the file moves to deferred/.
async function waitForDeferred(gw: TestGateway, id: string): Promise<void> {
  for (let waited = 0; !gw.queueFiles('deferred').includes(id); waited += 20) {
    if (waited > 5000) assert.fail(`${id} not in deferred/: ${gw.queueFiles('deferred').join(' ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('4xx defers with the reason, then the retry delivers', async (t) => {
  const { sink, gw } = await twoSinks(t);
  sink.replyFor.set('b@example.net', '450 4.2.0 mailbox busy');
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net'], MESSAGE);
  assert.ok(id);
  assert.match(await waitForLog(gw, /status=deferred/), new RegExp(`^${id}: to=<b@example.net>, .*dsn=4\\.2\\.0, status=deferred \\(host 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\] said: 450 4\\.2\\.0 mailbox busy`));
  await waitForDeferred(gw, id!);
  assert.ok(fs.existsSync(path.join(gw.dataDir, 'queue', 'defer', id!)));
  sink.replyFor.delete('b@example.net');
  await sink.waitFor(1, 8000);
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
  assert.ok(!fs.existsSync(path.join(gw.dataDir, 'queue', 'defer', id!)));
});

test('a next hop that is down defers; flush() delivers once it is back', async (t) => {
  const { sink, gw } = await twoSinks(t, { minimal_backoff_time: '60s', maximal_backoff_time: '60s' });
  sink.drop = true;
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net'], MESSAGE);
  await waitForDeferred(gw, id!);
  sink.drop = false;
  assert.equal(await gw.gateway.flush(), 1);
  await sink.waitFor(1, 5000);
});

test('ETRN for the domain wakes its deferred mail at once', async (t) => {
  const { sink, gw } = await twoSinks(t, { minimal_backoff_time: '60s', maximal_backoff_time: '60s', fast_flush_domains: 'example.net' });
  sink.replyFor.set('b@example.net', '421 4.3.0 later');
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net'], MESSAGE);
  await waitForDeferred(gw, id!);
  sink.replyFor.delete('b@example.net');
  const c = await SmtpClient.connect(gw.port);
  t.after(() => c.close());
  await c.read();
  await c.command('EHLO client.example.org');
  assert.equal((await c.command('ETRN example.net')).code, 250);
  await sink.waitFor(1, 5000);
});

test('5xx bounces: an RFC 3464 report from MAILER-DAEMON reaches the sender, the rest is delivered', async (t) => {
  const { sink, returns, gw } = await twoSinks(t);
  sink.replyFor.set('bad@example.net', '550 5.1.1 no such user');
  const id = await sendMessage(gw.port, 'a@sender.example', ['bad@example.net', 'good@example.net'], MESSAGE, 'RET=HDRS ENVID=e42', 'ORCPT=rfc822;orig@example.net');
  assert.ok(id);
  await sink.waitFor(1);
  assert.deepEqual(sink.messages[0].recipients, ['good@example.net']);
  const [dsn] = await returns.waitFor(1);
  assert.equal(dsn.sender, '');
  assert.deepEqual(dsn.recipients, ['a@sender.example']);
  assert.match(dsn.content, /^From: MAILER-DAEMON@mx\.example\.test/m);
  assert.match(dsn.content, /Content-Type: multipart\/report; report-type=delivery-status;/);
  assert.match(dsn.content, /Content-Type: message\/delivery-status\r\n\r\nReporting-MTA: dns; mx\.example\.test\r\n/);
  assert.match(dsn.content, /Original-Envelope-Id: e42/);
  assert.match(dsn.content, /Final-Recipient: rfc822; bad@example\.net\r\nOriginal-Recipient: rfc822;orig@example\.net\r\nAction: failed\r\nStatus: 5\.1\.1\r\nDiagnostic-Code: smtp; host 127\.0\.0\.1\[127\.0\.0\.1\] said: 550 5\.1\.1 no such user/);
  assert.match(dsn.content, /Content-Type: text\/rfc822-headers\r\n\r\n[^]*Subject: hello\r\n/);
  assert.doesNotMatch(dsn.content, /body line/);
  const notice = await waitForLog(gw, new RegExp(`^${id}: sender non-delivery notification: \\w+$`));
  assert.match(gw.logLines().find((l) => l.startsWith(`${id}: to=<bad@`))!, /dsn=5\.1\.1, status=bounced \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 550 5\.1\.1 no such user\)/);
  await waitForLog(gw, new RegExp(`^${notice.split(': ').pop()}: removed$`));
});

test('RET=FULL returns the whole message; NOTIFY=NEVER returns nothing', async (t) => {
  const { sink, returns, gw } = await twoSinks(t);
  sink.replyFor.set('bad@example.net', '550 5.1.1 no such user');
  assert.ok(await sendMessage(gw.port, 'a@sender.example', ['bad@example.net'], MESSAGE, 'RET=FULL'));
  const [dsn] = await returns.waitFor(1);
  assert.match(dsn.content, /Content-Type: message\/rfc822\r\n\r\n[^]*body line/);
  const quiet = await sendMessage(gw.port, 'a@sender.example', ['bad@example.net'], MESSAGE, '', 'NOTIFY=NEVER');
  await waitForLog(gw, new RegExp(`^${quiet}: removed$`));
  assert.equal(returns.messages.length, 1);
});

test('soft_bounce turns a 5xx into a deferral', async (t) => {
  const { sink, returns, gw } = await twoSinks(t, { soft_bounce: 'yes', minimal_backoff_time: '60s', maximal_backoff_time: '60s' });
  sink.replyFor.set('bad@example.net', '550 5.1.1 no such user');
  const id = await sendMessage(gw.port, 'a@sender.example', ['bad@example.net'], MESSAGE);
  assert.match(await waitForLog(gw, new RegExp(`^${id}: to=`)), /dsn=4\.1\.1, status=deferred/);
  await waitForDeferred(gw, id!);
  assert.equal(returns.messages.length, 0);
});

test('maximal_queue_lifetime: mail still deferred then is returned as expired', async (t) => {
  const { sink, returns, gw } = await twoSinks(t, { maximal_queue_lifetime: '1s' });
  sink.replyFor.set('b@example.net', '450 4.2.0 mailbox busy');
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net'], MESSAGE);
  await waitForLog(gw, new RegExp(`^${id}: from=<a@sender.example>, status=expired, returned to sender$`), 8000);
  const [dsn] = await returns.waitFor(1);
  assert.match(dsn.content, /Action: failed\r\nStatus: 5\.2\.0/);
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
});

test('a bounce that cannot be delivered is not bounced again (double bounce)', async (t) => {
  const { returns, gw } = await twoSinks(t);
  returns.replyFor.set('a@sender.example', '550 5.1.1 gone');
  const id = await sendMessage(gw.port, '', ['a@sender.example'], MESSAGE);
  await waitForLog(gw, new RegExp(`^${id}: undeliverable postmaster notification discarded$`));
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
});

test('restart: a file left in active/ by a crash is delivered', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${sink.port}` });
  t.after(() => gw.stop());
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net'], MESSAGE);
  // The queue manager is not running yet: put the file where a crash mid-delivery leaves it.
  fs.renameSync(path.join(gw.dataDir, 'queue', 'incoming', id!), path.join(gw.dataDir, 'queue', 'active', id!));
  await gw.gateway.queueManager.start();
  await sink.waitFor(1);
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
});

test('delay_warning_time: one delay notice while the message is still deferred', async (t) => {
  const { sink, returns, gw } = await twoSinks(t, { delay_warning_time: '1s' });
  sink.replyFor.set('b@example.net', '450 4.2.0 mailbox busy');
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net'], MESSAGE);
  const [notice] = await returns.waitFor(1, 8000);
  assert.match(notice.content, /Subject: Delayed Mail \(still being retried\)/);
  assert.match(notice.content, /Action: delayed\r\nStatus: 4\.2\.0/);
  await waitForLog(gw, new RegExp(`^${id}: sender delay notification: \\w+$`));
  // Later retries send no second warning.
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(returns.messages.length, 1);
});

test('notify_classes = bounce, 2bounce: the postmaster gets a copy of a bounce (headers only) and the double bounce', async (t) => {
  const { sink, returns, gw } = await twoSinks(t, { notify_classes: 'bounce, 2bounce' });
  sink.replyFor.set('bad@example.net', '550 5.1.1 no such user');
  await sendMessage(gw.port, 'a@sender.example', ['bad@example.net'], MESSAGE);
  await returns.waitFor(1);
  const [copy] = await sink.waitFor(1);
  assert.deepEqual([copy.sender, copy.recipients], ['', ['postmaster@example.test']]);
  assert.match(copy.content, /^Subject: Postmaster Copy: Undelivered Mail\r$/m);
  assert.match(copy.content, /^<bad@example\.net>: host 127\.0\.0\.1\[127\.0\.0\.1\] said: 550 5\.1\.1 no such user\r$/m);
  assert.match(copy.content, /^Subject: hello\r$/m);
  assert.doesNotMatch(copy.content, /body line/);

  returns.replyFor.set('b@sender.example', '550 5.1.1 gone');
  await sendMessage(gw.port, '', ['b@sender.example'], MESSAGE);
  const [, double] = await sink.waitFor(2);
  assert.deepEqual(double.recipients, ['postmaster@example.test']);
  assert.match(double.content, /^Subject: Undelivered Mail\r$/m);
});

test('without bounce in notify_classes (the default) the postmaster gets no copy', async (t) => {
  const { sink, returns, gw } = await twoSinks(t);
  sink.replyFor.set('bad@example.net', '550 5.1.1 no such user');
  const id = await sendMessage(gw.port, 'a@sender.example', ['bad@example.net'], MESSAGE);
  await returns.waitFor(1);
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(sink.messages.length, 0);
});
