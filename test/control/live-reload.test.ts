/**
 * Live policy changes: a parameter stored by another process reaches new sessions without a
 * restart (data_version fallback and the control socket), a transaction in progress keeps the
 * snapshot it started with, a configuration that does not compile is refused while the old one
 * keeps serving, and reloading under load drops no client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendControlRequest } from '../../server/control/control-socket.ts';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startTestGateway, storeParameters, type TestGateway } from '../support/gateway.ts';


async function ehloSize(gw: TestGateway): Promise<string | undefined> {
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  const r = await c.command('EHLO client.example.org');
  c.close();
  return r.text.split('\n').find((k) => k.startsWith('SIZE'));
}

test('a parameter changed by another process reaches new sessions within a second or two, no restart', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  assert.equal(await ehloSize(gw), 'SIZE 10240000');
  await storeParameters(gw.dataDir, { message_size_limit: '5000' });
  let size: string | undefined;
  for (let i = 0; i < 40 && size !== 'SIZE 5000'; i++) {
    await sleep(100);
    size = await ehloSize(gw);
  }
  assert.equal(size, 'SIZE 5000');
  assert.ok(gw.logLines().some((l) => /^reload -- version 3\.7\.11, configuration revision \d+$/.test(l)));
});

test('portcullis reload over the control socket swaps at once and reports the revision', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  await storeParameters(gw.dataDir, { smtpd_banner: '$myhostname ESMTP reloaded' });
  const r = await sendControlRequest(gw.dataDir, { command: 'reload' });
  assert.ok(r.ok);
  assert.equal(r.revision, gw.gateway.snapshot().revision);
  const c = await SmtpClient.connect(gw.port);
  assert.equal((await c.read())!.text, 'mx.example.test ESMTP reloaded');
  c.close();
  const status = await sendControlRequest(gw.dataDir, { command: 'status' });
  assert.ok(status.ok && status.revision === r.revision);
});

test('a transaction in progress finishes under the snapshot it started with', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('EHLO client.example.org');
  await c.command('MAIL FROM:<a@example.org>');
  await c.command('RCPT TO:<b@example.net>');
  await storeParameters(gw.dataDir, { message_size_limit: '1000' });
  assert.ok((await gw.gateway.reload()).ok);
  await c.command('DATA');
  const big = dataWire('Subject: big\n\n' + 'z'.repeat(70).concat('\n').repeat(40)).replace(/\r\n$/, '');
  assert.equal((await c.command(big)).code, 250, 'the old limit still applies to this transaction');
  await c.command('MAIL FROM:<a@example.org>');
  await c.command('RCPT TO:<b@example.net>');
  await c.command('DATA');
  assert.equal((await c.command(big)).code, 552, 'the next transaction runs under the new limit');
  c.close();
});

test('a stored policy that does not compile is refused; the running one stays', async (t) => {
  const gw = await startTestGateway({ mynetworks: '10.0.0.0/8', smtpd_authorized_xclient_hosts: '127.0.0.1' });
  t.after(() => gw.stop());
  const before = gw.gateway.snapshot().revision;
  await storeParameters(gw.dataDir, { smtpd_relay_restrictions: '', smtpd_recipient_restrictions: 'permit_mynetworks' });
  const r = await gw.gateway.reload();
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /specify at least one working instance of/);
  assert.equal(gw.gateway.snapshot().revision, before);
  assert.ok(gw.logLines().some((l) => l.startsWith(`warning: reload refused, keeping configuration revision ${before}: `)));
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('EHLO client.example.org');
  await c.command('MAIL FROM:<a@example.org>');
  const relay = await c.command('RCPT TO:<x@elsewhere.example>');
  assert.deepEqual([relay.code, relay.enh], [454, '4.7.1'], 'still no open relay');
  c.close();
});

test('reloading again and again while 50 clients send mail drops none of them', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  let stop = false;
  let reloads = 0;
  const reloader = (async () => {
    for (let i = 0; !stop; i++) {
      await storeParameters(gw.dataDir, { smtpd_banner: `$myhostname ESMTP round ${i}` });
      await gw.gateway.reload();
      reloads++;
      // Prisma over better-sqlite3 settles in microtasks: yield so the sessions can run.
      await sleep(20);
    }
  })();
  // Dropped sessions are the failure; slow replies on a loaded machine are not.
  const REPLY_WAIT_MS = 30_000;
  const send = async (n: number) => {
    const c = await SmtpClient.connect(gw.port);
    assert.equal((await c.read(REPLY_WAIT_MS))!.code, 220);
    await c.command('EHLO client.example.org', REPLY_WAIT_MS);
    for (let m = 0; m < 3; m++) {
      assert.equal((await c.command('MAIL FROM:<a@example.org>', REPLY_WAIT_MS)).code, 250);
      assert.equal((await c.command(`RCPT TO:<b${n}@example.net>`, REPLY_WAIT_MS)).code, 250);
      assert.equal((await c.command('DATA', REPLY_WAIT_MS)).code, 354);
      assert.equal((await c.command(dataWire(`Subject: ${n}/${m}\n\nbody\n`).replace(/\r\n$/, ''), REPLY_WAIT_MS)).code, 250);
    }
    assert.equal((await c.command('QUIT', REPLY_WAIT_MS)).code, 221);
  };
  try {
    await Promise.all(Array.from({ length: 50 }, (_, n) => send(n)));
  } finally {
    stop = true;
    await reloader;
  }
  assert.ok(reloads >= 2, `reloads: ${reloads}`);
  assert.equal(gw.queueFiles('incoming').length, 150);
});
