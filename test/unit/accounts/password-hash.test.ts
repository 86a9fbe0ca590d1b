/** Console password hashes (server/accounts/password-hash.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNewPassword, hashPassword, verifyPassword } from '../../../server/accounts/password-hash.ts';

test('a hash verifies its own password and no other, and never contains the password', async () => {
  const stored = await hashPassword('correct horse battery');
  assert.match(stored, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.ok(!stored.includes('correct horse'));
  assert.equal(await verifyPassword('correct horse battery', stored), true);
  assert.equal(await verifyPassword('correct horse batterY', stored), false);
});

test('two hashes of one password differ (salted)', async () => {
  assert.notEqual(await hashPassword('same password'), await hashPassword('same password'));
});

test('a stored value of another scheme never verifies', async () => {
  assert.equal(await verifyPassword('x', 'plain$x'), false);
  assert.equal(await verifyPassword('', ''), false);
});

test('new passwords need 10 to 1024 characters', () => {
  assert.match(checkNewPassword('short') ?? '', /at least 10 characters/);
  assert.equal(checkNewPassword('long enough'), null);
  assert.match(checkNewPassword('x'.repeat(1025)) ?? '', /at most 1024/);
});
