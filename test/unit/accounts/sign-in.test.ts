/** Sign-in and its throttle (server/accounts/sign-in.ts, login-throttle.ts), and the first-start setup token. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addConsoleUser, listConsoleUsers } from '../../../server/accounts/console-users.ts';
import { signIn } from '../../../server/accounts/sign-in.ts';
import { checkLoginThrottle, recordLoginFailure } from '../../../server/accounts/login-throttle.ts';
import { issueSetupToken, isSetupTokenValid, redeemSetupToken } from '../../../server/accounts/setup-token.ts';
import { withAccountsDatabase } from './accounts-rig.ts';

test('a wrong password and an unknown name get the same answer', async (t) => {
  const { prisma, dataDir } = await withAccountsDatabase(t);
  await addConsoleUser(prisma, { name: 'ann', role: 'admin', password: 'ann-password' });
  const wrong = await signIn(prisma, dataDir, { name: 'ann', password: 'nope-nope-nope', address: '192.0.2.1' });
  const unknown = await signIn(prisma, dataDir, { name: 'zed', password: 'nope-nope-nope', address: '192.0.2.1' });
  assert.deepEqual(wrong, { ok: false, error: 'wrong user name or password' });
  assert.deepEqual(unknown, wrong);
  const right = await signIn(prisma, dataDir, { name: 'ann', password: 'ann-password', address: '192.0.2.1' });
  assert.equal(right.ok, true);
});

test('five failures for one name within 15 minutes hold that name until the first leaves the window', async (t) => {
  const { prisma } = await withAccountsDatabase(t);
  const start = new Date('2026-12-06T10:00:00Z');
  for (let i = 0; i < 5; i++) await recordLoginFailure(prisma, 'ann', `192.0.2.${i}`, new Date(start.getTime() + i * 60_000));
  const at = new Date(start.getTime() + 5 * 60_000);
  assert.deepEqual(await checkLoginThrottle(prisma, 'ann', '198.51.100.1', at), { retryAfterSeconds: 600 });
  assert.equal(await checkLoginThrottle(prisma, 'bob', '198.51.100.1', at), null);
  assert.equal(await checkLoginThrottle(prisma, 'ann', '198.51.100.1', new Date(start.getTime() + 15 * 60_000 + 1)), null);
});

test('twenty failures from one address hold every name from it', async (t) => {
  const { prisma } = await withAccountsDatabase(t);
  const at = new Date('2026-12-06T10:00:00Z');
  for (let i = 0; i < 20; i++) await recordLoginFailure(prisma, `user${i}`, '203.0.113.9', at);
  assert.ok(await checkLoginThrottle(prisma, 'someone-else', '203.0.113.9', at));
  assert.equal(await checkLoginThrottle(prisma, 'someone-else', '203.0.113.10', at), null);
});

test('the setup token makes one administrator, once, and none is issued once an account exists', async (t) => {
  const { prisma } = await withAccountsDatabase(t);
  const token = await issueSetupToken(prisma);
  assert.ok(token);
  assert.equal(await isSetupTokenValid(prisma, 'not-the-token'), false);
  assert.deepEqual(await redeemSetupToken(prisma, token, { name: 'root', password: 'root-password' }), { ok: true });
  assert.deepEqual((await listConsoleUsers(prisma)).map((u) => [u.name, u.role]), [['root', 'admin']]);
  const again = await redeemSetupToken(prisma, token, { name: 'eve', password: 'eve-password' });
  assert.equal(again.ok, false);
  assert.equal(await issueSetupToken(prisma), null);
});

test('an expired setup token is refused', async (t) => {
  const { prisma } = await withAccountsDatabase(t);
  const token = (await issueSetupToken(prisma, new Date('2026-12-01T00:00:00Z')))!;
  assert.equal(await isSetupTokenValid(prisma, token, new Date('2026-12-02T00:00:01Z')), false);
});
