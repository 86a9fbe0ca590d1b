/**
 * Transports from transport_maps beyond smtp and relay, as transport(5) and Postfix's delivery
 * agents: error bounces at once, retry defers, discard drops and logs it sent, lmtp delivers over
 * LMTP on a TCP port or a UNIX-domain socket, and a transport Portcullis does not have defers
 * with "mail transport unavailable".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestGateway } from '../support/gateway.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { sendMessage, waitForLog } from './send-message.ts';

const MESSAGE = 'From: a@sender.example\nTo: b@example.net\nSubject: hello\n\nbody line\n';
const DELAYS = 'delay=[\\d.]+, delays=[\\d./]+';

test('error:, retry:, discard: and an unknown transport answer without a connection, each as Postfix logs it', async (t) => {
  const returns = await startSmtpSink();
  t.after(() => returns.stop());
  const transport = [
    `sender.example smtp:[127.0.0.1]:${returns.port}`,
    'gone.example error:5.1.1 mailbox is gone',
    'plain.example error:no mail here',
    'busy.example retry:4.2.2 over quota',
    'drop.example discard:silently dropped',
    'box.example local:',
  ].join('\n');
  const gw = await startTestGateway(
    { transport_maps: 'hash:transport', minimal_backoff_time: '60s', maximal_backoff_time: '60s' },
    { tables: { transport: { kind: 'exact', source: transport + '\n' } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@sender.example', ['u@gone.example', 'u@plain.example', 'u@busy.example', 'u@drop.example', 'u@box.example'], MESSAGE);
  assert.ok(id);
  const line = async (rcpt: string) => {
    const text = await waitForLog(gw, new RegExp(`^${id}: to=<${rcpt}>`));
    return { text, program: gw.events.find((e) => e.text === text)!.program };
  };
  const at = (rcpt: string, rest: string) => new RegExp(`^${id}: to=<${rcpt.replace(/\./g, '\\.')}>, relay=none, ${DELAYS}, ${rest.replace(/[().]/g, '\\$&')}$`);
  const gone = await line('u@gone.example');
  assert.match(gone.text, at('u@gone.example', 'dsn=5.1.1, status=bounced (mailbox is gone)'));
  assert.equal(gone.program, 'error');
  assert.match((await line('u@plain.example')).text, at('u@plain.example', 'dsn=5.0.0, status=bounced (no mail here)'));
  const busy = await line('u@busy.example');
  assert.match(busy.text, at('u@busy.example', 'dsn=4.2.2, status=deferred (over quota)'));
  assert.equal(busy.program, 'retry');
  const dropped = await line('u@drop.example');
  assert.match(dropped.text, at('u@drop.example', 'dsn=2.0.0, status=sent (silently dropped)'));
  assert.equal(dropped.program, 'discard');
  const box = await line('u@box.example');
  assert.match(box.text, at('u@box.example', 'dsn=4.3.0, status=deferred (mail transport unavailable)'));
  assert.equal(box.program, 'qmgr');

  // The two error recipients are returned to the sender; the deferred ones keep the message queued.
  const [dsn] = await returns.waitFor(1);
  assert.match(dsn.content, /Final-Recipient: rfc822; u@gone\.example\r\nAction: failed\r\nStatus: 5\.1\.1\r\nDiagnostic-Code: smtp; mailbox is gone/);
  assert.match(dsn.content, /Final-Recipient: rfc822; u@plain\.example\r\nAction: failed\r\nStatus: 5\.0\.0/);
  assert.doesNotMatch(dsn.content, /Final-Recipient: rfc822; u@(busy|drop|box)\.example/);
  for (let waited = 0; !gw.queueFiles('deferred').includes(id!); waited += 20) {
    if (waited > 5000) assert.fail(`${id} not in deferred/`);
    await new Promise((r) => setTimeout(r, 20));
  }
});

test('lmtp:[host]:port delivers over LMTP, one reply per recipient', async (t) => {
  const sink = await startSmtpSink({ lmtp: true });
  const returns = await startSmtpSink();
  t.after(() => sink.stop());
  t.after(() => returns.stop());
  sink.replyFor.set('nobody@lmtp.example', '550 5.1.1 no such mailbox');
  const gw = await startTestGateway(
    { transport_maps: 'hash:transport' },
    { tables: { transport: { kind: 'exact', source: `lmtp.example lmtp:[127.0.0.1]:${sink.port}\nsender.example smtp:[127.0.0.1]:${returns.port}\n` } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@sender.example', ['box@lmtp.example', 'nobody@lmtp.example'], MESSAGE);
  const [m] = await sink.waitFor(1);
  assert.deepEqual(m.recipients, ['box@lmtp.example']);
  const sent = await waitForLog(gw, new RegExp(`^${id}: to=<box@lmtp\\.example>`));
  assert.match(sent, new RegExp(`relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${sink.port}, ${DELAYS}, dsn=2\\.0\\.0, status=sent \\(250 `));
  assert.equal(gw.events.find((e) => e.text === sent)!.program, 'lmtp');
  assert.match(await waitForLog(gw, new RegExp(`^${id}: to=<nobody@lmtp\\.example>`)), /dsn=5\.1\.1, status=bounced \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 550 5\.1\.1 no such mailbox/);
  await returns.waitFor(1);
});

test('lmtp:unix:/path delivers over a UNIX-domain socket', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-lmtp-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const socket = path.join(dir, 'lmtp.sock');
  const sink = await startSmtpSink({ lmtp: true, path: socket });
  t.after(() => sink.stop());
  const gw = await startTestGateway(
    { transport_maps: 'hash:transport' },
    { tables: { transport: { kind: 'exact', source: `lmtp.example lmtp:unix:${socket}\n` } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@sender.example', ['box@lmtp.example'], MESSAGE);
  const [m] = await sink.waitFor(1);
  assert.deepEqual(m.recipients, ['box@lmtp.example']);
  assert.match(m.content, /Subject: hello/);
  const sent = await waitForLog(gw, new RegExp(`^${id}: to=<box@lmtp\\.example>`));
  assert.ok(sent.includes(`relay=mx.example.test[${socket}], `), sent);
  assert.match(sent, /status=sent \(250 /);
});

test('lmtp: to a socket nobody listens on defers the recipient', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-lmtp-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const socket = path.join(dir, 'missing.sock');
  const gw = await startTestGateway(
    { transport_maps: 'hash:transport', minimal_backoff_time: '60s', maximal_backoff_time: '60s' },
    { tables: { transport: { kind: 'exact', source: `lmtp.example lmtp:unix:${socket}\n` } } },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@sender.example', ['box@lmtp.example'], MESSAGE);
  const line = await waitForLog(gw, new RegExp(`^${id}: to=<box@lmtp\\.example>`));
  assert.ok(line.endsWith(`dsn=4.4.1, status=deferred (connect to mx.example.test[${socket}]: No such file or directory)`), line);
});
