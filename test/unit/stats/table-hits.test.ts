/**
 * Hit counts of stored table entries (server/stats/table-hits.ts, read-table-hits.ts): stored
 * tables opened through the catalog with counting, looked up, written and read back per key
 * on a real migrated SQLite file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { databasePath } from '../../../server/db/data-dir.ts';
import { openTableStore, type TableKind } from '../../../server/maps/table-store.ts';
import { createTableCatalog } from '../../../server/maps/table-catalog.ts';
import { accessLookup } from '../../../server/maps/access-key-order.ts';
import { countTableHits, createTableHits } from '../../../server/stats/table-hits.ts';
import { openTrafficStore } from '../../../server/stats/traffic-store.ts';
import { readTableHits } from '../../../server/stats/read-table-hits.ts';

function withTables(t: { after(fn: () => void): void }, tables: Record<string, { kind: TableKind; lines: Array<[string, string]> }>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-hits-'));
  applyMigrations(databasePath(dataDir));
  const store = openTableStore(dataDir);
  for (const [name, { kind, lines }] of Object.entries(tables)) {
    const r = store.replace(name, kind, lines.map(([key, value]) => ({ key, value })), 'test');
    assert.ok(r.ok, JSON.stringify(r));
  }
  const hits = createTableHits();
  const catalog = createTableCatalog(store, undefined, (table, name, lineKeys) => countTableHits(table, name, lineKeys, hits));
  t.after(() => {
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const open = (spec: string) => {
    const opened = catalog.open(spec);
    assert.ok(opened.ok, JSON.stringify(opened));
    return opened.table;
  };
  return { dataDir, hits, open };
}

test('an exact table counts the entry a lookup found, by its key as stored, not the key looked up', (t) => {
  const { hits, open } = withTables(t, { access: { kind: 'exact', lines: [['Spam.Example', 'REJECT'], ['192.0.2.1', 'OK']] } });
  const table = open('hash:access');
  assert.equal(accessLookup(table, 'email', 'x@mail.spam.example').status, 'found', 'parent domain of the sender');
  assert.equal(table.lookup('spam.example').status, 'found');
  assert.equal(table.lookup('nobody.example').status, 'notfound');
  const rows = hits.take();
  assert.deepEqual(rows.map((r) => [r.tableName, r.key, r.hits]), [['access', 'Spam.Example', 2]]);
  assert.deepEqual(hits.take(), [], 'a take starts the counts again');
});

test('a cidr table counts the network that matched, and a regexp table the pattern', (t) => {
  const { hits, open } = withTables(t, {
    networks: { kind: 'cidr', lines: [['192.0.2.0/24', 'REJECT'], ['198.51.100.0/24', 'OK']] },
    header_checks: { kind: 'regexp', lines: [['/^Subject: .*viagra/', 'REJECT'], ['/^X-Spam: yes/', 'DISCARD']] },
  });
  open('cidr:networks').lookup('192.0.2.77');
  open('cidr:networks').lookup('192.0.2.78');
  open('regexp:header_checks').lookup('X-Spam: yes');
  assert.deepEqual(hits.take().map((r) => [r.tableName, r.key, r.hits]).sort(), [
    ['header_checks', '/^X-Spam: yes/', 1], ['networks', '192.0.2.0/24', 2],
  ]);
});

test('tables written inside a value are not counted', (t) => {
  const { hits, open } = withTables(t, {});
  assert.equal(open('inline:{ spam.example=REJECT }').lookup('spam.example').status, 'found');
  assert.deepEqual(hits.take(), []);
});

test('written hits add up per key, keep the latest time, and read back in the order of the keys asked', (t) => {
  const { dataDir, hits, open } = withTables(t, { access: { kind: 'exact', lines: [['a.example', 'REJECT'], ['b.example', 'OK']] } });
  const table = open('hash:access');
  const store = openTrafficStore(databasePath(dataDir));
  t.after(() => store.close());
  table.lookup('a.example');
  store.write([], hits.take());
  table.lookup('a.example');
  table.lookup('a.example');
  const before = Date.now();
  store.write([], hits.take());
  const read = readTableHits(dataDir, 'access', ['b.example', 'a.example', 'c.example']);
  assert.deepEqual(read.map((r) => [r.key, r.hits]), [['b.example', 0], ['a.example', 3], ['c.example', 0]]);
  assert.ok(Date.parse(read[1].lastHitAt!) >= before - 1000, read[1].lastHitAt!);
  assert.equal(read[0].lastHitAt, null);
});

test('hit counts of a table that is no longer stored are pruned', (t) => {
  const { dataDir, hits, open } = withTables(t, { old: { kind: 'exact', lines: [['a.example', 'REJECT']] } });
  open('hash:old').lookup('a.example');
  const store = openTrafficStore(databasePath(dataDir));
  t.after(() => store.close());
  store.write([], hits.take());
  assert.equal(store.prune(86400), 0);
  const tables = openTableStore(dataDir);
  assert.ok(tables.delete('old', 'test').ok);
  tables.close();
  assert.equal(store.prune(86400), 1);
  assert.deepEqual(readTableHits(dataDir, 'old', ['a.example']).map((r) => r.hits), [0]);
});
