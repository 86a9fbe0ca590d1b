/**
 * `npm start`'s servers for browser tests: the real `portcullis start` as a child process (the
 * gateway on 127.0.0.1 port 0 and the console on another free loopback port)
 * over a fresh data folder with the test baseline parameters, the loopback DNS server, and
 * two accounts (admin and auditor) made with the same functions `portcullis user add` uses.
 * Stopped by its own PID (SIGTERM, then SIGKILL), bounded in time.
 * Exports startConsoleStack, ConsoleStack, ADMIN, AUDITOR.
 * The console build must be current before the first test starts (scripts/test.mjs sees to it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../server/db/migrate.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { databasePath } from '../../server/db/data-dir.ts';
import { setParameters } from '../../server/config/parameter-store.ts';
import { addConsoleUser } from '../../server/accounts/console-users.ts';
import type { TableKind } from '../../server/maps/table-store.ts';
import { startDnsServer, type DnsServer } from './dns-server.ts';
import { TEST_BASELINE, ZONE, storeTestTables } from './gateway.ts';
import { BIN } from './cli.ts';

export const ADMIN = { name: 'admin', password: 'admin-password-1' } as const;
export const AUDITOR = { name: 'auditor', password: 'auditor-password-1' } as const;

const START_TIMEOUT_MS = 90_000;

export interface ConsoleStack {
  dataDir: string;
  consoleUrl: string;          // http://127.0.0.1:PORT
  smtpPort: number;
  setupUrl: string | null;     // printed when no account exists
  dns: DnsServer;
  pid: number;
  output(): string;            // everything the process printed so far
  url(pathname: string): string;
  stop(): Promise<void>;
}

/** startConsoleStack - gateway and console up; accounts unless `accounts: false`. */
export async function startConsoleStack(options: {
  parameters?: Record<string, string>;
  tables?: Record<string, { kind: TableKind; source: string }>;
  accounts?: boolean;
} = {}): Promise<ConsoleStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-e2e-'));
  const dns = await startDnsServer({ zone: ZONE });
  applyMigrations(databasePath(dataDir));
  const prisma = createPrismaClient(dataDir);
  try {
    const r = await setParameters(prisma, { ...TEST_BASELINE, dns_resolvers: dns.server, dns_timeout: '1s', ...options.parameters }, 'test');
    if (!r.ok) throw new Error(`test parameters refused: ${JSON.stringify(r)}`);
    if (options.accounts !== false) {
      for (const [who, role] of [[ADMIN, 'admin'], [AUDITOR, 'auditor']] as const) {
        const added = await addConsoleUser(prisma, { name: who.name, role, password: who.password });
        if (!added.ok) throw new Error(added.error);
      }
    }
  } finally {
    await prisma.$disconnect();
  }
  if (options.tables) storeTestTables(dataDir, options.tables);

  const child = spawn(process.execPath, [BIN, 'start', '--smtp', '127.0.0.1:0', '--console', '127.0.0.1:0', '--quiet'], {
    env: { ...process.env, PORTCULLIS_DATA: dataDir, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const ready = await waitForReady(child, () => out);
  if (!ready) {
    await kill(child);
    await dns.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`portcullis start did not come up:\n${out}`);
  }
  const consoleUrl = /console\s+(http:\/\/\S+)/.exec(out)![1];
  const smtpPort = Number(/SMTP\s+127\.0\.0\.1:(\d+)/.exec(out)![1]);
  return {
    dataDir,
    consoleUrl,
    smtpPort,
    setupUrl: /(http:\/\/\S+\/setup\?token=\S+)/.exec(out)?.[1] ?? null,
    dns,
    pid: child.pid!,
    output: () => out,
    url: (pathname) => new URL(pathname, consoleUrl).href,
    async stop() {
      await kill(child);
      await dns.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForReady(child: ChildProcess, output: () => string): Promise<boolean> {
  return new Promise((resolve) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const check = () => {
      if (output().includes('Stop with Ctrl-C.')) return resolve(true);
      if (child.exitCode !== null || Date.now() > deadline) return resolve(false);
      setTimeout(check, 50);
    };
    check();
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    child.kill('SIGTERM');
  });
}
