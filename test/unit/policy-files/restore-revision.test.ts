// Restoring a policy revision (server/policy-files/restore-revision.ts) in a real SQLite file:
// parameters and tables back to how that revision left them, as a new revision; refusals
// leave everything as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicyDataFolder, storeTable } from '../../support/policy-data-folder.ts';
import { createPrismaClient } from '../../../server/db/client.ts';
import { setParameters } from '../../../server/config/parameter-store.ts';
import { formatTableLine, openTableStore } from '../../../server/maps/table-store.ts';
import { restoreRevision } from '../../../server/policy-files/restore-revision.ts';
import { getRevisionDiff, listRevisions } from '../../../server/policy-files/policy-history.ts';
import { loadSnapshot } from '../../../server/gateway/load-snapshot.ts';

const BASE = { myhostname: 'mx.example.test', mynetworks: '127.0.0.0/8' };

function stored(dataDir: string): { parameters: Record<string, string>; tables: Record<string, string> } {
  const store = openTableStore(dataDir);
  try {
    const policy = store.readPolicy();
    return {
      parameters: { ...policy.parameters },
      tables: Object.fromEntries(policy.tables.map((t) => [t.name, `${t.kind}: ${t.lines.map(formatTableLine).join(' | ')}`])),
    };
  } finally {
    store.close();
  }
}

async function setAs(dataDir: string, values: Record<string, string>, actor = 'admin'): Promise<number> {
  const prisma = createPrismaClient(dataDir);
  try {
    const r = await setParameters(prisma, values, actor);
    assert.ok(r.ok && r.revisionId !== null, JSON.stringify(r));
    return r.revisionId;
  } finally {
    await prisma.$disconnect();
  }
}

test('restoring a revision brings back its parameters and tables, as a new revision the gateway compiles', async (t) => {
  const folder = await createPolicyDataFolder(BASE);
  t.after(() => folder.remove());
  storeTable(folder.dataDir, 'senders', 'exact', 'spam.example REJECT\n');
  const good = await setAs(folder.dataDir, { smtpd_sender_restrictions: 'check_sender_access hash:senders' });
  const before = stored(folder.dataDir);

  // Later: the table changes, another table appears, the list changes, an old table goes.
  storeTable(folder.dataDir, 'senders', 'exact', 'spam.example OK\n');
  storeTable(folder.dataDir, 'clients', 'cidr', '192.0.2.0/24 REJECT\n');
  await setAs(folder.dataDir, { smtpd_sender_restrictions: '', smtpd_client_restrictions: 'check_client_access cidr:clients', smtpd_banner: 'changed' });
  assert.notDeepEqual(stored(folder.dataDir), before);

  const restored = await restoreRevision(folder.dataDir, good, 'alice');
  assert.ok(restored.ok && restored.revisionId !== null, JSON.stringify(restored));
  assert.deepEqual(stored(folder.dataDir), before);
  const prisma = createPrismaClient(folder.dataDir);
  t.after(() => prisma.$disconnect());
  const [newest] = (await listRevisions(prisma, { pageSize: 1 })).revisions;
  assert.deepEqual([newest.id, newest.actor, newest.summary], [restored.revisionId, 'alice', `restore revision ${good}`]);
  const diff = await getRevisionDiff(prisma, restored.revisionId);
  assert.deepEqual(diff?.tables.map((d) => [d.name, d.change]), [['clients', 'deleted'], ['senders', 'changed']]);
  const snapshot = await loadSnapshot(folder.dataDir);
  assert.ok(snapshot.ok, snapshot.ok ? '' : snapshot.error);
});

test('restoring a revision before a table existed removes it; after one was deleted, brings it back', async (t) => {
  const folder = await createPolicyDataFolder(BASE);
  t.after(() => folder.remove());
  storeTable(folder.dataDir, 'old', 'exact', 'a OK\n');
  const withOld = await setAs(folder.dataDir, { smtpd_banner: 'one' });
  const store = openTableStore(folder.dataDir);
  store.delete('old', 'admin');
  store.close();
  storeTable(folder.dataDir, 'fresh', 'regexp', '/^x/ REJECT\n');
  assert.deepEqual(Object.keys(stored(folder.dataDir).tables), ['fresh']);
  const r = await restoreRevision(folder.dataDir, withOld, 'alice');
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(stored(folder.dataDir).tables, { old: 'exact: a OK' });
});

