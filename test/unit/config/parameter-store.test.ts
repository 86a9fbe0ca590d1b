// The stored main.cf (server/config/parameter-store.ts) on a real SQLite file: only changed
// values are rows, every change is checked whole and recorded in a PolicyRevision.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { createPrismaClient, type PrismaClient } from '../../../server/db/client.ts';
import { databasePath } from '../../../server/db/data-dir.ts';
import { checkParameters, loadChangedParameters, revertParameters, setParameters } from '../../../server/config/parameter-store.ts';
import { MainCf } from '../../../server/config/main-cf.ts';
import Database from 'better-sqlite3';

let dataDir: string;
let prisma: PrismaClient;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-parameter-store-'));
  applyMigrations(databasePath(dataDir));
  prisma = createPrismaClient(dataDir);
});

afterEach(async () => {
  await prisma.$disconnect();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function listRevisions() {
  return prisma.policyRevision.findMany({ select: { actor: true, summary: true, before: true, after: true }, orderBy: { id: 'asc' } });
}

test('a changed value is stored and recorded with who, what, before and after', async () => {
  const result = await setParameters(prisma, { smtpd_helo_required: 'yes' }, 'admin@example.test');
  assert.equal(result.ok, true);
  assert.deepEqual(await loadChangedParameters(prisma), { smtpd_helo_required: 'yes' });
  assert.deepEqual(await listRevisions(), [{
    actor: 'admin@example.test',
    summary: 'postconf -e smtpd_helo_required=yes',
    before: '{}',
    after: '{"smtpd_helo_required":"yes"}',
  }]);
});

test('values are trimmed as main.cf lines are', async () => {
  await setParameters(prisma, { smtpd_banner: '  $myhostname ESMTP  ' }, 'admin');
  assert.deepEqual(await loadChangedParameters(prisma), { smtpd_banner: '$myhostname ESMTP' });
});

test('one bad value refuses the whole change, and nothing is written', async () => {
  const result = await setParameters(prisma, { smtpd_helo_required: 'yes', smtpd_timeout: '-5', bogus_param: 'x' }, 'admin');
  assert.deepEqual(result, {
    ok: false,
    errors: [
      { name: 'smtpd_timeout', error: 'invalid time value "-5" for parameter smtpd_timeout: specify a number with an optional unit s, m, h, d or w (default s)' },
      { name: 'bogus_param', error: 'unknown parameter name: bogus_param (not a built-in parameter, nor a class in smtpd_restriction_classes)' },
    ],
  });
  assert.deepEqual(await loadChangedParameters(prisma), {});
  assert.deepEqual(await listRevisions(), []);
});

test('checkParameters gives the errors setParameters would refuse with, and writes nothing', async () => {
  const values = { smtpd_helo_required: 'yes', smtpd_timeout: '-5' };
  const refused = await setParameters(prisma, values, 'admin');
  assert.equal(refused.ok, false);
  assert.deepEqual(await checkParameters(prisma, values), refused.ok ? [] : refused.errors);
  assert.deepEqual(await checkParameters(prisma, { smtpd_helo_required: 'yes' }), []);
  const check = (changed: Readonly<Record<string, string>>) => (changed.smtpd_helo_required === 'yes' ? ['helo refused here'] : []);
  assert.deepEqual(await checkParameters(prisma, { smtpd_helo_required: 'yes' }, check), [{ name: 'smtpd_helo_required', error: 'helo refused here' }]);
  assert.deepEqual(await loadChangedParameters(prisma), {});
  assert.deepEqual(await listRevisions(), []);
});

test('a value that breaks another parameter\'s expansion is refused', async () => {
  const result = await setParameters(prisma, { mail_name: '$smtpd_banner' }, 'admin');
  assert.deepEqual(result, {
    ok: false,
    errors: [
      { name: 'mail_name', error: 'parameter mail_name: expansion loop: mail_name -> smtpd_banner -> mail_name' },
      { name: 'smtpd_banner', error: 'parameter smtpd_banner: expansion loop: smtpd_banner -> mail_name -> smtpd_banner' },
    ],
  });
});

test('setting a value equal to the default removes the stored row', async () => {
  await setParameters(prisma, { smtpd_delay_reject: 'no' }, 'admin');
  const result = await setParameters(prisma, { smtpd_delay_reject: 'yes' }, 'admin');
  assert.equal(result.ok, true);
  assert.deepEqual(await loadChangedParameters(prisma), {});
  assert.equal((await listRevisions()).length, 2);
});

test('setting a value that is already so writes no revision', async () => {
  const result = await setParameters(prisma, { smtpd_delay_reject: 'yes' }, 'admin');
  assert.deepEqual(result, { ok: true, revisionId: null });
  assert.deepEqual(await listRevisions(), []);
});

test('an explicit value equal to a computed default is kept: it pins what the host would decide', async () => {
  const hostname = new MainCf({}).get('myhostname');
  await setParameters(prisma, { myhostname: hostname }, 'admin');
  assert.deepEqual(await loadChangedParameters(prisma), { myhostname: hostname });
});

test('a restriction class can be declared and defined in one change', async () => {
  const result = await setParameters(prisma, { smtpd_restriction_classes: 'strict_class', strict_class: 'reject_unknown_sender_domain' }, 'admin');
  assert.equal(result.ok, true);
  assert.deepEqual(await loadChangedParameters(prisma), { smtpd_restriction_classes: 'strict_class', strict_class: 'reject_unknown_sender_domain' });
});

test('undeclaring a class whose definition is still stored is refused', async () => {
  await setParameters(prisma, { smtpd_restriction_classes: 'strict_class', strict_class: 'reject' }, 'admin');
  const result = await revertParameters(prisma, ['smtpd_restriction_classes'], 'admin');
  assert.deepEqual(result, {
    ok: false,
    errors: [{ name: 'strict_class', error: 'unknown parameter name: strict_class (not a built-in parameter, nor a class in smtpd_restriction_classes)' }],
  });
  assert.equal((await revertParameters(prisma, ['smtpd_restriction_classes', 'strict_class'], 'admin')).ok, true);
  assert.deepEqual(await loadChangedParameters(prisma), {});
});

test('a class is removed in one change by undeclaring it and emptying its definition', async () => {
  await setParameters(prisma, { smtpd_restriction_classes: 'strict_class, other_class', strict_class: 'reject', other_class: 'permit' }, 'admin');
  const result = await setParameters(prisma, { smtpd_restriction_classes: 'other_class', strict_class: '' }, 'admin');
  assert.equal(result.ok, true);
  assert.deepEqual(await loadChangedParameters(prisma), { smtpd_restriction_classes: 'other_class', other_class: 'permit' });
  // An empty value for a name never stored nor declared is still an unknown parameter.
  assert.deepEqual(await setParameters(prisma, { never_a_class: '' }, 'admin'), {
    ok: false,
    errors: [{ name: 'never_a_class', error: 'unknown parameter name: never_a_class (not a built-in parameter, nor a class in smtpd_restriction_classes)' }],
  });
});

test('revertParameters removes the rows and records postconf -X', async () => {
  await setParameters(prisma, { smtpd_helo_required: 'yes', disable_vrfy_command: 'yes' }, 'admin');
  const result = await revertParameters(prisma, ['smtpd_helo_required'], 'cli:root');
  assert.equal(result.ok, true);
  assert.deepEqual(await loadChangedParameters(prisma), { disable_vrfy_command: 'yes' });
  const last = (await listRevisions()).at(-1)!;
  assert.equal(last.summary, 'postconf -X smtpd_helo_required');
  assert.equal(last.actor, 'cli:root');
  assert.deepEqual(JSON.parse(last.after), { disable_vrfy_command: 'yes' });
});

test('reverting an unknown name is refused', async () => {
  assert.deepEqual(await revertParameters(prisma, ['smtpd_helo_requird'], 'admin'), {
    ok: false,
    errors: [{ name: 'smtpd_helo_requird', error: 'unknown parameter name: smtpd_helo_requird' }],
  });
});

test('an old broken row does not block an unrelated change, and can be reverted', async () => {
  await prisma.parameter.create({ data: { name: 'smtpd_timeout', value: 'forever' } });
  assert.equal((await setParameters(prisma, { smtpd_helo_required: 'yes' }, 'admin')).ok, true);
  assert.equal((await revertParameters(prisma, ['smtpd_timeout'], 'admin')).ok, true);
  assert.deepEqual(await loadChangedParameters(prisma), { smtpd_helo_required: 'yes' });
});

test('a change that another process commits between its read and its write is made again on the new data, not refused', async () => {
  // The check runs between the transaction's read and its first write: the moment where the
  // gateway's counters or another postconf commit in real life, and SQLite answers BUSY_SNAPSHOT.
  const other = new Database(databasePath(dataDir));
  let checks = 0;
  try {
    const r = await setParameters(prisma, { smtpd_helo_required: 'yes' }, 'admin', undefined, () => {
      if (checks++ === 0) other.prepare('INSERT INTO parameter (name, value, updated_at) VALUES (?, ?, ?)').run('myhostname', 'mx.other.example', Date.now());
      return [];
    });
    assert.equal(r.ok, true);
    assert.ok(checks > 2, 'the change was judged again after the conflict');
  } finally {
    other.close();
  }
  assert.deepEqual(await loadChangedParameters(prisma), { myhostname: 'mx.other.example', smtpd_helo_required: 'yes' });
  const [revision] = await listRevisions();
  assert.equal(revision.before, JSON.stringify({ myhostname: 'mx.other.example' }));
});
