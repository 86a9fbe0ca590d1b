/**
 * The two ways to run the gateway, as processes: `portcullis start` (what `npm start` runs)
 * listens, prints where, queues a message sent to it, and stops on SIGTERM by its PID;
 * `portcullis smtpd --stdin` speaks SMTP on standard input and output and queues the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startDnsServer } from '../support/dns-server.ts';
import { ZONE } from '../support/gateway.ts';
import { BIN, runPortcullis } from '../support/cli.ts';


const run = runPortcullis;

test('portcullis start listens where --smtp says, queues mail, logs to data/log/maillog, stops on SIGTERM', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-start-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  // Client name lookups go to a loopback DNS server, never to the system's resolver.
  const dns = await startDnsServer({ zone: ZONE });
  t.after(() => dns.stop());
  const set = await run(['postconf', '-e', `dns_resolvers=${dns.server}`], { PORTCULLIS_DATA: dataDir });
  assert.equal(set.code, 0, set.stderr);
  // Port 0 would not be known to the test; pick a free one by binding and releasing it.
  const port = await freePort();
  const p = spawn(process.execPath, [BIN, 'start', '--no-console', '--smtp', `127.0.0.1:${port}`], { env: { ...process.env, PORTCULLIS_DATA: dataDir } });
  t.after(() => { if (p.exitCode === null) process.kill(p.pid!, 'SIGKILL'); });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  for (let i = 0; i < 300 && !out.includes('SMTP'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(out, new RegExp(`SMTP\\s+127\\.0\\.0\\.1:${port}`), out);
  const c = await SmtpClient.connect(port);
  assert.equal((await c.read())!.code, 220);
  await c.command('EHLO client.example.org');
  await c.command('MAIL FROM:<a@example.org>');
  assert.equal((await c.command('RCPT TO:<postmaster>')).code, 250);
  await c.command('DATA');
  const r = await c.command(dataWire('Subject: via start\n\nhello\n').replace(/\r\n$/, ''));
  assert.equal(r.code, 250);
  const id = r.text.split(' ').pop()!;
  // Queued: the queue manager may already have taken it on from incoming/.
  assert.ok(['incoming', 'active', 'deferred'].some((state) => fs.existsSync(path.join(dataDir, 'queue', state, id))));
  c.close();
  const status = await run(['status'], { PORTCULLIS_DATA: dataDir });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`the gateway is running: configuration revision \\d+ .*listening on 127\\.0\\.0\\.1:${port}`));
  process.kill(p.pid!, 'SIGTERM');
  const code = await new Promise((resolve) => p.on('close', resolve));
  assert.equal(code, 0);
  const maillog = fs.readFileSync(path.join(dataDir, 'log', 'maillog'), 'utf8');
  assert.match(maillog, new RegExp(`postfix/smtpd\\[${p.pid}\\]: ${id}: client=localhost\\[127\\.0\\.0\\.1\\]`));
  assert.ok(fs.existsSync(path.join(dataDir, 'portcullis.db')), 'migrations created the database');
});

test('portcullis start refuses a malformed --smtp address with a clear message', async () => {
  const r = await run(['start', '--smtp', 'localhost'], { PORTCULLIS_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-bad-')) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--smtp: bad listen address "localhost": expected HOST:PORT/);
});

test('portcullis smtpd --stdin speaks SMTP on standard input and output and queues the message', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-stdin-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const input = ['EHLO local.example', 'MAIL FROM:<me@example.org>', 'RCPT TO:<you@example.net>', 'DATA', dataWire('Subject: stdin\n\nbody\n').replace(/\r\n$/, ''), 'ETRN example.net', 'QUIT', ''].join('\r\n');
  const r = await run(['smtpd', '--stdin'], { PORTCULLIS_DATA: dataDir }, input);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\r\n');
  assert.match(lines[0], /^220 .* ESMTP Postfix$/);
  assert.ok(lines.some((l) => l === '250 2.1.5 Ok'));
  const queued = lines.find((l) => l.startsWith('250 2.0.0 Ok: queued as '));
  assert.ok(queued, r.stdout);
  assert.ok(lines.includes('458 Unable to queue messages'), 'no ETRN in standalone mode');
  assert.ok(lines.includes('221 2.0.0 Bye'));
  const id = queued.split(' ').pop()!;
  // Queued: the queue manager may already have taken it on from incoming/.
  assert.ok(['incoming', 'active', 'deferred'].some((state) => fs.existsSync(path.join(dataDir, 'queue', state, id))));
});

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('portcullis status and reload say so when no gateway runs on the data folder', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-nogw-'));
  const r = await run(['reload'], { PORTCULLIS_DATA: dataDir });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'portcullis: fatal: reload: the gateway is not running\n');
  fs.rmSync(dataDir, { recursive: true, force: true });
});
