// `portcullis postconf` (server/cli/postconf.ts) against a real SQLite file in a fresh data
// folder. Golden files in fixtures/ were printed by Postfix 3.7.11's postconf for the same
// values (`postconf [-f] NAME...`), so the line format is Postfix's own.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPostconf } from '../../server/cli/postconf.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { PARAMETERS } from '../../server/config/parameters.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import { databasePath } from '../../server/db/data-dir.ts';
import { openTableStore } from '../../server/maps/table-store.ts';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-postconf-'));
  applyMigrations(databasePath(dataDir));
  // EDITS name this table; a change naming a table that is not stored is refused.
  const store = openTableStore(dataDir);
  try {
    const stored = store.replace('/etc/postfix/client_access.cidr', 'cidr', [{ key: '192.0.2.0/24', value: 'REJECT' }], 'test');
    assert.ok(stored.ok);
  } finally {
    store.close();
  }
});

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function postconf(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runPostconf(argv, { dataDir, stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
  return { status, stdout, stderr };
}

function readFixture(name: string): string {
  return fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

async function listRevisions() {
  const prisma = createPrismaClient(dataDir);
  try {
    // The table stored by beforeEach is the test's own revision, not postconf's.
    return await prisma.policyRevision.findMany({ where: { NOT: { actor: 'test' } }, select: { actor: true, summary: true }, orderBy: { id: 'asc' } });
  } finally {
    await prisma.$disconnect();
  }
}

// Printed by Postfix as in the fixtures: extra blanks inside a value collapse to one.
const EDITS = [
  'mydestination = $myhostname, localhost.$mydomain, localhost, example.test',
  'smtpd_helo_required=yes',
  'smtpd_recipient_restrictions=permit_mynetworks, reject_unauth_destination, check_client_access cidr:/etc/postfix/client_access.cidr, reject_rbl_client zen.spamhaus.org, reject_rhsbl_sender dbl.spamhaus.org, permit',
  'smtpd_banner=$myhostname    ESMTP  ready',
];

test('-e stores values silently and -n then shows only the changed ones', async () => {
  assert.deepEqual(await postconf('-e', ...EDITS), { status: 0, stdout: '', stderr: '' });
  assert.deepEqual(await postconf('-n'), { status: 0, stdout: readFixture('postconf-n-changed-only.out'), stderr: '' });
});

test('-f folds long lines at 80 columns with four-space continuation lines', async () => {
  await postconf('-e', ...EDITS);
  const shown = await postconf('-f', 'mydestination', 'parent_domain_matches_subdomains', 'smtpd_banner', 'smtpd_helo_required', 'smtpd_recipient_restrictions');
  assert.deepEqual(shown, { status: 0, stdout: readFixture('postconf-f-folds-long-values.out'), stderr: '' });
});

test('-e with a bad value exits non-zero, names the parameter and changes nothing', async () => {
  await postconf('-e', 'disable_vrfy_command=yes');
  const refused = await postconf('-e', 'smtpd_helo_required=maybe', 'smtpd_timeout=5m');
  assert.deepEqual(refused, {
    status: 1,
    stdout: '',
    stderr: 'postconf: fatal: invalid boolean value "maybe" for parameter smtpd_helo_required: specify yes or no\n',
  });
  assert.equal((await postconf('-n')).stdout, 'disable_vrfy_command = yes\n');
  assert.equal((await listRevisions()).length, 1);
});

test('-e refuses a policy the gateway would not run: unknown restriction, missing table, misplaced step', async () => {
  const refused = await postconf('-e', 'smtpd_client_restrictions=permit_mynetworks, reject_bogus_thing');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /step 2 "reject_bogus_thing": unknown smtpd restriction/);
  const missing = await postconf('-e', 'smtpd_sender_restrictions=check_sender_access hash:sender_access');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no table "sender_access" is stored/);
  const misplaced = await postconf('-e', 'smtpd_delay_reject=no', 'smtpd_client_restrictions=reject_non_fqdn_recipient');
  assert.equal(misplaced.status, 1);
  assert.match(misplaced.stderr, /"reject_non_fqdn_recipient": never decides here/);
  assert.equal((await postconf('-n')).stdout, '');
  assert.equal((await listRevisions()).length, 0);
});

test('-e reports every bad value, one line each', async () => {
  const refused = await postconf('-e', 'reject_code=600', 'smtpd_timeout=-5', 'no_such_parameter=1');
  assert.equal(refused.status, 1);
  assert.deepEqual(refused.stderr.split('\n').filter(Boolean), [
    'postconf: fatal: invalid reply code "600" for parameter reject_code: specify a number from 400 to 599',
    'postconf: fatal: invalid time value "-5" for parameter smtpd_timeout: specify a number with an optional unit s, m, h, d or w (default s)',
    'postconf: fatal: unknown parameter name: no_such_parameter (not a built-in parameter, nor a class in smtpd_restriction_classes)',
  ]);
});

test('-e without = or without a name is a usage error', async () => {
  assert.deepEqual(await postconf('-e', 'smtpd_helo_required'), { status: 1, stdout: '', stderr: 'postconf: fatal: missing \'=\' after attribute name: "smtpd_helo_required"\n' });
  assert.deepEqual(await postconf('-e', '=yes'), { status: 1, stdout: '', stderr: 'postconf: fatal: missing attribute name: "=yes"\n' });
  assert.deepEqual(await postconf('-e'), { status: 1, stdout: '', stderr: 'postconf: fatal: -e requires name=value argument\n' });
});

test('-X reverts a parameter to its default', async () => {
  await postconf('-e', 'smtpd_helo_required=yes', 'disable_vrfy_command=yes');
  assert.deepEqual(await postconf('-X', 'smtpd_helo_required'), { status: 0, stdout: '', stderr: '' });
  assert.equal((await postconf('-n')).stdout, 'disable_vrfy_command = yes\n');
  assert.equal((await postconf('smtpd_helo_required')).stdout, 'smtpd_helo_required = no\n');
});

test('-X with an unknown name exits non-zero', async () => {
  assert.deepEqual(await postconf('-X', 'smtpd_helo_requird'), { status: 1, stdout: '', stderr: 'postconf: fatal: unknown parameter name: smtpd_helo_requird\n' });
});

test('-d prints the default, unexpanded', async () => {
  assert.deepEqual(await postconf('-d', 'smtpd_banner'), { status: 0, stdout: 'smtpd_banner = $myhostname ESMTP $mail_name\n', stderr: '' });
});

test('-d ignores changed values', async () => {
  await postconf('-e', 'smtpd_banner=$myhostname ready');
  assert.equal((await postconf('-d', 'smtpd_banner')).stdout, 'smtpd_banner = $myhostname ESMTP $mail_name\n');
  assert.equal((await postconf('smtpd_banner')).stdout, 'smtpd_banner = $myhostname ready\n');
});

test('-x expands $name references with the current values', async () => {
  await postconf('-e', 'myhostname=mx.example.test');
  assert.equal((await postconf('-x', 'smtpd_banner', 'mydestination')).stdout,
    'smtpd_banner = mx.example.test ESMTP Postfix\nmydestination = mx.example.test, localhost.example.test, localhost\n');
});

test('-h prints values only and -H names only', async () => {
  assert.equal((await postconf('-h', 'smtpd_delay_reject', 'relay_domains')).stdout, 'yes\n\n');
  assert.equal((await postconf('-H', 'smtpd_delay_reject', 'relay_domains')).stdout, 'smtpd_delay_reject\nrelay_domains\n');
});

test('an empty value prints as "name =" without a trailing blank', async () => {
  assert.equal((await postconf('relay_domains')).stdout, 'relay_domains =\n');
});

test('setting a value equal to the default leaves -n empty', async () => {
  await postconf('-e', 'smtpd_delay_reject=no');
  await postconf('-e', 'smtpd_delay_reject=yes');
  await postconf('-e', 'smtpd_banner=$myhostname ESMTP $mail_name');
  assert.deepEqual(await postconf('-n'), { status: 0, stdout: '', stderr: '' });
});

test('each change writes one PolicyRevision with the command and the user who ran it', async () => {
  await postconf('-e', 'smtpd_helo_required=yes');
  await postconf('-e', 'smtpd_helo_required=yes');
  await postconf('-X', 'smtpd_helo_required');
  const actor = `cli:${os.userInfo().username}`;
  assert.deepEqual(await listRevisions(), [
    { actor, summary: 'postconf -e smtpd_helo_required=yes' },
    { actor, summary: 'postconf -X smtpd_helo_required' },
  ]);
});

test('without names, every parameter is printed once, sorted by name', async () => {
  const shown = await postconf();
  const names = shown.stdout.split('\n').filter(Boolean).map((l) => l.split(' = ')[0].replace(/ =$/, ''));
  assert.equal(names.length, PARAMETERS.length);
  assert.deepEqual(names, [...names].sort());
});

test('an unknown name is a warning: the other names are still printed and the status is 0', async () => {
  assert.deepEqual(await postconf('no_such_parameter', 'smtpd_delay_reject'), {
    status: 0,
    stdout: 'smtpd_delay_reject = yes\n',
    stderr: 'postconf: warning: no_such_parameter: unknown parameter\n',
  });
});

test('restriction classes are parameters once declared', async () => {
  assert.equal((await postconf('-e', 'smtpd_restriction_classes=strict_class', 'strict_class=reject_unknown_sender_domain, reject')).status, 0);
  assert.equal((await postconf('strict_class')).stdout, 'strict_class = reject_unknown_sender_domain, reject\n');
});

test('an unknown option prints the usage and exits 1', async () => {
  const shown = await postconf('-Q');
  assert.equal(shown.status, 1);
  assert.match(shown.stderr, /^postconf: invalid option -- 'Q'\npostconf: fatal: usage: postconf \[-d \(parameter defaults\)\]/);
});

test('options postconf refuses together are refused the same way', async () => {
  assert.deepEqual(await postconf('-n', '-d'), { status: 1, stdout: '', stderr: 'postconf: fatal: specify one of -d -n\n' });
  assert.deepEqual(await postconf('-X', '-e', 'a=b'), { status: 1, stdout: '', stderr: 'postconf: fatal: specify one of -e -X\n' });
  assert.deepEqual(await postconf('-hH'), { status: 1, stdout: '', stderr: 'postconf: fatal: specify one of -h -H\n' });
});
