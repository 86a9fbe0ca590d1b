// server/maps/table-entry-change.ts: one entry added, changed, deleted or moved in a stored
// table, checked as replace() checks, recorded as a revision with its actor, and the table's
// updated_at moved on so the gateway recompiles it; a real SQLite file in a temporary folder.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { databasePath } from '../../../server/db/data-dir.ts';
import { openTableStore, type TableStore } from '../../../server/maps/table-store.ts';

let dataDir: string;
let store: TableStore;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-entry-'));
  applyMigrations(databasePath(dataDir));
  store = openTableStore(dataDir);
});

afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function lastRevision(): { actor: string; summary: string; before: unknown; after: unknown } {
  const db = new Database(databasePath(dataDir), { readonly: true });
  try {
    const row = db.prepare('SELECT actor, summary, before, after FROM policy_revision ORDER BY id DESC LIMIT 1').get() as
      { actor: string; summary: string; before: string; after: string };
    return { ...row, before: JSON.parse(row.before), after: JSON.parse(row.after) };
  } finally {
    db.close();
  }
}

const lines = (name: string) => store.read(name)!.lines.map((l) => `${l.key} ${l.value}`.trim());

test('an added entry lands at the end of an exact table, with a revision of the whole table before and after', () => {
  store.replace('clients', 'exact', [{ key: '192.0.2.1', value: 'OK' }], 'setup');
  const stamp = store.stamp('clients');
  const r = store.changeEntry('clients', { op: 'add', line: { key: '127.0.0.2', value: 'REJECT go away' } }, 'alice');
  assert.deepEqual(r, { ok: true, revisionId: 2, position: 2, warnings: [] });
  assert.deepEqual(lines('clients'), ['192.0.2.1 OK', '127.0.0.2 REJECT go away']);
  assert.notEqual(store.stamp('clients'), stamp);
  assert.deepEqual(lastRevision(), {
    actor: 'alice',
    summary: 'table clients: added entry 2 "127.0.0.2"',
    before: { table: { clients: { kind: 'exact', source: '192.0.2.1 OK\n' } } },
    after: { table: { clients: { kind: 'exact', source: '192.0.2.1 OK\n127.0.0.2 REJECT go away\n' } } },
  });
});

test('an exact table refuses a second entry for a key, in any case, and a line that would not read back', () => {
  store.replace('clients', 'exact', [{ key: 'Spam.Example', value: 'REJECT' }], 'setup');
  assert.deepEqual(store.changeEntry('clients', { op: 'add', line: { key: 'spam.example', value: 'OK' } }, 'alice'),
    { ok: false, errors: ['key "spam.example" is already in the table (entry 1): change that entry instead'] });
  assert.deepEqual(store.changeEntry('clients', { op: 'add', line: { key: 'a b', value: 'OK' } }, 'alice'),
    { ok: false, errors: ['"a b OK": keys with whitespace are not supported'] });
  assert.equal(lastRevision().actor, 'setup');
});

test('a change replaces key and value in place, and is refused when the entry is no longer what the editor saw', () => {
  store.replace('clients', 'exact', [{ key: 'a.example', value: 'OK' }, { key: 'b.example', value: 'REJECT' }], 'setup');
  const r = store.changeEntry('clients', { op: 'change', position: 2, expectKey: 'b.example', line: { key: 'c.example', value: 'REJECT not you' } }, 'bob');
  assert.equal(r.ok, true);
  assert.deepEqual(lines('clients'), ['a.example OK', 'c.example REJECT not you']);
  assert.equal(lastRevision().summary, 'table clients: changed entry 2 "b.example" to "c.example"');
  assert.deepEqual(store.changeEntry('clients', { op: 'delete', position: 2, expectKey: 'b.example' }, 'bob'),
    { ok: false, errors: ['entry 2 is no longer "b.example": the table changed meanwhile; reload the page'] });
});

test('changing an entry to what it already is writes no revision', () => {
  store.replace('clients', 'exact', [{ key: 'a.example', value: 'OK' }], 'setup');
  assert.deepEqual(store.changeEntry('clients', { op: 'change', position: 1, expectKey: 'a.example', line: { key: 'a.example', value: 'OK' } }, 'bob'),
    { ok: true, revisionId: null, position: 1, warnings: [] });
});

