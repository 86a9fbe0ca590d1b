/**
 * Clients that end their side of the connection early (spec/protocol.md §5, "client
 * disappears"): like Postfix, which meets the end of input only after the commands before it,
 * the gateway answers everything a client sent before it half-closed; a session cut in the
 * middle leaves nothing in the queue, not even in tmp/. Regressions found by the fuzz test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !check() && waited < ms; waited += 20) await sleep(20);
}

/** sendAndHalfClose - one write of everything, then FIN; what the gateway answered until it closed. */
async function sendAndHalfClose(gw: TestGateway, input: string): Promise<string> {
  const s = net.connect({ host: '127.0.0.1', port: gw.port });
  let got = '';
  s.setEncoding('latin1');
  s.on('data', (d: string) => (got += d));
  const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));
  await new Promise((resolve) => s.once('data', resolve));
  s.end(input);
  await Promise.race([closed, sleep(5000)]);
  s.destroy();
  return got;
}

const queueFiles = (gw: TestGateway, state: string) => fs.readdirSync(path.join(gw.dataDir, 'queue', state));

test('a client that pipelines a whole transaction and half-closes gets every reply, and its message is queued', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const rcpts = Array.from({ length: 200 }, (_, i) => `RCPT TO:<r${i}@example.net>\r\n`).join('');
  const got = await sendAndHalfClose(gw, `EHLO client.example.org\r\nMAIL FROM:<a@example.org>\r\n${rcpts}DATA\r\nSubject: piped\r\n\r\nbody\r\n.\r\nQUIT\r\n`);
  const id = /^250 2\.0\.0 Ok: queued as (\w+)\r$/m.exec(got)?.[1];
  assert.ok(id, got.slice(-300));
  assert.equal(got.match(/^250 2\.1\.5 Ok\r$/gm)?.length, 200);
  assert.ok(got.endsWith('221 2.0.0 Bye\r\n'));
  assert.deepEqual(queueFiles(gw, 'incoming'), [id]);
});

test('without QUIT, the end of input after the last command is a lost connection after that command', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const got = await sendAndHalfClose(gw, 'EHLO client.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n');
  assert.ok(got.endsWith('250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n'), got.slice(-100));
  await waitFor(() => gw.logLines().some((l) => l.startsWith('disconnect')));
  assert.ok(gw.logLines().includes('lost connection after RCPT from localhost[127.0.0.1]'), gw.logLines().join('\n'));
  assert.deepEqual([queueFiles(gw, 'incoming'), queueFiles(gw, 'tmp')], [[], []]);
});

test('a half-close in the middle of DATA queues nothing and is a lost connection after DATA (N bytes)', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const got = await sendAndHalfClose(gw, 'EHLO client.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\nSubject: cut\r\n\r\nno end');
  assert.ok(got.endsWith('354 End data with <CR><LF>.<CR><LF>\r\n'), got.slice(-100));
  await waitFor(() => gw.logLines().some((l) => l.startsWith('disconnect')));
  assert.ok(gw.logLines().some((l) => /^lost connection after DATA \(\d+ bytes\) from localhost\[127\.0\.0\.1\]$/.test(l)), gw.logLines().join('\n'));
  assert.deepEqual([queueFiles(gw, 'incoming'), queueFiles(gw, 'tmp')], [[], []]);
});

test('a client that hangs up while its first recipient opens the queue file leaves no file behind', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  for (let i = 0; i < 10; i++) {
    const s = net.connect({ host: '127.0.0.1', port: gw.port });
    s.on('error', () => undefined);
    await new Promise((resolve) => s.once('data', resolve));
    s.write('EHLO client.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n');
    await sleep(i);
    s.destroy();
  }
  await waitFor(() => gw.logLines().filter((l) => l.startsWith('disconnect')).length === 10);
  await sleep(200);
  assert.deepEqual([queueFiles(gw, 'incoming'), queueFiles(gw, 'tmp')], [[], []]);
});
