/**
 * Delivery to the next hop through real sockets: relayhost, transport_maps, relay_transport for
 * relay_domains, MX lookup through the loopback DNS server, message actions (REDIRECT, BCC,
 * FILTER, HOLD, PREPEND) and always_bcc.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZONE, startTestGateway } from '../support/gateway.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { sendMessage, waitForLog } from './send-message.ts';
import { runQueueRequest } from '../../server/control/queue-control.ts';

const MESSAGE = 'From: a@example.org\nTo: b@example.net\nSubject: hello\n\nbody line\n';

test('relayhost: the message arrives with its envelope, the queue is emptied, Postfix lines logged', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${sink.port}` });
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@example.org', ['b@example.net', 'c@example.net'], MESSAGE, 'RET=HDRS ENVID=env1', 'NOTIFY=FAILURE');
  assert.ok(id);
  const [m] = await sink.waitFor(1);
  assert.equal(m.sender, 'a@example.org');
  assert.deepEqual(m.recipients, ['b@example.net', 'c@example.net']);
  assert.match(m.content, /Subject: hello/);
  assert.match(m.content, /^Received: /);
  assert.equal(m.mailParameters.RET, 'HDRS');
  assert.equal(m.mailParameters.ENVID, 'env1');
  assert.equal(m.rcptParameters['b@example.net'].NOTIFY, 'FAILURE');
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
  assert.ok(gw.logLines().some((l) => new RegExp(`^${id}: from=<a@example.org>, size=\\d+, nrcpt=2 \\(queue active\\)$`).test(l)));
  const sent = gw.logLines().filter((l) => l.startsWith(`${id}: to=<`));
  assert.equal(sent.length, 2);
  assert.match(sent[0], new RegExp(`^${id}: to=<b@example.net>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${sink.port}, delay=[\\d.]+, delays=[\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+, dsn=2\\.0\\.0, status=sent \\(250 Ok: queued\\)$`));
  for (const state of ['incoming', 'active', 'deferred']) assert.deepEqual(gw.queueFiles(state), [], state);
});

test('transport_maps: the domain entry wins over relayhost; a parent .domain entry matches subdomains', async (t) => {
  const sink = await startSmtpSink();
  const other = await startSmtpSink();
  t.after(() => sink.stop());
  t.after(() => other.stop());
  const gw = await startTestGateway(
    { relayhost: `[127.0.0.1]:${other.port}`, transport_maps: 'hash:transport' },
    { tables: { transport: { kind: 'exact', source: `example.net smtp:[127.0.0.1]:${sink.port}\n.example.com relay:[127.0.0.1]:${sink.port}\n` } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['b@example.net', 'x@sub.example.com'], MESSAGE));
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['z@example.org'], MESSAGE));
  await sink.waitFor(1);
  await other.waitFor(1);
  assert.deepEqual(sink.messages.flatMap((m) => m.recipients).sort(), ['b@example.net', 'x@sub.example.com']);
  assert.deepEqual(other.messages[0].recipients, ['z@example.org']);
});

test('relay_domains go out through relay_transport and log as postfix/relay; other domains through relayhost as smtp', async (t) => {
  const inside = await startSmtpSink();
  const outside = await startSmtpSink();
  t.after(() => inside.stop());
  t.after(() => outside.stop());
  const gw = await startTestGateway({ relay_domains: 'example.com', relay_transport: `relay:[127.0.0.1]:${inside.port}`, relayhost: `[127.0.0.1]:${outside.port}` });
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@example.org', ['in@example.com', 'out@example.org'], MESSAGE);
  assert.ok(id);
  const [inbound] = await inside.waitFor(1);
  const [outbound] = await outside.waitFor(1);
  assert.deepEqual(inbound.recipients, ['in@example.com']);
  assert.deepEqual(outbound.recipients, ['out@example.org']);
  const programOf = async (rcpt: string, port: number) => {
    const text = await waitForLog(gw, new RegExp(`^${id}: to=<${rcpt}>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${port}, .*status=sent`));
    return gw.events.find((e) => e.text === text)!.program;
  };
  assert.equal(await programOf('in@example.com', inside.port), 'relay');
  assert.equal(await programOf('out@example.org', outside.port), 'smtp');
});

test('MX lookup: the recipient domain MX host, then its A record, through dns_resolvers', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  // No relayhost: the transport entry names the domain without brackets, so its MX is looked up.
  const gw = await startTestGateway(
    { transport_maps: 'hash:transport' },
    { tables: { transport: { kind: 'exact', source: `mxtest.example smtp:mxtest.example:${sink.port}\n` } } },
  );
  t.after(() => gw.stop());
  gw.dns.setZone(`${ZONE}\nmxtest.example. MX 10 mail.mxtest.example.\nmail.mxtest.example. A 127.0.0.1\n`);
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@example.org', ['r@mxtest.example'], MESSAGE);
  assert.ok(id);
  await sink.waitFor(1);
  assert.match(await waitForLog(gw, new RegExp(`^${id}: to=<r@mxtest.example>`)), /relay=mail\.mxtest\.example\[127\.0\.0\.1\]/);
});

test('REDIRECT, BCC and always_bcc change the recipients; PREPEND arrives; HOLD stays in hold/', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const gw = await startTestGateway(
    {
      relayhost: `[127.0.0.1]:${sink.port}`, always_bcc: 'archive@example.test',
      smtpd_recipient_restrictions: 'check_recipient_access hash:rcpt, permit_mynetworks, reject_unauth_destination',
    },
    { tables: { rcpt: { kind: 'exact', source: 'moved@example.net REDIRECT new@example.net\ncopied@example.net BCC audit@example.net\ntagged@example.net PREPEND X-Tag: seen\nheld@example.net HOLD review\n' } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['moved@example.net', 'other@example.net'], MESSAGE));
  await sink.waitFor(1);
  assert.deepEqual(sink.messages[0].recipients.sort(), ['archive@example.test', 'new@example.net']);
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['copied@example.net'], MESSAGE));
  await sink.waitFor(2);
  assert.deepEqual(sink.messages[1].recipients.sort(), ['archive@example.test', 'audit@example.net', 'copied@example.net']);
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['tagged@example.net'], MESSAGE));
  await sink.waitFor(3);
  assert.match(sink.messages[2].content, /^X-Tag: seen\r\n/m);
  const held = await sendMessage(gw.port, 'a@example.org', ['held@example.net'], MESSAGE);
  assert.ok(held);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(gw.queueFiles('hold'), [held]);
  assert.equal(sink.messages.length, 3);
});

test('a message held by a HOLD action, released and flushed, is delivered and not held again', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const gw = await startTestGateway(
    { relayhost: `[127.0.0.1]:${sink.port}`, smtpd_recipient_restrictions: 'check_recipient_access hash:rcpt, permit_mynetworks, reject_unauth_destination' },
    { tables: { rcpt: { kind: 'exact', source: 'held@example.net HOLD review\n' } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const held = await sendMessage(gw.port, 'a@example.org', ['held@example.net'], MESSAGE);
  assert.ok(held);
  // In hold/ by the time of the 250, with the queue manager running: it is never in incoming/.
  assert.deepEqual(gw.queueFiles('hold'), [held]);
  const released = await runQueueRequest({ queue: gw.gateway.queue, wake: () => gw.gateway.queueManager.wake() }, { command: 'queue', operation: 'release', ids: [held] });
  assert.deepEqual(released, { ok: true, done: [held], skipped: [] });
  await gw.gateway.flush();
  const [m] = await sink.waitFor(1);
  assert.deepEqual(m.recipients, ['held@example.net']);
  assert.deepEqual(gw.queueFiles('hold'), []);
});

test('FILTER sets the next hop of the whole message', async (t) => {
  const sink = await startSmtpSink();
  const other = await startSmtpSink();
  t.after(() => sink.stop());
  t.after(() => other.stop());
  const gw = await startTestGateway(
    {
      relayhost: `[127.0.0.1]:${other.port}`,
      smtpd_recipient_restrictions: 'check_recipient_access hash:rcpt, permit_mynetworks, reject_unauth_destination',
    },
    { tables: { rcpt: { kind: 'exact', source: `filtered@example.net FILTER smtp:[127.0.0.1]:${sink.port}\n` } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['filtered@example.net', 'plain@example.net'], MESSAGE));
  await sink.waitFor(1);
  assert.deepEqual(sink.messages[0].recipients.sort(), ['filtered@example.net', 'plain@example.net']);
  assert.equal(other.messages.length, 0);
});