test('deleting from a pattern table renumbers the rules after it, so positions stay the rule order', () => {
  store.replace('header_checks', 'regexp', [
    { key: '/^Subject: one/', value: 'REJECT 1' }, { key: '/^Subject: two/', value: 'REJECT 2' }, { key: '/^Subject: three/', value: 'REJECT 3' },
  ], 'setup');
  assert.equal(store.changeEntry('header_checks', { op: 'delete', position: 1, expectKey: '/^Subject: one/' }, 'carol').ok, true);
  const page = store.entryPage('header_checks', { offset: 0, limit: 10 })!;
  assert.deepEqual(page.rows.map((r) => [r.position, r.key]), [[1, '/^Subject: two/'], [2, '/^Subject: three/']]);
});

test('a rule inserted at a position, then moved up and down, keeps the other rules in order', () => {
  store.replace('body_checks', 'pcre', [{ key: '/a/', value: 'REJECT a' }, { key: '/b/', value: 'REJECT b' }], 'setup');
  assert.equal(store.changeEntry('body_checks', { op: 'add', at: 2, line: { key: '/x/', value: 'DISCARD' } }, 'dan').ok, true);
  assert.deepEqual(lines('body_checks'), ['/a/ REJECT a', '/x/ DISCARD', '/b/ REJECT b']);
  assert.deepEqual(store.changeEntry('body_checks', { op: 'move', position: 2, expectKey: '/x/', direction: 'up' }, 'dan'),
    { ok: true, revisionId: 3, position: 1, warnings: [] });
  assert.deepEqual(lines('body_checks'), ['/x/ DISCARD', '/a/ REJECT a', '/b/ REJECT b']);
  assert.equal(lastRevision().summary, 'table body_checks: moved entry 2 "/x/" up to 1');
  assert.deepEqual(store.changeEntry('body_checks', { op: 'move', position: 1, expectKey: '/x/', direction: 'up' }, 'dan'),
    { ok: true, revisionId: null, position: 1, warnings: [] });
  store.changeEntry('body_checks', { op: 'move', position: 1, expectKey: '/x/', direction: 'down' }, 'dan');
  assert.deepEqual(lines('body_checks'), ['/a/ REJECT a', '/x/ DISCARD', '/b/ REJECT b']);
});

test('a rule the compiler would skip is refused with its message and leaves the table as it was', () => {
  store.replace('body_checks', 'regexp', [{ key: '/a/', value: 'REJECT a' }], 'setup');
  const r = store.changeEntry('body_checks', { op: 'add', line: { key: '/unclosed(/', value: 'REJECT' } }, 'dan');
  assert.equal(r.ok, false);
  assert.match((r as { errors: string[] }).errors[0], /body_checks, line 2: /);
  assert.deepEqual(lines('body_checks'), ['/a/ REJECT a']);
  assert.equal(lastRevision().actor, 'setup');
});

test('a cidr entry must be a network the cidr table reads', () => {
  store.replace('networks', 'cidr', [{ key: '192.0.2.0/24', value: 'OK' }], 'setup');
  const r = store.changeEntry('networks', { op: 'add', line: { key: '192.0.2.300/24', value: 'REJECT' } }, 'dan');
  assert.equal(r.ok, false);
  assert.equal(store.changeEntry('networks', { op: 'add', line: { key: '198.51.100.0/24', value: 'REJECT' } }, 'dan').ok, true);
});

test('an edit of a table that is not stored is refused', () => {
  assert.deepEqual(store.changeEntry('nothing', { op: 'add', line: { key: 'a', value: 'OK' } }, 'dan'), { ok: false, errors: ['no table "nothing" is stored'] });
});

test('a large table is recorded by size and digest, and an edit rewrites only its own row', () => {
  const many = Array.from({ length: 50_000 }, (_, i) => ({ key: `host${i}.example.com`, value: 'REJECT listed' }));
  store.replace('big', 'exact', many, 'setup');
  const ids = (): number[] => {
    const db = new Database(databasePath(dataDir), { readonly: true });
    try {
      return (db.prepare('SELECT id FROM lookup_table_entry ORDER BY position LIMIT 3').all() as { id: number }[]).map((r) => r.id);
    } finally {
      db.close();
    }
  };
  const before = ids();
  assert.equal(store.changeEntry('big', { op: 'change', position: 2, expectKey: 'host1.example.com', line: { key: 'host1.example.com', value: 'OK' } }, 'eve').ok, true);
  assert.deepEqual(ids(), before);
  const { after } = lastRevision() as { after: { table: { big: { kind: string; bytes: number; sha256: string } } } };
  assert.equal(after.table.big.kind, 'exact');
  assert.match(after.table.big.sha256, /^[0-9a-f]{64}$/);
  assert.equal(store.read('big')!.lines[1].value, 'OK');
});
