/**
 * NOTIFY=SUCCESS (RFC 3461) as Postfix's smtp client honours it: a next hop that announces DSN
 * gets NOTIFY, ORCPT, RET and ENVID passed on and reports success itself; one that does not gets
 * the message, and the sender gets a "Successful Mail Delivery Report" with action relayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from '../support/gateway.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { sendMessage, waitForLog } from './send-message.ts';

const MESSAGE = 'From: a@sender.example\nTo: b@example.net\nSubject: hello\n\nbody line\n';

// The next hop is `sink`, the sender's domain (sender.example) is `returns`.
async function setUp(t: { after(fn: () => unknown): void }, hideDSN: boolean) {
  const sink = await startSmtpSink({ hideDSN });
  const returns = await startSmtpSink();
  t.after(() => sink.stop());
  t.after(() => returns.stop());
  const gw = await startTestGateway(
    { relayhost: `[127.0.0.1]:${sink.port}`, transport_maps: 'hash:transport' },
    { tables: { transport: { kind: 'exact', source: `sender.example smtp:[127.0.0.1]:${returns.port}\n` } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  return { sink, returns, gw };
}

test('a next hop without DSN: NOTIFY=SUCCESS recipients are reported to the sender as relayed', async (t) => {
  const { sink, returns, gw } = await setUp(t, true);
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net'], MESSAGE, 'ENVID=e7', 'NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net');
  const [m] = await sink.waitFor(1);
  assert.deepEqual(m.rcptParameters['b@example.net'], {});
  const [notice] = await returns.waitFor(1);
  assert.equal(notice.sender, '');
  assert.deepEqual(notice.recipients, ['a@sender.example']);
  assert.match(notice.content, /^Subject: Successful Mail Delivery Report\r$/m);
  assert.match(notice.content, /Your message was successfully delivered to the destination\(s\)\r\nlisted below\./);
  assert.match(notice.content, /Original-Envelope-Id: e7\r\n/);
  assert.match(notice.content, /Final-Recipient: rfc822; b@example\.net\r\nOriginal-Recipient: rfc822;b@example\.net\r\nAction: relayed\r\nStatus: 2\.0\.0\r\nDiagnostic-Code: smtp; 250 Ok: queued\r\n/);
  assert.match(notice.content, /Content-Type: text\/rfc822-headers\r\n\r\n[^]*Subject: hello\r\n/);
  await waitForLog(gw, new RegExp(`^${id}: sender delivery status notification: \\w+$`));
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
});

test('a next hop without DSN: recipients without NOTIFY=SUCCESS get no report', async (t) => {
  const { sink, returns, gw } = await setUp(t, true);
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net', 'c@example.net'], MESSAGE, '', 'NOTIFY=FAILURE');
  await sink.waitFor(1);
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
  await sleep(300);
  assert.equal(returns.messages.length, 0);
});

test('a next hop that announces DSN gets NOTIFY=SUCCESS passed on, and the gateway sends no report', async (t) => {
  const { sink, returns, gw } = await setUp(t, false);
  const id = await sendMessage(gw.port, 'a@sender.example', ['b@example.net'], MESSAGE, 'RET=HDRS ENVID=e8', 'NOTIFY=SUCCESS');
  const [m] = await sink.waitFor(1);
  assert.equal(m.rcptParameters['b@example.net'].NOTIFY, 'SUCCESS');
  assert.equal(m.mailParameters.ENVID, 'e8');
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
  await sleep(300);
  assert.equal(returns.messages.length, 0);
  assert.ok(!gw.logLines().some((l) => l.includes('sender delivery status notification')));
});
