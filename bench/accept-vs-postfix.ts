/**
 * Accept throughput side by side with Postfix: Postfix's own load generator smtp-source drives
 * a private Postfix 3.7 instance and a Portcullis gateway, in alternation within one run, with
 * the same realistic policy (bench/support/bench-policy.ts), both relaying to their own
 * smtp-sink on loopback. For 1, 20 and 100 concurrent sessions, 4 KB and 100 KB messages and 1
 * and 10 recipients it prints messages per second (wall time of smtp-source, median of RUNS),
 * the drain-inclusive rate (until the queue is empty), the PSS of each server's process tree
 * (the larger of before a run and after its queue drained: smtp-source runs synchronously, so
 * nothing samples during a run, and sampling Postfix's hundreds of processes would take CPU
 * from the run being measured), and the ratio Portcullis / Postfix. Both servers fsync each
 * message before their 250.
 * Before the first cell each server takes WARMUP messages unmeasured, as a server that has been
 * up a while has its processes started (Postfix) and its code compiled (Node).
 * Run: npm run bench -- accept-vs-postfix   (env: RUNS=3, MESSAGES_4K=2000, MESSAGES_100K=400,
 *      SESSIONS=1,20,100, SIZES=4096,102400, RCPTS=1,10, WARMUP=3000, RESULTS=file.jsonl)
 * Needs root and Debian's postfix package (installed on the spot when apt-get is there).
 * Every server binds 127.0.0.1 on a free port and is stopped by its PID at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPolicy } from './support/bench-policy.ts';
import { findPostfixTools, startPostfixInstance, waitForListener } from './support/postfix-instance.ts';
import { sampleTreeMemory } from './support/process-memory.ts';

const BIN = fileURLToPath(new URL('../bin/portcullis.js', import.meta.url));
const list = (v: string | undefined, d: string) => (v ?? d).split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 3);
const SESSIONS = list(process.env.SESSIONS, '1,20,100');
const SIZES = list(process.env.SIZES, '4096,102400');
const RCPTS = list(process.env.RCPTS, '1,10');
const MESSAGES = (size: number) => Number(size > 10_000 ? process.env.MESSAGES_100K ?? 400 : process.env.MESSAGES_4K ?? 2000);
// V8 has not finished optimizing the per-message code after 500 messages: measured then, the
// single-session cell that comes first is a fifth slower than after 3,000.
const WARMUP = Number(process.env.WARMUP ?? 3000);
const MAX_SECONDS = 300;

const tools = findPostfixTools(true);
if (!tools.ok) {
  console.log(`skipped: this benchmark needs Debian's postfix package (missing: ${tools.missing.join(', ')}); as root: apt-get install postfix`);
  process.exit(1);
}
if (process.getuid?.() !== 0) {
  console.log('skipped: a private Postfix instance must be started as root (its daemons drop to the postfix user)');
  process.exit(1);
}

// Held open together until all are known: ports taken one after another can come out the same,
// and then one server finds its port taken and the benchmark measures another.
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const folder = fs.mkdtempSync(path.join(process.env.PORTCULLIS_BENCH_DIR ?? os.tmpdir(), 'portcullis-vs-postfix-'));
const children: ChildProcess[] = [];
const stopAll: Array<() => void> = [];

function startSink(port: number): ChildProcess {
  const sink = spawn(tools.ok ? tools.smtpSink : '', ['-u', 'postfix', `127.0.0.1:${port}`, '1000'], { stdio: 'ignore' });
  children.push(sink);
  return sink;
}

function countQueued(queue: string): number {
  let n = 0;
  for (const d of ['incoming', 'active', 'deferred']) {
    try {
      n += fs.readdirSync(path.join(queue, d)).length;
    } catch {
      // not made yet
    }
  }
  return n;
}

async function waitDrained(queued: () => number): Promise<void> {
  for (let i = 0; i < MAX_SECONDS * 20 && queued() > 0; i++) await new Promise((r) => setTimeout(r, 50));
}

try {
  const policy = benchPolicy();
  const [postfixPort, postfixSink, portcullisPort, portcullisSink] = await freePorts(4);
  startSink(postfixSink);
  startSink(portcullisSink);
  await waitForListener(postfixSink);
  await waitForListener(portcullisSink);

  const postfix = await startPostfixInstance(tools, { folder: path.join(folder, 'postfix'), port: postfixPort, relayPort: postfixSink, ...policy });
  stopAll.push(() => postfix.stop());

  // The same main.cf and tables go into Portcullis through `portcullis import`, as an
  // administrator moving from Postfix would do it.
  const etc = path.join(folder, 'portcullis-etc');
  fs.mkdirSync(etc, { recursive: true });
  for (const [name, source] of Object.entries(policy.tables)) fs.writeFileSync(path.join(etc, name), source);
  fs.writeFileSync(path.join(etc, 'main.cf'), [
    'myhostname = mx.bench.test', 'mydomain = bench.test', 'mydestination = $myhostname, localhost', 'mynetworks = 127.0.0.0/8',
    'smtpd_peername_lookup = no', `relayhost = [127.0.0.1]:${portcullisSink}`, policy.mainCf, '',
  ].join('\n'));
  const dataDir = path.join(folder, 'portcullis-data');
  const env = { ...process.env, PORTCULLIS_DATA: dataDir };
  const imported = spawnSync(process.execPath, [BIN, 'import', '--replace', path.join(etc, 'main.cf')], { env, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`portcullis import failed: ${imported.stderr}`);
  const gateway = spawn(process.execPath, [BIN, 'start', '--quiet', '--no-console', '--smtp', `127.0.0.1:${portcullisPort}`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(gateway);
  await waitForListener(portcullisPort);
  // A listener there that is not the gateway would be measured in its place.
  const gatewayUp = () => {
    if (gateway.exitCode !== null || gateway.signalCode !== null) throw new Error(`the Portcullis gateway exited (${gateway.signalCode ?? gateway.exitCode})`);
  };
  gatewayUp();
  const portcullisQueue = path.join(dataDir, 'queue');

  const targets = [
    { name: 'postfix', port: postfixPort, pid: postfix.masterPid, queued: () => postfix.queued() },
    { name: 'portcullis', port: portcullisPort, pid: gateway.pid!, queued: () => countQueued(portcullisQueue) },
  ];
  console.log(`Postfix 3.7 (${postfix.configDirectory}) on 127.0.0.1:${postfixPort}, Portcullis on 127.0.0.1:${portcullisPort}; ${RUNS} runs per cell, alternating`);
  console.log('sessions  size  rcpts | postfix msg/s  e2e   PSS MiB | portcullis msg/s  e2e   PSS MiB | ratio');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const t of targets) {
    if (WARMUP <= 0) break;
    const r = spawnSync('timeout', [String(MAX_SECONDS), tools.smtpSource, '-s', '10', '-m', String(WARMUP), '-l', '4096',
      '-f', 'sender@example.com', '-t', 'rcpt@example.net', '-M', 'bench.example.com', `127.0.0.1:${t.port}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`warm-up of ${t.name} failed (${r.status}): ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
    await waitDrained(t.queued);
  }
  for (const size of SIZES) {
    for (const rcpts of RCPTS) {
      for (const sessions of SESSIONS) {
        const messages = MESSAGES(size);
        const figures = new Map<string, { rate: number[]; e2e: number[]; pss: number[] }>(targets.map((t) => [t.name, { rate: [], e2e: [], pss: [] }]));
        for (let run = 0; run < RUNS; run++) {
          for (const t of targets) {
            gatewayUp();
            const memory = sampleTreeMemory([t.pid]);
            const t0 = performance.now();
            const r = spawnSync('timeout', [String(MAX_SECONDS), tools.smtpSource, '-s', String(sessions), '-m', String(messages), '-l', String(size),
              '-r', String(rcpts), '-f', 'sender@example.com', '-t', 'rcpt@example.net', '-M', 'bench.example.com', `127.0.0.1:${t.port}`], { encoding: 'utf8' });
            const t1 = performance.now();
            await waitDrained(t.queued);
            const t2 = performance.now();
            const mem = memory.stop();
            if (r.status !== 0) throw new Error(`smtp-source against ${t.name} failed (${r.status}): ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
            const f = figures.get(t.name)!;
            f.rate.push(messages / ((t1 - t0) / 1000));
            f.e2e.push(messages / ((t2 - t0) / 1000));
            f.pss.push(mem.pssMiB);
            if (process.env.RESULTS) {
              fs.appendFileSync(process.env.RESULTS, JSON.stringify({ target: t.name, sessions, size, rcpts, run, messages, seconds: (t1 - t0) / 1000, drainSeconds: (t2 - t0) / 1000, pssMiB: mem.pssMiB, rssMiB: mem.rssMiB, processes: mem.processes }) + '\n');
            }
          }
        }
        const p = figures.get('postfix')!;
        const q = figures.get('portcullis')!;
        const cell = (f: { rate: number[]; e2e: number[]; pss: number[] }) => `${median(f.rate).toFixed(0).padStart(13)} ${median(f.e2e).toFixed(0).padStart(5)} ${median(f.pss).toFixed(0).padStart(9)}`;
        console.log(`${String(sessions).padStart(8)} ${String(size >= 1024 ? `${size / 1024}K` : size).padStart(5)} ${String(rcpts).padStart(6)} |${cell(p)} |   ${cell(q)} | ${(median(q.rate) / median(p.rate)).toFixed(2).padStart(5)}`);
      }
    }
  }
} finally {
  for (const stop of stopAll) stop();
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('close', r)) : null)));
  fs.rmSync(folder, { recursive: true, force: true });
}
