/**
 * Delivery throughput: MESSAGES queue files are put into incoming/ through the queue's own
 * write path while no gateway runs, then a gateway starts with relayhost pointing at an SMTP
 * sink on loopback, and the benchmark times how long its queue manager takes to relay them all
 * (messages per second) and how many SMTP connections the sink saw (connection reuse: far fewer
 * connections than messages), counted by a TCP relay in front of the tests' SMTP sink.
 * Run: npm run bench -- delivery-relay   (env: MESSAGES=3000, SIZE=4096, RCPTS=1, CACHE=yes: the value of
 * smtp_connection_cache_on_demand, so `CACHE=no` measures one connection per message)
 * The gateway and the sink bind 127.0.0.1 on free ports and are stopped by their PIDs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openQueue } from '../server/queue/index.ts';
import { startSmtpSink } from '../test/support/smtp-sink.ts';
import { waitForListener } from './support/postfix-instance.ts';

const BIN = fileURLToPath(new URL('../bin/portcullis.js', import.meta.url));
const MESSAGES = Number(process.env.MESSAGES ?? 3000);
const SIZE = Number(process.env.SIZE ?? 4096);
const RCPTS = Number(process.env.RCPTS ?? 1);
const CACHE = process.env.CACHE ?? 'yes';

const sink = await startSmtpSink();
let connections = 0;
const counter = net.createServer((client) => {
  connections++;
  const upstream = net.connect(sink.port, '127.0.0.1');
  client.pipe(upstream).pipe(client);
  const end = () => (client.destroy(), upstream.destroy());
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
});
await new Promise<void>((r) => counter.listen(0, '127.0.0.1', r));
const relayPort = (counter.address() as net.AddressInfo).port;

const dataDir = fs.mkdtempSync(path.join(process.env.PORTCULLIS_BENCH_DIR ?? os.tmpdir(), 'portcullis-delivery-'));
const env = { ...process.env, PORTCULLIS_DATA: dataDir };
const port = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});

try {
  const queue = await openQueue(path.join(dataDir, 'queue'));
  const body = Buffer.from('From: bench@example.org\r\nSubject: delivery bench\r\n\r\n' + `${'x'.repeat(76)}\r\n`.repeat(Math.max(1, Math.floor(SIZE / 78))));
  for (let i = 0; i < MESSAGES; i++) {
    const id = queue.createQueueId();
    const w = await queue.createQueueFile(id);
    await w.writeContent(body);
    await w.commit({
      queueId: id, arrivalTime: Date.now(), sender: 'bench@example.org',
      recipients: Array.from({ length: RCPTS }, (_, r) => ({ address: `rcpt${r}@example.net` })),
      dsn: {}, client: { name: 'localhost', address: '127.0.0.1', helo: 'bench.example', protocol: 'ESMTP' }, attributes: {},
    });
  }
  const set = spawn(process.execPath, [BIN, 'postconf', '-e', `relayhost=[127.0.0.1]:${relayPort}`, 'smtpd_peername_lookup=no', `smtp_connection_cache_on_demand=${CACHE}`], { env, stdio: 'inherit' });
  await new Promise((r) => set.once('close', r));
  const t0 = performance.now();
  const gateway = spawn(process.execPath, [BIN, 'start', '--quiet', '--no-console', '--smtp', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForListener(port);
    await sink.waitFor(MESSAGES, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`${MESSAGES} messages of ${SIZE} bytes, ${RCPTS} recipient(s) each, relayed in ${seconds.toFixed(1)} s (gateway start included): ` +
      `${(MESSAGES / seconds).toFixed(0)} messages per second over ${connections} SMTP connections (smtp_connection_cache_on_demand=${CACHE})`);
  } finally {
    process.kill(gateway.pid!, 'SIGTERM');
    await new Promise((r) => gateway.once('close', r));
  }
} finally {
  counter.close();
  await sink.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
