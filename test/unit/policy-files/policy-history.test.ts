// The policy history (server/policy-files/policy-history.ts) over revisions written by the real
// stores in a real SQLite file: paging newest first, and each revision as a diff of parameters
// and table sources, whichever store wrote it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyDataFolder, storeTable } from '../../support/policy-data-folder.ts';
import { createPrismaClient } from '../../../server/db/client.ts';
import { revertParameters, setParameters } from '../../../server/config/parameter-store.ts';
import { openTableStore } from '../../../server/maps/table-store.ts';
import { getRevisionDiff, listRevisions } from '../../../server/policy-files/policy-history.ts';

test('revisions are listed newest first, a page at a time, with who and what', async (t) => {
  const folder = await createPolicyDataFolder({});
  t.after(() => folder.remove());
  const prisma = createPrismaClient(folder.dataDir);
  t.after(() => prisma.$disconnect());
  for (let i = 1; i <= 5; i++) await setParameters(prisma, { smtpd_banner: `$myhostname ESMTP ${i}` }, `admin${i}`);
  const first = await listRevisions(prisma, { page: 1, pageSize: 2 });
  assert.deepEqual(
    { total: first.total, pages: first.pages, ids: first.revisions.map((r) => r.id), actors: first.revisions.map((r) => r.actor) },
    { total: 5, pages: 3, ids: [5, 4], actors: ['admin5', 'admin4'] },
  );
  assert.equal(first.revisions[0].summary, "postconf -e 'smtpd_banner=$myhostname ESMTP 5'");
  assert.ok(!Number.isNaN(Date.parse(first.revisions[0].createdAt)));
  assert.deepEqual((await listRevisions(prisma, { page: 3, pageSize: 2 })).revisions.map((r) => r.id), [1]);
  assert.deepEqual((await listRevisions(prisma, { page: 9, pageSize: 2 })).revisions, []);
});

test('a parameter revision shows parameters added, changed and removed', async (t) => {
  const folder = await createPolicyDataFolder({ myhostname: 'mx.example.test', smtpd_banner: '$myhostname ESMTP', mynetworks: '10.0.0.0/8' });
  t.after(() => folder.remove());
  const prisma = createPrismaClient(folder.dataDir);
  t.after(() => prisma.$disconnect());
  await setParameters(prisma, { smtpd_banner: '$myhostname ESMTP ready', relay_domains: 'example.com' }, 'admin');
  const reverted = await revertParameters(prisma, ['mynetworks'], 'admin');
  assert.ok(reverted.ok && reverted.revisionId !== null);
  const changed = await getRevisionDiff(prisma, 2);
  assert.deepEqual(changed?.parameters, [
    { name: 'relay_domains', change: 'added', before: null, after: 'example.com' },
    { name: 'smtpd_banner', change: 'changed', before: '$myhostname ESMTP', after: '$myhostname ESMTP ready' },
  ]);
  assert.equal(changed?.previousId, 1);
  assert.deepEqual(changed?.tables, []);
  const removed = await getRevisionDiff(prisma, reverted.revisionId);
  assert.deepEqual(removed?.parameters, [{ name: 'mynetworks', change: 'removed', before: '10.0.0.0/8', after: null }]);
  assert.equal(await getRevisionDiff(prisma, 99), null);
});

test('a table revision shows a line diff of its source and no parameter change', async (t) => {
  const folder = await createPolicyDataFolder({});
  t.after(() => folder.remove());
  storeTable(folder.dataDir, 'access', 'exact', 'a.example OK\nb.example REJECT\n');
  storeTable(folder.dataDir, 'access', 'exact', 'a.example OK\nb.example REJECT no\nc.example OK\n');
  const store = openTableStore(folder.dataDir);
  store.delete('access', 'admin');
  store.close();
  const prisma = createPrismaClient(folder.dataDir);
  t.after(() => prisma.$disconnect());
  const created = await getRevisionDiff(prisma, 1);
  assert.equal(created?.parameters, null);
  assert.deepEqual(created?.tables.map((d) => [d.name, d.change, d.kindBefore, d.kindAfter]), [['access', 'created', null, 'exact']]);
  const changed = await getRevisionDiff(prisma, 2);
  assert.deepEqual(changed?.tables[0].hunks?.[0].lines.map((l) => `${l.kind} ${l.text}`), [
    'same a.example OK', 'removed b.example REJECT', 'added b.example REJECT no', 'added c.example OK',
  ]);
  const deleted = await getRevisionDiff(prisma, 3);
  assert.deepEqual(deleted?.tables.map((d) => [d.change, d.hunks?.[0].lines.length]), [['deleted', 3]]);
});

test('a table larger than a revision keeps is shown by its size and digest', async (t) => {
  const folder = await createPolicyDataFolder({});
  t.after(() => folder.remove());
  const big = Array.from({ length: 50_000 }, (_, i) => `host${i}.example.com REJECT\n`).join('');
  storeTable(folder.dataDir, 'big', 'exact', big);
  const prisma = createPrismaClient(folder.dataDir);
  t.after(() => prisma.$disconnect());
  const diff = await getRevisionDiff(prisma, 1);
  assert.equal(diff?.tables[0].hunks, null);
  assert.equal(diff?.tables[0].before, null);
  assert.match(diff?.tables[0].after ?? '', /^\d{7} bytes, sha256 [0-9a-f]{64}$/);
});

test('a whole-policy revision (import) shows its parameters and its tables together', async (t) => {
  const folder = await createPolicyDataFolder({ smtpd_banner: 'old' });
  t.after(() => folder.remove());
  const store = openTableStore(folder.dataDir);
  const r = store.commitPolicy((current) => ({
    parameters: { ...current.parameters, smtpd_client_restrictions: 'check_client_access cidr:clients' },
    tables: [{ name: 'clients', kind: 'cidr', lines: [{ key: '192.0.2.0/24', value: 'REJECT' }] }],
    deleteTables: [],
  }), 'importer', 'import /etc/postfix/main.cf');
  store.close();
  assert.ok(r.ok && r.revisionId !== null);
  const prisma = createPrismaClient(folder.dataDir);
  t.after(() => prisma.$disconnect());
  const diff = await getRevisionDiff(prisma, r.revisionId);
  assert.deepEqual(diff?.parameters, [{ name: 'smtpd_client_restrictions', change: 'added', before: null, after: 'check_client_access cidr:clients' }]);
  assert.deepEqual(diff?.tables.map((d) => [d.name, d.change, d.hunks?.[0].lines.map((l) => l.text)]), [['clients', 'created', ['192.0.2.0/24 REJECT']]]);
  assert.equal(diff?.summary, 'import /etc/postfix/main.cf');
});
