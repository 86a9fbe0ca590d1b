/**
 * Who may read /metrics (server/stats/metrics-access.ts): metrics_allowed_networks as stored,
 * and the bearer token of the data folder's metrics.token, on a real migrated database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { databasePath } from '../../../server/db/data-dir.ts';
import { createPrismaClient } from '../../../server/db/client.ts';
import { setParameters } from '../../../server/config/parameter-store.ts';
import { isMetricsRequestAllowed, loadMetricsAccessRule, metricsTokenPath } from '../../../server/stats/metrics-access.ts';

const TOKEN = 'b1946ac92492d2347c6235b4d2611184';

async function dataFolder(t: { after(fn: () => void): void }, parameters: Record<string, string> = {}): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-metrics-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  applyMigrations(databasePath(dataDir));
  if (Object.keys(parameters).length) {
    const prisma = createPrismaClient(dataDir);
    try {
      const r = await setParameters(prisma, parameters, 'test');
      assert.ok(r.ok, JSON.stringify(r));
    } finally {
      await prisma.$disconnect();
    }
  }
  return dataDir;
}

function writeToken(dataDir: string, mode: number): void {
  fs.writeFileSync(metricsTokenPath(dataDir), TOKEN + '\n', { mode });
  fs.chmodSync(metricsTokenPath(dataDir), mode);
}

test('by default loopback clients may read without a token and others may not', async (t) => {
  const rule = await loadMetricsAccessRule(await dataFolder(t));
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '127.0.0.1', authorization: null }), true);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '::1', authorization: null }), true);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '::ffff:127.0.0.1', authorization: null }), true);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '192.0.2.10', authorization: null }), false);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: null, authorization: null }), false);
});

test('metrics_allowed_networks replaces the default', async (t) => {
  const rule = await loadMetricsAccessRule(await dataFolder(t, { metrics_allowed_networks: '192.0.2.0/24' }));
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '192.0.2.10', authorization: null }), true);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '127.0.0.1', authorization: null }), false);
});

test('the token from a 0600 metrics.token lets any address in, and a wrong token is refused even from loopback', async (t) => {
  const dataDir = await dataFolder(t);
  writeToken(dataDir, 0o600);
  const rule = await loadMetricsAccessRule(dataDir);
  assert.deepEqual(rule.warnings, []);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '203.0.113.5', authorization: `Bearer ${TOKEN}` }), true);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '203.0.113.5', authorization: 'Bearer wrong' }), false);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '127.0.0.1', authorization: 'Bearer wrong' }), false);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '203.0.113.5', authorization: null }), false);
});

test('a token file others may read is ignored with a warning', async (t) => {
  const dataDir = await dataFolder(t);
  writeToken(dataDir, 0o644);
  const rule = await loadMetricsAccessRule(dataDir);
  assert.equal(rule.tokenDigest, null);
  assert.match(rule.warnings.join('\n'), /mode 0644 lets others read the token: ignored/);
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '203.0.113.5', authorization: `Bearer ${TOKEN}` }), false);
});

test('without a token file a bearer token is refused', async (t) => {
  const rule = await loadMetricsAccessRule(await dataFolder(t));
  assert.equal(isMetricsRequestAllowed(rule, { clientAddress: '203.0.113.5', authorization: `Bearer ${TOKEN}` }), false);
});