test('restoring the revision the policy is at changes nothing and writes no revision', async (t) => {
  const folder = await createPolicyDataFolder(BASE);
  t.after(() => folder.remove());
  const r = await restoreRevision(folder.dataDir, 1, 'alice');
  assert.deepEqual(r, { ok: true, revisionId: null, warnings: [] });
});

test('a revision that does not exist is refused by number', async (t) => {
  const folder = await createPolicyDataFolder(BASE);
  t.after(() => folder.remove());
  assert.deepEqual(await restoreRevision(folder.dataDir, 42, 'alice'), { ok: false, errors: ['no policy revision 42'] });
});

test('a table recorded only by its digest is refused once it has changed, and left alone while it has not', async (t) => {
  const folder = await createPolicyDataFolder(BASE);
  t.after(() => folder.remove());
  const big = Array.from({ length: 50_000 }, (_, i) => `host${i}.example.com REJECT\n`).join('');
  storeTable(folder.dataDir, 'big', 'exact', big);
  const atBig = await setAs(folder.dataDir, { smtpd_banner: 'big is in' });
  await setAs(folder.dataDir, { smtpd_banner: 'later' });
  // Only the parameters changed since: the big table is as it was, the restore goes through.
  const unchanged = await restoreRevision(folder.dataDir, atBig, 'alice');
  assert.ok(unchanged.ok && unchanged.revisionId !== null, JSON.stringify(unchanged));
  assert.equal(stored(folder.dataDir).parameters.smtpd_banner, 'big is in');

  storeTable(folder.dataDir, 'big', 'exact', big + 'one.more.example REJECT\n');
  const before = stored(folder.dataDir);
  const refused = await restoreRevision(folder.dataDir, atBig, 'alice');
  assert.equal(refused.ok, false);
  if (refused.ok) return;
  assert.equal(refused.errors.length, 1);
  assert.match(refused.errors[0], /^table big: its content at revision \d+ was recorded only as \d+ bytes, sha256 [0-9a-f]{64} \(larger than a revision keeps\), and it has changed since: it cannot be restored from history$/);
  assert.deepEqual(stored(folder.dataDir), before);
});

test('a revision the gateway would not compile is refused with the gateway\'s errors and nothing is written', async (t) => {
  const folder = await createPolicyDataFolder(BASE);
  t.after(() => folder.remove());
  // Written behind the checks' back, as a broken import would have been.
  const store = openTableStore(folder.dataDir);
  const broken = store.commitPolicy((current) => ({
    parameters: { ...current.parameters, smtpd_relay_restrictions: '', smtpd_recipient_restrictions: 'permit_mynetworks' },
    tables: [], deleteTables: [],
  }), 'test', 'broken on purpose');
  store.close();
  assert.ok(broken.ok && broken.revisionId !== null);
  await setAs(folder.dataDir, { smtpd_relay_restrictions: 'permit_mynetworks, reject_unauth_destination' });
  const before = stored(folder.dataDir);
  const r = await restoreRevision(folder.dataDir, broken.revisionId, 'alice');
  assert.deepEqual(r, {
    ok: false,
    errors: ['in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: ' +
      'reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains'],
  });
  assert.deepEqual(stored(folder.dataDir), before);
});

test('a value continued on a second line is restored as the one line it was', async (t) => {
  const folder = await createPolicyDataFolder(BASE);
  t.after(() => folder.remove());
  storeTable(folder.dataDir, 'texts', 'regexp', '/^spam/ REJECT first part\n  and the second part\n/^ham/ OK\n');
  const at = await setAs(folder.dataDir, { smtpd_banner: 'with texts' });
  const before = stored(folder.dataDir);
  storeTable(folder.dataDir, 'texts', 'regexp', '/^other/ REJECT\n');
  const r = await restoreRevision(folder.dataDir, at, 'alice');
  assert.ok(r.ok && r.revisionId !== null, JSON.stringify(r));
  assert.deepEqual(stored(folder.dataDir), before);
  assert.equal(Object.keys(before.tables).length, 1);
});
