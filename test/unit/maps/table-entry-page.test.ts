// server/maps/table-entry-page.ts: pages of a stored table searched by key or value, sorted by
// position, key or value either way, with the counts a pager needs; a real SQLite file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { databasePath } from '../../../server/db/data-dir.ts';
import { openTableStore, type TableStore } from '../../../server/maps/table-store.ts';

let dataDir: string;
let store: TableStore;

before(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-page-'));
  applyMigrations(databasePath(dataDir));
  store = openTableStore(dataDir);
  const lines = Array.from({ length: 100_000 }, (_, i) => ({ key: `host${i}.example.com`, value: i % 1000 === 0 ? `REJECT 100% spam ${i}` : 'OK' }));
  assert.equal(store.replace('big', 'exact', lines, 'setup').ok, true);
});

after(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the first page is in file order, with the total', () => {
  const page = store.entryPage('big', { offset: 0, limit: 3 })!;
  assert.equal(page.kind, 'exact');
  assert.equal(page.total, 100_000);
  assert.equal(page.matched, 100_000);
  assert.deepEqual(page.rows, [
    { position: 1, key: 'host0.example.com', value: 'REJECT 100% spam 0' },
    { position: 2, key: 'host1.example.com', value: 'OK' },
    { position: 3, key: 'host2.example.com', value: 'OK' },
  ]);
});

test('the last page of 100,000 entries holds the last entries', () => {
  const page = store.entryPage('big', { offset: 99_998, limit: 50 })!;
  assert.deepEqual(page.rows.map((r) => r.key), ['host99998.example.com', 'host99999.example.com']);
});

test('a search matches a substring of the key in any case, and counts the matches', () => {
  const page = store.entryPage('big', { search: 'HOST4242', offset: 0, limit: 20 })!;
  assert.equal(page.matched, 11);
  assert.equal(page.total, 100_000);
  assert.equal(page.rows[0].key, 'host4242.example.com');
});

test('a search matches the value too, and its % is a character, not a wildcard', () => {
  const page = store.entryPage('big', { search: '100% spam', offset: 0, limit: 500 })!;
  assert.equal(page.matched, 100);
  assert.ok(page.rows.every((r) => r.value.startsWith('REJECT 100% spam')));
  assert.equal(store.entryPage('big', { search: '1_0', offset: 0, limit: 5 })!.matched, 0);
});

test('sorting by key orders as text, descending too', () => {
  assert.deepEqual(store.entryPage('big', { sort: 'key', offset: 0, limit: 3 })!.rows.map((r) => r.key),
    ['host0.example.com', 'host1.example.com', 'host10.example.com']);
  assert.deepEqual(store.entryPage('big', { sort: 'key', descending: true, offset: 0, limit: 2 })!.rows.map((r) => r.key),
    ['host99999.example.com', 'host99998.example.com']);
});

test('sorting by value puts equal values in file order, so pages neither repeat nor skip rows', () => {
  const first = store.entryPage('big', { sort: 'value', descending: true, offset: 0, limit: 100 })!;
  assert.equal(first.rows[0].value, 'REJECT 100% spam 99000');
  const seen = new Set<number>();
  for (let offset = 100; offset < 400; offset += 100) {
    for (const row of store.entryPage('big', { sort: 'value', offset, limit: 100 })!.rows) {
      assert.equal(seen.has(row.position), false);
      seen.add(row.position);
    }
  }
  assert.equal(seen.size, 300);
});

test('a table that is not stored has no page', () => {
  assert.equal(store.entryPage('nothing', { offset: 0, limit: 10 }), null);
});
