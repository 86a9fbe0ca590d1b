/**
 * Policy benchmark (issue: "a million exact entries and a hundred thousand CIDR entries must
 * compile and answer each lookup in microseconds"): stores a check_sender_access table of
 * 1,000,000 exact entries and a check_client_access table of 100,000 CIDR rules in a fresh
 * database, then prints
 *   - how long storing them took, and compiling the stored policy into a snapshot (loadSnapshot,
 *     the gateway's own reload path) with the memory the snapshot holds;
 *   - full RCPT-stage evaluations per second and their p50/p99 latency (client, helo, sender,
 *     relay and recipient lists with smtpd_delay_reject = yes, against those tables);
 *   - reload latency: from a committed table change to the first SMTP session that sees it,
 *     with the control notification (`portcullis reload`) and with the data_version fallback.
 * Run: node --import tsx bench/policy-snapshot.ts [exact entries=1000000] [cidr rules=100000]
 * Everything binds 127.0.0.1 and is stopped at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { applyMigrations } from '../server/db/migrate.ts';
import { createPrismaClient } from '../server/db/client.ts';
import { databasePath } from '../server/db/data-dir.ts';
import { setParameters } from '../server/config/parameter-store.ts';
import { openTableStore, type StoredTableLine } from '../server/maps/table-store.ts';
import { loadSnapshot } from '../server/gateway/load-snapshot.ts';
import { startGateway } from '../server/gateway/start-gateway.ts';
import { checkRcpt, type SmtpdCheckSession } from '../server/policy/smtpd-check.ts';
import { SmtpClient } from '../test/support/smtp-client.ts';

const exactEntries = Number(process.argv[2] ?? 1_000_000);
const cidrRules = Number(process.argv[3] ?? 100_000);
const EVALUATIONS = 200_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

let seed = 12345;
const random = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-bench-policy-'));
applyMigrations(databasePath(dataDir));

// --- store the tables -----------------------------------------------------------------------
const senderKey = (i: number): string => `user${i}@host${i % 5000}.example${i % 97}.com`;
const senders: StoredTableLine[] = [];
for (let i = 0; i < exactEntries; i++) senders.push({ key: senderKey(i), value: `REJECT blocked sender ${i}` });
const clients: StoredTableLine[] = [];
for (let i = 0; i < cidrRules; i++) {
  const length = 16 + (random() % 17);
  const mask = length === 32 ? 0xffffffff : ~((1 << (32 - length)) - 1);
  const word = (((random() & 0x00ffffff) | 0x0a000000) & mask) >>> 0;
  clients.push({ key: `${word >>> 24}.${(word >>> 16) & 255}.${(word >>> 8) & 255}.${word & 255}/${length}`, value: `REJECT network ${i}` });
}
const store = openTableStore(dataDir);
let started = performance.now();
const storedSenders = store.replace('senders', 'exact', senders, 'bench');
const storedClients = store.replace('clients', 'cidr', clients, 'bench');
store.close();
if (!storedSenders.ok || !storedClients.ok) throw new Error('tables refused');
console.log(`stored ${exactEntries} exact + ${cidrRules} cidr entries in ${(performance.now() - started).toFixed(0)} ms ` +
  `(database ${(fs.statSync(databasePath(dataDir)).size / 1024 / 1024).toFixed(0)} MB)`);
senders.length = 0;
clients.length = 0;

const prisma = createPrismaClient(dataDir);
const stored = await setParameters(prisma, {
  myhostname: 'mx.bench.test',
  mydomain: 'bench.test',
  mynetworks: '192.0.2.0/24',
  relay_domains: 'bench.test',
  inet_interfaces: '127.0.0.1',
  smtpd_client_restrictions: 'check_client_access cidr:clients',
  smtpd_helo_restrictions: 'reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname',
  smtpd_sender_restrictions: 'reject_non_fqdn_sender, check_sender_access hash:senders',
  smtpd_relay_restrictions: 'permit_mynetworks, reject_unauth_destination',
  smtpd_recipient_restrictions: 'reject_non_fqdn_recipient, permit',
  smtpd_error_sleep_time: '0s',
}, 'bench');
await prisma.$disconnect();
if (!stored.ok) throw new Error(JSON.stringify(stored.errors));

// --- compile ----------------------------------------------------------------------------------
const heapBefore = heapMb();
started = performance.now();
const loaded = await loadSnapshot(dataDir);
const compileMs = performance.now() - started;
if (!loaded.ok) throw new Error(loaded.error);
const policy = loaded.snapshot.policy;
console.log(`compiled the stored policy (loadSnapshot) in ${compileMs.toFixed(0)} ms; snapshot holds ${(heapMb() - heapBefore).toFixed(0)} MB of heap`);

// --- evaluate ---------------------------------------------------------------------------------
const session = (address: string, sender: string): SmtpdCheckSession => ({
  clientAddress: address, clientName: 'unknown', reverseClientName: 'unknown', clientPort: 40000, helo: 'client.example.org',
  protocol: 'ESMTP', saslUsername: null, improperPipelining: false, tls: false, sender, recipientCount: 0,
});
const requests: { s: SmtpdCheckSession; rcpt: string }[] = [];
for (let i = 0; i < 1000; i++) {
  const address = `${198}.${51}.${100}.${i % 250}`;
  const sender = i % 2 ? senderKey(random() % exactEntries) : `nobody${i}@nowhere.example.net`;
  requests.push({ s: session(address, Buffer.from(sender).toString()), rcpt: `user${i}@bench.test` });
}
const latencies = new Float64Array(EVALUATIONS);
let rejected = 0;
const loopStart = process.hrtime.bigint();
for (let i = 0; i < EVALUATIONS; i++) {
  const { s, rcpt } = requests[i % requests.length];
  const t0 = process.hrtime.bigint();
  if (checkRcpt(policy, s, rcpt).kind === 'reject') rejected++;
  latencies[i] = Number(process.hrtime.bigint() - t0);
}
const totalNs = Number(process.hrtime.bigint() - loopStart);
latencies.sort();
const pct = (p: number): string => (latencies[Math.floor((EVALUATIONS - 1) * p)] / 1000).toFixed(1);
console.log(`RCPT-stage evaluation: ${(EVALUATIONS / (totalNs / 1e9) / 1000).toFixed(0)} k/s, p50 ${pct(0.5)} us, p99 ${pct(0.99)} us, ` +
  `max ${(latencies[EVALUATIONS - 1] / 1000).toFixed(0)} us (${rejected} of ${EVALUATIONS} rejected by the sender table)`);

// --- reload latency ---------------------------------------------------------------------------
const started_ = await startGateway({ dataDir, smtp: [{ host: '127.0.0.1', port: 0 }], logToStdout: false });
if (!started_.ok) throw new Error(started_.error);
const gw = started_;
const port = gw.gateway.listeners[0].port;

async function heloReply(helo: string): Promise<number> {
  const client = await SmtpClient.connect(port);
  try {
    await client.read(5000);
    await client.command(`EHLO ${helo}`);
    await client.command('MAIL FROM:<a@example.org>');
    return (await client.command('RCPT TO:<b@bench.test>')).code;
  } finally {
    client.close();
  }
}

async function measureReload(label: string, round: number, notify: boolean): Promise<void> {
  const name = `blocked${round}.example.org`;
  const writer = openTableStore(dataDir);
  const t0 = performance.now();
  const changed = writer.replace(`helo${round}`, 'exact', [{ key: name, value: 'REJECT' }], 'bench');
  writer.close();
  if (!changed.ok) throw new Error('helo table refused');
  if (notify) void gw.gateway.reload();
  while ((await heloReply(name)) !== 554) {
    if (performance.now() - t0 > 30_000) throw new Error(`${label}: change not seen after 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  console.log(`reload latency, ${label}: ${(performance.now() - t0).toFixed(0)} ms from commit to the first session that sees it`);
}

// Each round points the helo list at a new table, then changes that table.
for (const [round, notify] of [[1, true], [2, false]] as const) {
  const p = createPrismaClient(dataDir);
  await setParameters(p, { smtpd_helo_restrictions: `check_helo_access hash:helo${round}` }, 'bench');
  await p.$disconnect();
  const writer = openTableStore(dataDir);
  writer.replace(`helo${round}`, 'exact', [{ key: 'placeholder.example.org', value: 'OK' }], 'bench');
  writer.close();
  await gw.gateway.reload();
  await measureReload(notify ? 'control notification (portcullis reload)' : 'data_version fallback', round, notify);
}
await gw.gateway.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
