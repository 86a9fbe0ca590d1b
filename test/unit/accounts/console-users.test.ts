/** Console accounts (server/accounts/console-users.ts) on a real SQLite file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addConsoleUser, listConsoleUsers, setConsoleUserDisabled, setConsoleUserPassword, setConsoleUserRole,
} from '../../../server/accounts/console-users.ts';
import { createConsoleSession, findConsoleSession } from '../../../server/accounts/console-session.ts';
import { signIn } from '../../../server/accounts/sign-in.ts';
import { withAccountsDatabase } from './accounts-rig.ts';

test('an account is added once; a second with the same name is refused on the name field', async (t) => {
  const { prisma } = await withAccountsDatabase(t);
  assert.deepEqual(await addConsoleUser(prisma, { name: 'ann', role: 'admin', password: 'ann-password' }), { ok: true });
  assert.deepEqual(await addConsoleUser(prisma, { name: 'ann', role: 'auditor', password: 'other-password' }),
    { ok: false, error: 'user "ann" already exists', field: 'name' });
  const users = await listConsoleUsers(prisma);
  assert.deepEqual(users.map((u) => [u.name, u.role, u.disabled]), [['ann', 'admin', false]]);
  assert.ok(!('passwordHash' in users[0]));
});

test('bad names, unknown roles and short passwords are refused with the field at fault', async (t) => {
  const { prisma } = await withAccountsDatabase(t);
  const cases: Array<[string, { name: string; role: string; password: string }, string]> = [
    ['name with a space', { name: 'a b', role: 'admin', password: 'long-password' }, 'name'],
    ['name starting with a dot', { name: '.x', role: 'admin', password: 'long-password' }, 'name'],
    ['unknown role', { name: 'bob', role: 'root', password: 'long-password' }, 'role'],
    ['short password', { name: 'bob', role: 'auditor', password: 'short' }, 'password'],
  ];
  for (const [label, input, field] of cases) {
    const r = await addConsoleUser(prisma, input);
    assert.equal(r.ok, false, label);
    assert.equal(!r.ok && r.field, field, label);
  }
  assert.equal((await listConsoleUsers(prisma)).length, 0);
});

test('the last enabled administrator can be neither demoted nor disabled', async (t) => {
  const { prisma } = await withAccountsDatabase(t);
  await addConsoleUser(prisma, { name: 'ann', role: 'admin', password: 'ann-password' });
  await addConsoleUser(prisma, { name: 'bob', role: 'auditor', password: 'bob-password' });
  assert.deepEqual(await setConsoleUserRole(prisma, 'ann', 'auditor'), { ok: false, error: '"ann" is the last enabled administrator', field: 'role' });
  assert.deepEqual(await setConsoleUserDisabled(prisma, 'ann', true), { ok: false, error: '"ann" is the last enabled administrator', field: 'name' });
  assert.deepEqual(await setConsoleUserRole(prisma, 'bob', 'admin'), { ok: true });
  assert.deepEqual(await setConsoleUserDisabled(prisma, 'ann', true), { ok: true });
});

test('a password change and a disabled account end the sessions they had', async (t) => {
  const { prisma, dataDir } = await withAccountsDatabase(t);
  await addConsoleUser(prisma, { name: 'ann', role: 'admin', password: 'ann-password' });
  await addConsoleUser(prisma, { name: 'bob', role: 'admin', password: 'bob-password' });
  const ann = await listConsoleUsers(prisma).then((u) => u.find((x) => x.name === 'ann')!);
  const first = await createConsoleSession(prisma, dataDir, ann.id);
  assert.equal((await findConsoleSession(prisma, dataDir, first.cookie))?.user.name, 'ann');
  await setConsoleUserPassword(prisma, 'ann', 'new-ann-password');
  assert.equal(await findConsoleSession(prisma, dataDir, first.cookie), null);

  const second = await createConsoleSession(prisma, dataDir, ann.id);
  await setConsoleUserDisabled(prisma, 'ann', true);
  assert.equal(await findConsoleSession(prisma, dataDir, second.cookie), null);
  assert.deepEqual(await signIn(prisma, dataDir, { name: 'ann', password: 'new-ann-password', address: '192.0.2.1' }), { ok: false, error: 'this account is disabled' });
});

test('a session cookie with a changed token or signature, or past its expiry, signs nobody in', async (t) => {
  const { prisma, dataDir } = await withAccountsDatabase(t);
  await addConsoleUser(prisma, { name: 'ann', role: 'auditor', password: 'ann-password' });
  const [ann] = await listConsoleUsers(prisma);
  const now = new Date('2026-12-06T10:00:00Z');
  const { cookie, expiresAt } = await createConsoleSession(prisma, dataDir, ann.id, now);
  const [token, signature] = cookie.split('.');
  assert.deepEqual((await findConsoleSession(prisma, dataDir, cookie, now))?.user, { id: ann.id, name: 'ann', role: 'auditor' });
  assert.equal(await findConsoleSession(prisma, dataDir, `${token}x.${signature}`, now), null);
  assert.equal(await findConsoleSession(prisma, dataDir, `${token}.${signature.slice(0, -2)}AA`, now), null);
  assert.equal(await findConsoleSession(prisma, dataDir, cookie, expiresAt), null);
});
