/**
 * A real gateway for integration tests: a fresh data folder (real SQLite file, real queue),
 * parameters stored through the same store `postconf -e` uses, SMTP on 127.0.0.1 port 0, and a
 * loopback DNS server serving test/fixtures/dns/zone.txt so no lookup ever leaves the machine.
 * Exports startTestGateway; call stop() at the end of the test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../server/db/migrate.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { databasePath } from '../../server/db/data-dir.ts';
import { setParameters } from '../../server/config/parameter-store.ts';
import { startGateway, type Gateway } from '../../server/gateway/start-gateway.ts';
import type { MaillogEvent } from '../../server/log/maillog.ts';
import { startDnsServer, type DnsServer } from './dns-server.ts';
import { openTableStore, splitTableLine, type TableKind } from '../../server/maps/table-store.ts';
import { readPostmapLines } from '../../server/maps/postmap-source.ts';

export const ZONE = fs.readFileSync(new URL('../fixtures/dns/zone.txt', import.meta.url), 'utf8');

export interface TestGateway {
  port: number;
  dataDir: string;
  gateway: Gateway;
  dns: DnsServer;
  events: MaillogEvent[];              // every maillog line, in order
  logLines(): string[];                // their texts
  queueFiles(state?: string): string[];
  stop(): Promise<void>;
}

/** Parameters every test gateway gets unless the test overrides them. */
export const TEST_BASELINE: Record<string, string> = {
  myhostname: 'mx.example.test',
  mydomain: 'example.test',
  myorigin: '$mydomain',
  mynetworks: '127.0.0.0/8',
  smtpd_error_sleep_time: '0s',
};

/** storeParameters - change stored parameters as `postconf -e` does; a refusal throws. */
export async function storeParameters(dataDir: string, values: Record<string, string>): Promise<void> {
  const prisma = createPrismaClient(dataDir);
  try {
    const r = await setParameters(prisma, values, 'test');
    if (!r.ok) throw new Error(`test parameters refused: ${JSON.stringify(r)}`);
  } finally {
    await prisma.$disconnect();
  }
}

/** storeTestTables - tables from postmap source, stored as the console and import store them. */
export function storeTestTables(dataDir: string, tables: Record<string, { kind: TableKind; source: string }>): void {
  const store = openTableStore(dataDir);
  try {
    for (const [name, { kind, source }] of Object.entries(tables)) {
      const { lines } = readPostmapLines(source, name);
      const r = store.replace(name, kind, lines.map((l) => splitTableLine(kind, l.text)), 'test');
      if (!r.ok) throw new Error(`test table ${name} refused: ${r.errors.join('; ')}`);
    }
  } finally {
    store.close();
  }
}

/** startTestGateway - a gateway with these parameters (added to TEST_BASELINE). */
export async function startTestGateway(
  parameters: Record<string, string> = {},
  options: { baseline?: boolean; tables?: Record<string, { kind: TableKind; source: string }>; deliveryThread?: boolean } = {},
): Promise<TestGateway> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-test-'));
  const dns = await startDnsServer({ zone: ZONE });
  applyMigrations(databasePath(dataDir));
  await storeParameters(dataDir, { ...(options.baseline === false ? {} : TEST_BASELINE), dns_resolvers: dns.server, dns_timeout: '1s', ...parameters });
  if (options.tables) storeTestTables(dataDir, options.tables);
  const started = await startGateway({ dataDir, smtp: [{ host: '127.0.0.1', port: 0 }], logToStdout: false, deliveryThread: options.deliveryThread });
  if (!started.ok) {
    await dns.stop();
    throw new Error(started.error);
  }
  const gateway = started.gateway;
  const events: MaillogEvent[] = [];
  gateway.maillog.onEvent((e) => events.push(e));
  return {
    port: gateway.listeners[0].port,
    dataDir,
    gateway,
    dns,
    events,
    logLines: () => events.map((e) => (e.severity === 'info' ? '' : `${e.severity}: `) + e.text),
    queueFiles: (state = 'incoming') => fs.readdirSync(path.join(dataDir, 'queue', state)),
    async stop() {
      await gateway.stop();
      await dns.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
