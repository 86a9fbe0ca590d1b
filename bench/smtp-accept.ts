/**
 * Accept throughput: N concurrent SMTP sessions each sending messages of SIZE bytes to a
 * gateway run as its own process (`portcullis start`, default policy, no DNS lookups), for a
 * fixed time; prints messages per second and the latency of the final-dot reply (the fsync).
 * Run: node --import tsx bench/smtp-accept.ts [sessions=1,20,100] [size=4096] [seconds=5]
 * The gateway binds 127.0.0.1 on a free port and is stopped by its PID at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SmtpClient, dataWire } from '../test/support/smtp-client.ts';

const sessionCounts = (process.argv[2] ?? '1,20,100').split(',').map(Number);
const size = Number(process.argv[3] ?? 4096);
const seconds = Number(process.argv[4] ?? 5);
const BIN = fileURLToPath(new URL('../bin/portcullis.js', import.meta.url));

const dataDir = fs.mkdtempSync(path.join(process.env.PORTCULLIS_BENCH_DIR ?? os.tmpdir(), 'portcullis-bench-'));
const env = { ...process.env, PORTCULLIS_DATA: dataDir };
spawnSync(process.execPath, [BIN, 'postconf', '-e', 'smtpd_peername_lookup=no', 'myhostname=mx.bench.test'], { env, stdio: 'inherit' });
const port = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const gateway = spawn(process.execPath, [BIN, 'start', '--quiet', '--no-console', '--smtp', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let banner = '';
gateway.stdout!.on('data', (d) => (banner += d));
for (let i = 0; i < 200 && !banner.includes('SMTP'); i++) await new Promise((r) => setTimeout(r, 50));

const body = 'Subject: bench\n\n' + 'x'.repeat(76).concat('\n').repeat(Math.max(1, Math.floor(size / 78)));
const wire = dataWire(body).replace(/\r\n$/, '');

async function sessionLoop(deadline: number, latencies: number[]): Promise<number> {
  const c = await SmtpClient.connect(port);
  await c.read();
  await c.command('EHLO bench.example');
  let sent = 0;
  while (Date.now() < deadline) {
    await c.command('MAIL FROM:<bench@example.org>');
    await c.command('RCPT TO:<sink@example.com>');
    await c.command('DATA');
    const t0 = performance.now();
    const r = await c.command(wire, 30_000);
    latencies.push(performance.now() - t0);
    if (r.code !== 250) throw new Error(`message refused: ${r.code} ${r.text}`);
    sent++;
  }
  await c.command('QUIT');
  c.close();
  return sent;
}

try {
  console.log(`message size ${size} bytes, ${seconds} s per run, queue on ${dataDir}`);
  console.log('sessions  msgs/s   p50 ms   p99 ms');
  for (const n of sessionCounts) {
    const latencies: number[] = [];
    const started = Date.now();
    const counts = await Promise.all(Array.from({ length: n }, () => sessionLoop(started + seconds * 1000, latencies)));
    const elapsed = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    const total = counts.reduce((a, b) => a + b, 0);
    console.log(`${String(n).padStart(8)} ${(total / elapsed).toFixed(0).padStart(8)} ${q(0.5).padStart(8)} ${q(0.99).padStart(8)}`);
  }
} finally {
  process.kill(gateway.pid!, 'SIGTERM');
  await new Promise((r) => gateway.once('close', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
