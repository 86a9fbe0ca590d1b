/**
 * The test gateway (./gateway.ts) in a process of its own, for tests that must see it survive
 * abuse and measure its memory: a crash ends the child, not the test runner. The parent side,
 * startGatewayProcess, forks this file; run as the child, it starts the gateway with the
 * parameters it was given and answers `memory` (after a full garbage collection), `log`,
 * `connections` (sessions the SMTP front still holds) and `stop` over the IPC channel. The child is bounded: it exits when its parent goes away, and the
 * parent kills it by its PID if it does not stop within 10 s.
 * Exports startGatewayProcess, GatewayProcess, GatewayMemory.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestGateway } from './gateway.ts';

export interface GatewayMemory {
  heapUsed: number;                    // bytes of live JavaScript objects after GC
  rss: number;                         // resident set size of the process
  external: number;                    // Buffers and other memory outside the JS heap
}

export interface GatewayProcess {
  port: number;
  dataDir: string;
  pid: number;
  exitCode(): number | null;           // null while it runs
  signal(): string | null;             // what killed it, if anything did
  memory(): Promise<GatewayMemory>;
  logLines(): Promise<string[]>;       // every maillog line, as TestGateway.logLines gives them
  connections(): Promise<number>;      // sessions in progress
  stop(): Promise<void>;
}

type Request = { id: number; type: 'memory' | 'log' | 'connections' | 'stop' };
type Answer = { id: number; value: unknown };

const SELF = fileURLToPath(import.meta.url);

/** startGatewayProcess - fork a child running a test gateway with these parameters. */
export async function startGatewayProcess(parameters: Record<string, string>): Promise<GatewayProcess> {
  const child = fork(SELF, [JSON.stringify(parameters)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; dataDir: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gateway process did not start within 30 s')), 30_000);
    child.once('message', (m) => { clearTimeout(timer); resolve(m as { port: number; dataDir: string }); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway process exited with ${code} before it listened`)); });
  });
  let next = 0;
  const pending = new Map<number, (v: unknown) => void>();
  child.on('message', (m) => {
    const a = m as Answer;
    pending.get(a.id)?.(a.value);
    pending.delete(a.id);
  });
  child.on('exit', () => { for (const resolve of pending.values()) resolve(null); pending.clear(); });
  const ask = (type: Request['type']) => new Promise<unknown>((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`gateway process is gone (exit ${child.exitCode}, signal ${child.signalCode})`));
    const id = ++next;
    pending.set(id, resolve);
    child.send({ id, type } satisfies Request);
  });
  return {
    port: ready.port,
    dataDir: ready.dataDir,
    pid: child.pid!,
    exitCode: () => child.exitCode,
    signal: () => child.signalCode,
    memory: async () => (await ask('memory')) as GatewayMemory,
    logLines: async () => (await ask('log')) as string[],
    connections: async () => (await ask('connections')) as number,
    stop: () => stopChild(child, ask),
  };
}

async function stopChild(child: ChildProcess, ask: (type: 'stop') => Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => { if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL'); }, 10_000);
  await ask('stop').catch(() => undefined);
  await exited;
  clearTimeout(timer);
}

/** runChild - the child side: start the gateway, report where it listens, answer requests. */
async function runChild(): Promise<void> {
  const gw = await startTestGateway(JSON.parse(process.argv[2] ?? '{}') as Record<string, string>);
  process.on('disconnect', () => { void gw.stop().finally(() => process.exit(0)); });
  process.on('message', (m) => {
    const r = m as Request;
    const answer = (value: unknown) => process.send!({ id: r.id, value } satisfies Answer);
    if (r.type === 'memory') {
      // Two passes: the first may only queue finalizers that free more.
      globalThis.gc?.();
      globalThis.gc?.();
      const { heapUsed, rss, external } = process.memoryUsage();
      answer({ heapUsed, rss, external } satisfies GatewayMemory);
    } else if (r.type === 'log') {
      answer(gw.logLines());
    } else if (r.type === 'connections') {
      answer(gw.gateway.front.connectionCount());
    } else {
      void gw.stop().then(() => { answer(true); process.exit(0); });
    }
  });
  process.send!({ port: gw.port, dataDir: gw.dataDir });
}

if (process.argv[1] === SELF && process.send) await runChild();
