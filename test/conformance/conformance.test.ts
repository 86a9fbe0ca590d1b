/**
 * The conformance cases recorded from a real Postfix 3.7 (copied from the shared harness into
 * ./cases), replayed against a real gateway configured with each case's main.cf parameters.
 * Reply codes, enhanced codes and connection close must match Postfix exactly.
 *
 * Cases that need a capability a later issue builds are run as todo, with the capability
 * named: their result is reported on every run but does not fail it. Everything else must pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestGateway, ZONE } from '../support/gateway.ts';
import { compareCase, replayCase, type ConformanceCase } from './replay-case.ts';
import { tableKindOfType, type TableKind } from '../../server/maps/table-store.ts';

const CASES_DIR = new URL('./cases/', import.meta.url);
const TABLE_TYPE = /\b(hash|texthash|cidr|regexp|pcre|btree|lmdb|cdb):/;

/** pendingCapability - what a case needs that the gateway does not have yet, or null. */
function pendingCapability(c: ConformanceCase): string | null {
  const values = Object.values(c.config.main).join('\n');
  if (c.observe_delivery) return 'delivery to the next hop (queue manager issue)';
  void values;
  return null;
}

const cases: ConformanceCase[] = fs.readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(fs.readFileSync(new URL(f, CASES_DIR), 'utf8')) as ConformanceCase);

for (const c of cases) {
  const pending = pendingCapability(c);
  test(`${c.id}: ${c.description}`, pending ? { todo: pending } : {}, async (t) => {
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-case-'));
    t.after(() => fs.rmSync(configDir, { recursive: true, force: true }));
    for (const [name, content] of Object.entries(c.config.files ?? {})) {
      fs.writeFileSync(path.join(configDir, name), Array.isArray(content) ? content.join('\n') + '\n' : content);
    }
    const tables: Record<string, { kind: TableKind; source: string }> = {};
    const main: Record<string, string> = {};
    for (const [name, value] of Object.entries(c.config.main)) {
      main[name] = value.replace(/\b(hash|texthash|cidr|regexp|pcre):\$config_directory\/([\w.-]+)/g, (_m, type: string, file: string) => {
        const content = c.config.files?.[file] ?? '';
        tables[file] = { kind: tableKindOfType(type) as TableKind, source: Array.isArray(content) ? content.join('\n') + '\n' : content };
        return `${type}:${file}`;
      });
    }
    const gw = await startTestGateway({ ...main, config_directory: configDir }, { baseline: false, tables });
    t.after(() => gw.stop());
    if (c.config.dns_zone_extra) gw.dns.setZone(ZONE + '\n' + c.config.dns_zone_extra.join('\n') + '\n');
    const got = await replayCase(c, gw.port);
    assert.deepEqual(compareCase(c, got), []);
  });
}
