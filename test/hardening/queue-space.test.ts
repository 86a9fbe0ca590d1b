/**
 * A full disk as smtpd sees it: queue_minfree set above the real free space of the queue's file
 * system (statfs, no mocks) answers MAIL FROM with `452 4.3.1 Insufficient system storage` and
 * Postfix 3.7's two log lines, while the message accepted before stays in the queue byte for
 * byte; lowering the parameter again (a live reload) lets mail in at once. The postmaster gets
 * the session's transcript, as notify_classes = resource asks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readQueueFile } from '../../server/queue/index.ts';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startTestGateway, storeParameters, type TestGateway } from '../support/gateway.ts';

async function storeAndReload(gw: TestGateway, values: Record<string, string>): Promise<void> {
  await storeParameters(gw.dataDir, values);
  const reload = await gw.gateway.reload();
  assert.ok(reload.ok, JSON.stringify(reload));
}

// One session: the MAIL reply, and the queue ID when the message went through.
async function send(gw: TestGateway, subject: string): Promise<{ mail: string; id: string | null }> {
  const c = await SmtpClient.connect(gw.port);
  try {
    await c.read();
    await c.command('EHLO client.example.org');
    const mail = await c.command('MAIL FROM:<s@good.test>');
    if (mail.code !== 250) return { mail: `${mail.code} ${mail.enh} ${mail.text}`, id: null };
    assert.equal((await c.command('RCPT TO:<b@example.net>')).code, 250);
    assert.equal((await c.command('DATA')).code, 354);
    c.write(dataWire(`Subject: ${subject}\n\n${'body line\n'.repeat(200)}`));
    const done = await c.read();
    assert.equal(done?.code, 250);
    return { mail: '250', id: /queued as (\w+)/.exec(done!.text)![1] };
  } finally {
    c.close();
  }
}

test('queue_minfree above the free space: 452 4.3.1 at MAIL, the queued message stays intact, and mail flows again once it is lowered', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const queueDir = path.join(gw.dataDir, 'queue');

  const first = await send(gw, 'before the disk filled');
  assert.ok(first.id);
  const before = fs.readFileSync(path.join(queueDir, 'incoming', first.id!));

  const stats = fs.statfsSync(queueDir);
  const free = stats.bavail * stats.bsize;
  await storeAndReload(gw, { queue_minfree: String(free * 2) });
  const refused = await send(gw, 'while the disk is full');
  assert.equal(refused.mail, '452 4.3.1 Insufficient system storage');
  const lines = gw.logLines();
  const reject = lines.findIndex((l) => l === 'NOQUEUE: reject: MAIL from localhost[127.0.0.1]: 452 4.3.1 Insufficient system storage; proto=ESMTP helo=<client.example.org>');
  assert.ok(reject >= 0, lines.join('\n'));
  assert.match(lines[reject + 1], /^warning: not enough free space in mail queue: \d+ bytes < 1\.5\*message size limit$/);

  // Nothing half-written, nothing lost: the accepted file alone, unchanged and readable.
  assert.deepEqual(gw.queueFiles('incoming'), [first.id]);
  assert.deepEqual(fs.readdirSync(path.join(queueDir, 'tmp')), []);
  assert.ok(fs.readFileSync(path.join(queueDir, 'incoming', first.id!)).equals(before));
  const read = await readQueueFile(path.join(queueDir, 'incoming', first.id!));
  assert.ok(read.ok, JSON.stringify(read));
  assert.match(read.ok ? read.content.toString('latin1') : '', /Subject: before the disk filled/);

  await storeAndReload(gw, { queue_minfree: '0' });
  const again = await send(gw, 'after space returned');
  assert.ok(again.id);
  // Besides the two messages, the postmaster's notice of the resource error (notify_classes
  // has `resource` by default), as Postfix sends one.
  const others = () => gw.queueFiles('incoming').filter((id) => id !== first.id && id !== again.id);
  for (let waited = 0; others().length === 0 && waited < 3000; waited += 20) await sleep(20);
  assert.equal(others().length, 1);
  const notice = await readQueueFile(path.join(queueDir, 'incoming', others()[0]));
  assert.ok(notice.ok && notice.envelope.sender === '', JSON.stringify(notice));
  assert.match(notice.ok ? notice.content.toString('latin1') : '', /^Subject: Postfix SMTP server: errors from localhost\[127\.0\.0\.1\]\r$/m);
});

test('message_size_limit more than two thirds of the free space also gives 452 4.3.1, with queue_minfree at 0', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const stats = fs.statfsSync(path.join(gw.dataDir, 'queue'));
  // 1.5 x message_size_limit must fit in the free space (smtpd_check_queue()).
  await storeAndReload(gw, { queue_minfree: '0', message_size_limit: String(Math.ceil((stats.bavail * stats.bsize) / 1.4)) });
  assert.equal((await send(gw, 'too big a promise')).mail, '452 4.3.1 Insufficient system storage');
  await storeAndReload(gw, { message_size_limit: '10240000' });
  assert.ok((await send(gw, 'a promise we can keep')).id);
});
