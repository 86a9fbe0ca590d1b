/**
 * DATA through real sockets to a real gateway: what a 250 promises (a durable queue file with
 * Postfix's Received: header), and what every refused or broken message leaves (nothing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readQueueFile, queueFilePath } from '../../server/queue/index.ts';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

async function session(gw: TestGateway, from = 'a@example.org', rcpts = ['b@example.net']): Promise<SmtpClient> {
  const c = await SmtpClient.connect(gw.port);
  assert.equal((await c.read())!.code, 220);
  assert.equal((await c.command('EHLO client.example.org')).code, 250);
  assert.equal((await c.command(`MAIL FROM:<${from}>`)).code, 250);
  for (const r of rcpts) assert.equal((await c.command(`RCPT TO:<${r}>`)).code, 250);
  assert.equal((await c.command('DATA')).code, 354);
  return c;
}

const MESSAGE = 'From: a@example.org\nTo: b@example.net\nSubject: hello\nMessage-ID: <m1@example.org>\n\nline one\n.leading dot\n..two dots\n';

test('an accepted message is answered 250 Ok: queued as ID and its queue file holds envelope and content', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await session(gw);
  const r = await c.command(dataWire(MESSAGE).replace(/\r\n$/, ''));
  assert.equal(r.code, 250);
  assert.equal(r.enh, '2.0.0');
  const m = /^Ok: queued as ([0-9A-F]+)$/.exec(r.text);
  assert.ok(m, r.text);
  const id = m[1];
  assert.deepEqual(gw.queueFiles('incoming'), [id]);
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  assert.ok(file.ok);
  assert.equal(file.envelope.sender, 'a@example.org');
  assert.deepEqual(file.envelope.recipients.map((x) => x.address), ['b@example.net']);
  const text = file.content.toString('latin1');
  assert.match(text, new RegExp(`^Received: from client\\.example\\.org \\(localhost \\[127\\.0\\.0\\.1\\]\\)\\r\\n\\tby mx\\.example\\.test \\(Postfix\\) with ESMTP id ${id}\\r\\n\\tfor <b@example\\.net>; [A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} \\(.+\\)\\r\\n`));
  assert.ok(text.endsWith('Subject: hello\r\nMessage-ID: <m1@example.org>\r\n\r\nline one\r\n.leading dot\r\n..two dots\r\n'), 'dot-unstuffed, CRLF lines');
  assert.ok(gw.logLines().includes(`${id}: client=localhost[127.0.0.1]`));
  assert.ok(gw.logLines().includes(`${id}: message-id=<m1@example.org>`));
  assert.equal((await c.command('QUIT')).code, 221);
  await c.waitClosed();
  await sleep(50);
  assert.ok(gw.logLines().some((l) => l === 'disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5'), gw.logLines().join('\n'));
});

test('with several recipients the Received: header has no for clause', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await session(gw, '', ['b@example.net', 'c@example.net']);
  const r = await c.command(dataWire('Subject: x\n\nbody\n').replace(/\r\n$/, ''));
  assert.equal(r.code, 250);
  const id = r.text.split(' ').pop()!;
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  assert.ok(file.ok);
  assert.equal(file.envelope.sender, '');
  assert.match(file.content.toString('latin1'), new RegExp(`with ESMTP id ${id};\\r\\n\\t[A-Z][a-z]{2}, `));
  c.close();
});

test('a message cut off in the middle of DATA leaves no queue file anywhere', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await session(gw);
  c.write('Subject: cut\r\n\r\n' + 'x'.repeat(200_000) + '\r\nmore\r\n');
  await sleep(200);
  c.close();
  for (let i = 0; i < 50 && !gw.logLines().some((l) => l.startsWith('disconnect from')); i++) await sleep(20);
  assert.ok(gw.logLines().some((l) => /^lost connection after DATA \(\d+ bytes\) from localhost\[127\.0\.0\.1\]$/.test(l)), gw.logLines().join('\n'));
  for (const state of ['incoming', 'active', 'deferred', 'hold', 'corrupt', 'tmp']) assert.deepEqual(gw.queueFiles(state), [], state);
});

test('a message over message_size_limit is read to the end and refused with 552 5.3.4, nothing queued', async (t) => {
  const gw = await startTestGateway({ message_size_limit: '2000' });
  t.after(() => gw.stop());
  const c = await session(gw);
  const r = await c.command(dataWire('Subject: big\n\n' + 'y'.repeat(76).concat('\n').repeat(40)).replace(/\r\n$/, ''));
  assert.deepEqual([r.code, r.enh, r.text], [552, '5.3.4', 'Error: message file too big']);
  assert.equal((await c.command('NOOP')).code, 250, 'the session goes on');
  assert.deepEqual(gw.queueFiles('incoming'), []);
  assert.deepEqual(gw.queueFiles('tmp'), []);
  c.close();
});

test('hopcount_limit counts Received: and Delivered-To: plus our own header: 554 5.4.0 Error: too many hops', async (t) => {
  const gw = await startTestGateway({ hopcount_limit: '5' });
  t.after(() => gw.stop());
  const hops = (n: number) => Array.from({ length: n }, (_, i) => `Received: from h${i}.example by h${i + 1}.example; Mon, 01 Jan 2024 00:00:00 +0000\n`).join('');
  let c = await session(gw);
  let r = await c.command(dataWire(hops(4) + 'Subject: loop\n\nbody\n').replace(/\r\n$/, ''));
  assert.deepEqual([r.code, r.enh, r.text], [554, '5.4.0', 'Error: too many hops']);
  assert.ok(gw.logLines().some((l) => /^warning: [0-9A-F]+: message rejected: hopcount exceeded$/.test(l)));
  c.close();
  c = await session(gw);
  r = await c.command(dataWire(hops(3) + 'Delivered-To: x@example.net\nSubject: ok\n\nbody\n').replace(/\r\n$/, ''));
  assert.equal(r.code, 554, 'Delivered-To counts too');
  c.close();
  c = await session(gw);
  r = await c.command(dataWire(hops(3) + 'Subject: fine\n\nbody\n').replace(/\r\n$/, ''));
  assert.equal(r.code, 250);
  c.close();
});

test('a 150 KB message sent in one write, headers and body together, is queued byte for byte', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await session(gw);
  const lines = Array.from({ length: 2000 }, (_, i) => (i % 97 === 0 ? `.line ${i} with a leading dot` : `line ${i} ${'x'.repeat(64)}`));
  const message = `From: a@example.org\nSubject: large\n\n${lines.join('\n')}\n`;
  const r = await c.command(dataWire(message).replace(/\r\n$/, ''));
  assert.equal(r.code, 250);
  const id = r.text.split(' ').pop()!;
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  assert.ok(file.ok);
  assert.ok(file.content.toString('latin1').endsWith(message.replace(/\n/g, '\r\n')), 'dot-unstuffed, CRLF lines, nothing lost or moved');
  c.close();
});

test('a 5000-character body line is accepted and kept whole', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await session(gw);
  const long = 'z'.repeat(5000);
  const r = await c.command(dataWire(`Subject: long\n\n${long}\n`).replace(/\r\n$/, ''));
  assert.equal(r.code, 250);
  const id = r.text.split(' ').pop()!;
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  assert.ok(file.ok && file.content.toString('latin1').includes(`\r\n${long}\r\n`));
  c.close();
});

test('bare LF line ends are stored as CRLF; <LF>.<LF> ends the message like Postfix 3.7 so nothing smuggles through', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await session(gw);
  c.write('Subject: lf\n\nfirst\nsecond\r\n.\nMAIL FROM:<smuggled@example.org>\r\n');
  const r = await c.read();
  assert.equal(r!.code, 250);
  const next = await c.read();
  assert.equal(next!.code, 250, 'the smuggled MAIL FROM is an SMTP command, not message content');
  const id = r!.text.split(' ').pop()!;
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  assert.ok(file.ok);
  const body = file.content.toString('latin1');
  assert.ok(body.endsWith('Subject: lf\r\n\r\nfirst\r\nsecond\r\n'));
  assert.ok(!/[^\r]\n/.test(body), 'no bare LF in the queue file');
  c.close();
});

test('smtpd_forbid_bare_newline = reject refuses a message with a bare LF after the dot (550 5.5.2) and a command ending in one', async (t) => {
  const gw = await startTestGateway({ smtpd_forbid_bare_newline: 'reject', smtpd_forbid_bare_newline_exclusions: '' });
  t.after(() => gw.stop());
  const c = await session(gw);
  c.write('Subject: lf\r\n\r\nbare\nline\r\n.\r\n');
  const r = await c.read();
  assert.deepEqual([r!.code, r!.enh, r!.text], [550, '5.5.2', 'mx.example.test Error: bare <LF> received']);
  assert.deepEqual(gw.queueFiles('incoming'), []);
  assert.ok(gw.logLines().some((l) => /^[0-9A-F]+: reject: END-OF-MESSAGE from localhost\[127\.0\.0\.1\]: bare <LF> received; from=<a@example\.org> to=<b@example\.net> proto=ESMTP helo=<client\.example\.org>$/.test(l)), gw.logLines().join('\n'));
  c.write('NOOP\n');
  const r2 = await c.read();
  assert.equal(r2!.code, 550);
  assert.ok(await c.waitClosed(), 'a command with a bare LF ends the session');
  assert.ok(gw.logLines().includes('NOQUEUE: reject: END-OF-MESSAGE from localhost[127.0.0.1]: bare <LF> received; proto=ESMTP helo=<client.example.org>'));
});

test('smtpd_forbid_bare_newline = normalize (or yes): only <CR><LF>.<CR><LF> ends DATA, bare LF lines are kept as lines', async (t) => {
  const gw = await startTestGateway({ smtpd_forbid_bare_newline: 'yes', smtpd_forbid_bare_newline_exclusions: '' });
  t.after(() => gw.stop());
  const c = await session(gw);
  c.write('Subject: lf\r\n\r\nbody\n.\r\nNOOP\r\n.\r\n');
  const r = await c.read();
  assert.equal(r!.code, 250, 'the smuggled end of data and NOOP were content');
  const id = r!.text.split(' ').pop()!;
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  // The lone dot that did not end DATA is content, unstuffed like any line starting with a dot.
  assert.ok(file.ok && file.content.toString('latin1').endsWith('\r\n\r\nbody\r\n\r\nNOOP\r\n'));
  c.write('NOOP\n');
  assert.equal((await c.read())!.code, 250, 'commands may end in a bare LF');
  c.close();
});

test('clients in smtpd_forbid_bare_newline_exclusions ($mynetworks) keep the lenient handling', async (t) => {
  const gw = await startTestGateway({ smtpd_forbid_bare_newline: 'reject' });
  t.after(() => gw.stop());
  const c = await session(gw);
  c.write('Subject: lf\n\nbody\n.\n');
  assert.equal((await c.read())!.code, 250);
  c.close();
});

test('several sessions finishing DATA at once all get durable files and share directory fsyncs', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const clients = await Promise.all(Array.from({ length: 20 }, () => session(gw)));
  const replies = await Promise.all(clients.map((c, i) => c.command(dataWire(`Subject: n${i}\n\nbody ${i}\n`).replace(/\r\n$/, ''))));
  assert.ok(replies.every((r) => r.code === 250));
  assert.equal(gw.queueFiles('incoming').length, 20);
  assert.ok(gw.gateway.queue.stats.dirSyncs < 20, `dirSyncs ${gw.gateway.queue.stats.dirSyncs}`);
  for (const c of clients) c.close();
});
