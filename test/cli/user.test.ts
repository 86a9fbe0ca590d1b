/**
 * `portcullis user` through the real command: accounts from the shell with passwords read from
 * standard input, as install scripts do, and clear refusals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPortcullis } from '../support/cli.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { signIn } from '../../server/accounts/sign-in.ts';

function dataFolder(t: { after(fn: () => void): void }): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-user-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { PORTCULLIS_DATA: dir };
}

test('user add reads the password from standard input and the account can sign in', async (t) => {
  const env = dataFolder(t);
  const added = await runPortcullis(['user', 'add', 'ann', '--role', 'admin'], env, 'ann-password-1\n');
  assert.equal(added.stderr, '');
  assert.equal(added.stdout, 'portcullis: user: added admin ann\n');
  assert.equal(added.code, 0);
  const prisma = createPrismaClient(env.PORTCULLIS_DATA);
  try {
    const r = await signIn(prisma, env.PORTCULLIS_DATA, { name: 'ann', password: 'ann-password-1', address: '127.0.0.1' });
    assert.equal(r.ok, true);
  } finally {
    await prisma.$disconnect();
  }
});

test('user list shows name, role and state; passwd, role and disable change them', async (t) => {
  const env = dataFolder(t);
  await runPortcullis(['user', 'add', 'ann', '--role', 'admin'], env, 'ann-password-1\n');
  await runPortcullis(['user', 'add', 'bob', '--role', 'auditor'], env, 'bob-password-1\n');
  assert.equal((await runPortcullis(['user', 'role', 'bob', 'admin'], env)).stdout, 'portcullis: user: bob is now admin\n');
  assert.equal((await runPortcullis(['user', 'disable', 'ann'], env)).code, 0);
  assert.equal((await runPortcullis(['user', 'passwd', 'bob'], env, 'bob-password-2\n')).code, 0);
  const list = await runPortcullis(['user', 'list'], env);
  assert.match(list.stdout, /^ann\s+admin\s+disabled\s+last sign-in never$/m);
  assert.match(list.stdout, /^bob\s+admin\s+enabled\s+last sign-in never$/m);
});

test('refusals name the problem and exit non-zero, changing nothing', async (t) => {
  const env = dataFolder(t);
  const cases: Array<[string, string[], string | undefined, RegExp]> = [
    ['short password', ['user', 'add', 'ann', '--role', 'admin'], 'short\n', /user: the password must have at least 10 characters/],
    ['no password at all', ['user', 'add', 'ann', '--role', 'admin'], '', /user: no password given on standard input/],
    ['unknown role', ['user', 'add', 'ann', '--role', 'root'], 'ann-password-1\n', /user: unknown role "root": use admin or auditor/],
    ['missing --role', ['user', 'add', 'ann'], 'ann-password-1\n', /usage: portcullis user add NAME --role/],
    ['unknown user', ['user', 'disable', 'nobody'], undefined, /user: no user "nobody"/],
    ['unknown verb', ['user', 'frobnicate'], undefined, /usage: portcullis user/],
  ];
  for (const [label, args, input, error] of cases) {
    const r = await runPortcullis(args, env, input);
    assert.equal(r.code, 1, label);
    assert.match(r.stderr, error, label);
  }
  assert.match((await runPortcullis(['user', 'list'], env)).stdout, /no console accounts/);
});
