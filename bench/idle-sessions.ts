/**
 * Scale of one gateway process: memory with 10,000 concurrent idle SMTP sessions (each has had
 * its banner and EHLO reply and then says nothing), while a normal client keeps sending mail:
 * prints the gateway's RSS and PSS at each step and the normal client's banner and transaction
 * times meanwhile. Postfix serves 100 sessions at once by default (default_process_limit), one
 * process each.
 * Run: npm run bench -- idle-sessions   (env: IDLE=10000, STEP=2500)
 * The gateway runs as its own process on 127.0.0.1 (a free port) and is stopped by its PID;
 * the idle sessions are this process's sockets, closed at the end.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SmtpClient, dataWire } from '../test/support/smtp-client.ts';
import { readTreeMemory } from './support/process-memory.ts';
import { waitForListener } from './support/postfix-instance.ts';

const BIN = fileURLToPath(new URL('../bin/portcullis.js', import.meta.url));
const IDLE = Number(process.env.IDLE ?? 10_000);
const STEP = Number(process.env.STEP ?? 2_500);

const port = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const dataDir = fs.mkdtempSync(path.join(process.env.PORTCULLIS_BENCH_DIR ?? os.tmpdir(), 'portcullis-idle-'));
const env = { ...process.env, PORTCULLIS_DATA: dataDir };
const gateway = spawn(process.execPath, [BIN, 'start', '--quiet', '--no-console', '--smtp', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const idle: net.Socket[] = [];

// One idle session: connect, read the banner, EHLO, read its reply, then nothing.
function openIdle(): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let seen = '';
    let ehloSent = false;
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      seen += d;
      if (!ehloSent && seen.includes('\r\n')) {
        ehloSent = true;
        seen = '';
        s.write('EHLO idle.example\r\n');
      } else if (ehloSent && /^250 /m.test(seen)) {
        s.removeAllListeners('data');
        resolve();
      }
    });
    s.on('error', reject);
    idle.push(s);
  });
}

// A normal client's full transaction while the idle ones wait: banner time and total time.
async function normalTransaction(): Promise<{ bannerMs: number; totalMs: number }> {
  const t0 = performance.now();
  const c = await SmtpClient.connect(port);
  await c.read();
  const bannerMs = performance.now() - t0;
  await c.command('EHLO normal.example');
  await c.command('MAIL FROM:<normal@example.org>');
  await c.command('RCPT TO:<postmaster>');
  await c.command('DATA');
  const r = await c.command(dataWire('Subject: normal\n\nhello\n').replace(/\r\n$/, ''));
  if (r.code !== 250) throw new Error(`normal client refused: ${r.code} ${r.text}`);
  await c.command('QUIT');
  c.close();
  return { bannerMs, totalMs: performance.now() - t0 };
}

try {
  await waitForListener(port);
  console.log(`gateway pid ${gateway.pid} on 127.0.0.1:${port}; up to ${IDLE} idle sessions`);
  console.log('  idle   RSS MiB   PSS MiB   KiB/session   normal client: banner ms  transaction ms');
  const base = readTreeMemory(gateway.pid!);
  for (let n = 0; n <= IDLE; n += STEP) {
    while (idle.length < n) {
      const batch = Math.min(500, n - idle.length);
      await Promise.all(Array.from({ length: batch }, openIdle));
    }
    await new Promise((r) => setTimeout(r, 500));
    const m = readTreeMemory(gateway.pid!);
    const t = await normalTransaction();
    const per = n ? ((m.rssMiB - base.rssMiB) * 1024) / n : 0;
    console.log(`${String(n).padStart(6)} ${m.rssMiB.toFixed(0).padStart(9)} ${m.pssMiB.toFixed(0).padStart(9)} ${per.toFixed(1).padStart(13)} ${t.bannerMs.toFixed(1).padStart(24)} ${t.totalMs.toFixed(1).padStart(15)}`);
  }
} finally {
  for (const s of idle) s.destroy();
  process.kill(gateway.pid!, 'SIGTERM');
  await new Promise((r) => gateway.once('close', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
