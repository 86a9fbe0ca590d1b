/**
 * `portcullis import`, `portcullis export` and `portcullis postmap` on stored tables, run as the
 * administrator runs them: bin/portcullis.js as a process, on a fresh data folder (real SQLite
 * file), reading main.cf files and tables from fixtures/import/ or written by the test. One
 * test starts a real gateway and asks it over SMTP whether it took the imported policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SmtpClient } from '../support/smtp-client.ts';
import { startDnsServer } from '../support/dns-server.ts';
import { ZONE } from '../support/gateway.ts';
import { BIN, runPortcullis } from '../support/cli.ts';

const SITE = fileURLToPath(new URL('./fixtures/import/site', import.meta.url));

type Run = { code: number | null; stdout: string; stderr: string };

function portcullis(dataDir: string, ...args: string[]): Promise<Run> {
  return runPortcullis(args, { PORTCULLIS_DATA: dataDir });
}

// A temporary folder removed after the test.
function tempDir(t: { after(fn: () => void): void }, label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `portcullis-${label}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

function countRevisions(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'portcullis.db'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM policy_revision').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

// What `postconf -n` prints after importing fixtures/import/site/main.cf.
const SITE_POSTCONF_N = [
  'disable_vrfy_command = yes',
  'dns_resolvers = 127.0.0.1:5353',
  'header_checks = regexp:header_checks',
  'mydestination = $myhostname, localhost',
  'myhostname = mx.example.com',
  'relayhost = [127.0.0.1]:2526',
  'smtpd_client_restrictions = check_client_access cidr:client_access.cidr, permit',
  'smtpd_helo_restrictions = check_helo_access texthash:helo_access',
  'smtpd_recipient_restrictions = permit_mynetworks, check_recipient_access regexp:recipient_access.regexp, '
    + 'check_recipient_access proxy:pcre:recipient_access.pcre, reject_unauth_destination',
  'smtpd_sender_restrictions = check_sender_access hash:sender_access',
  '',
].join('\n');

test('import stores a main.cf and every table it names, with $config_directory meaning the file\'s folder', async (t) => {
  const data = tempDir(t, 'import');
  const r = await portcullis(data, 'import', path.join(SITE, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n'), [
    `portcullis: import ${SITE}/main.cf: 10 parameters (2 more equal their defaults: no row), 6 tables`,
    `portcullis: table client_access.cidr: cidr, 2 entries, from ${SITE}/client_access.cidr`,
    `portcullis: table helo_access: exact, 1 entry, from ${SITE}/helo_access`,
    `portcullis: table sender_access: exact, 3 entries, from ${SITE}/sender_access`,
    `portcullis: table recipient_access.regexp: regexp, 1 entry, from ${SITE}/recipient_access.regexp`,
    `portcullis: table recipient_access.pcre: pcre, 1 entry, from ${SITE}/recipient_access.pcre`,
    `portcullis: table header_checks: regexp, 2 entries, from ${SITE}/header_checks`,
    'portcullis: stored as configuration revision 1',
    'portcullis: the gateway is not running; it takes the stored policy when it starts',
    '',
  ]);
  assert.equal((await portcullis(data, 'postconf', '-n')).stdout, SITE_POSTCONF_N);
  assert.equal(countRevisions(data), 1, 'parameters and tables are one revision');
});

test('parameters Portcullis does not have are listed as unused and not stored', async (t) => {
  const data = tempDir(t, 'import');
  const r = await portcullis(data, 'import', path.join(SITE, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, [
    `portcullis: warning: ${SITE}/main.cf, line 5: unused parameter: queue_directory=/var/spool/postfix (Portcullis does not implement it; not imported)`,
    `portcullis: warning: ${SITE}/main.cf, line 6: unused parameter: data_directory=/var/lib/postfix (Portcullis does not implement it; not imported)`,
    '',
  ].join('\n'));
  const shown = await portcullis(data, 'postconf', 'queue_directory');
  assert.equal(shown.stderr, 'postconf: warning: queue_directory: unknown parameter\n');
});

test('postmap -q and -s answer from a stored table as postmap answers from its file', async (t) => {
  const data = tempDir(t, 'import');
  assert.equal((await portcullis(data, 'import', path.join(SITE, 'main.cf'))).code, 0);
  assert.deepEqual(await portcullis(data, 'postmap', '-q', 'Spammer@Example.com', 'hash:sender_access'), { code: 0, stdout: 'REJECT\n', stderr: '' });
  assert.deepEqual(await portcullis(data, 'postmap', '-q', 'mixed.case.example', 'sender_access'), { code: 0, stdout: 'REJECT   spaced   value\n', stderr: '' });
  assert.deepEqual(await portcullis(data, 'postmap', '-q', '192.0.2.77', 'cidr:client_access.cidr'), { code: 0, stdout: 'REJECT test network\n', stderr: '' });
  assert.deepEqual(await portcullis(data, 'postmap', '-q', 'X-Spam: yes', 'regexp:header_checks'), { code: 0, stdout: 'IGNORE\n', stderr: '' });
  assert.deepEqual(await portcullis(data, 'postmap', '-q', 'nobody@example.org', 'hash:sender_access'), { code: 1, stdout: '', stderr: '' });
  assert.deepEqual(await portcullis(data, 'postmap', '-s', 'hash:sender_access'), {
    code: 0, stdout: 'spammer@example.com\tREJECT\nexample.net\tOK\nmixed.case.example\tREJECT   spaced   value\n', stderr: '',
  });
  assert.deepEqual(await portcullis(data, 'postmap', '-q', 'x', 'hash:no_such_table'), {
    code: 1, stdout: '', stderr: 'postmap: fatal: open no_such_table: No such file or directory\n',
  });
});

test('import and export without their one argument print their usage and exit 1', async (t) => {
  const data = tempDir(t, 'import');
  assert.deepEqual(await portcullis(data, 'import', '--replace'), { code: 1, stdout: '', stderr: 'portcullis: fatal: usage: portcullis import [--replace] FILE\n' });
  assert.deepEqual(await portcullis(data, 'import', '-n', 'main.cf'), {
    code: 1, stdout: '', stderr: 'portcullis: fatal: import: unknown option "-n"\nusage: portcullis import [--replace] FILE\n',
  });
  assert.deepEqual(await portcullis(data, 'export'), { code: 1, stdout: '', stderr: 'portcullis: fatal: usage: portcullis export DIR\n' });
});

test('a bad line in main.cf refuses the import with its line number', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  writeFiles(dir, { 'main.cf': 'myhostname = mx.example.com\nsmtpd_helo_required\n= yes\n' });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 1);
  assert.equal(r.stderr, [
    `portcullis: fatal: ${dir}/main.cf, line 2: missing '=' after attribute name: "smtpd_helo_required"`,
    `portcullis: fatal: ${dir}/main.cf, line 3: missing attribute name: "= yes"`,
    `portcullis: fatal: import ${dir}/main.cf: refused; the stored policy is unchanged`,
    '',
  ].join('\n'));
});

test('an invalid value refuses the import, names file, line and reason, and the stored policy stays', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  assert.equal((await portcullis(data, 'postconf', '-e', 'smtpd_banner=$myhostname ESMTP ready')).code, 0);
  writeFiles(dir, {
    'main.cf': 'smtpd_client_restrictions = check_client_access hash:$config_directory/access\nsmtpd_helo_required = maybe\nsmtpd_timeout = -5\n',
    access: '192.0.2.1 REJECT\n',
  });
  const r = await portcullis(data, 'import', '--replace', path.join(dir, 'main.cf'));
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, [
    `portcullis: fatal: ${dir}/main.cf, line 2: invalid boolean value "maybe" for parameter smtpd_helo_required: specify yes or no`,
    `portcullis: fatal: ${dir}/main.cf, line 3: invalid time value "-5" for parameter smtpd_timeout: specify a number with an optional unit s, m, h, d or w (default s)`,
    `portcullis: fatal: import ${dir}/main.cf: refused; the stored policy is unchanged`,
    '',
  ].join('\n'));
  assert.equal((await portcullis(data, 'postconf', '-n')).stdout, 'smtpd_banner = $myhostname ESMTP ready\n');
  assert.equal(countRevisions(data), 1);
  assert.equal((await portcullis(data, 'postmap', '-q', '192.0.2.1', 'hash:access')).code, 1, 'no table was stored');
});

test('an unknown restriction name is refused with the reason', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  writeFiles(dir, { 'main.cf': 'smtpd_recipient_restrictions = permit_mynetworks, reject_unknown_sender_domian, reject_unauth_destination\n' });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^portcullis: fatal: ${dir}/main\\.cf, line 1: in parameter smtpd_recipient_restrictions, step 2 "reject_unknown_sender_domian": unknown smtpd restriction`, 'm'));
  assert.equal(countRevisions(data), 0);
});

test('a restriction in a stage where it never sees its data is refused', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  writeFiles(dir, { 'main.cf': 'smtpd_delay_reject = no\nsmtpd_client_restrictions = reject_non_fqdn_recipient\n' });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^portcullis: fatal: ${dir}/main\\.cf, line 2: in parameter smtpd_client_restrictions, step 1 "reject_non_fqdn_recipient": never decides here`, 'm'));
  assert.equal(countRevisions(data), 0);
});

test('a table whose source file is missing is refused, also when only the .db is there', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  writeFiles(dir, {
    'main.cf': 'smtpd_sender_restrictions = check_sender_access hash:$config_directory/sender_access\nheader_checks = pcre:/nonexistent/header_checks\n',
    'sender_access.db': 'binary',
  });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 1);
  assert.equal(r.stderr, [
    `portcullis: fatal: ${dir}/main.cf, line 1: smtpd_sender_restrictions: hash:${dir}/sender_access: open ${dir}/sender_access: No such file or directory `
      + `(only ${dir}/sender_access.db is there: Portcullis reads the source file that postmap built it from)`,
    `portcullis: fatal: ${dir}/main.cf, line 2: header_checks: pcre:/nonexistent/header_checks: open /nonexistent/header_checks: No such file or directory`,
    `portcullis: fatal: import ${dir}/main.cf: refused; the stored policy is unchanged`,
    '',
  ].join('\n'));
  assert.equal(countRevisions(data), 0);
});

test('restriction classes the file declares are stored with the tables they name', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  writeFiles(dir, {
    'main.cf': 'smtpd_restriction_classes = strict_senders\nstrict_senders = check_sender_access hash:$config_directory/strict, reject\n'
      + 'smtpd_recipient_restrictions = check_recipient_access hash:$config_directory/recipients, reject_unauth_destination\n',
    strict: 'friend@example.com OK\n',
    recipients: 'locked@example.com strict_senders\n',
  });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal((await portcullis(data, 'postconf', '-n')).stdout, [
    'smtpd_recipient_restrictions = check_recipient_access hash:recipients, reject_unauth_destination',
    'smtpd_restriction_classes = strict_senders',
    'strict_senders = check_sender_access hash:strict, reject',
    '',
  ].join('\n'));
});

test('two tables with the same file name are stored under different names', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  const elsewhere = tempDir(t, 'elsewhere');
  writeFiles(dir, {
    'main.cf': `smtpd_client_restrictions = check_client_access hash:$config_directory/access, check_client_access hash:${elsewhere}/access\n`
      + 'smtpd_sender_restrictions = check_sender_access hash:$config_directory/sasl/access\n',
    access: '192.0.2.1 REJECT here\n',
    'sasl/access': 'user@example.com OK\n',
  });
  writeFiles(elsewhere, { access: '192.0.2.2 REJECT elsewhere\n' });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await portcullis(data, 'postconf', '-h', 'smtpd_client_restrictions', 'smtpd_sender_restrictions')).stdout,
    'check_client_access hash:access, check_client_access hash:access-2\ncheck_sender_access hash:sasl/access\n');
  assert.equal((await portcullis(data, 'postmap', '-q', '192.0.2.2', 'hash:access-2')).stdout, 'REJECT elsewhere\n');
});

test('--replace removes the parameters and tables the file does not have', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  assert.equal((await portcullis(data, 'import', path.join(SITE, 'main.cf'))).code, 0);
  writeFiles(dir, { 'main.cf': 'myhostname = mx2.example.com\nheader_checks = regexp:$config_directory/header_checks\n', header_checks: '/^Subject: free/ DISCARD\n' });
  const r = await portcullis(data, 'import', '--replace', path.join(dir, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^portcullis: removed parameters: disable_vrfy_command dns_resolvers mydestination relayhost smtpd_client_restrictions smtpd_helo_restrictions smtpd_recipient_restrictions smtpd_sender_restrictions$/m);
  assert.match(r.stdout, /^portcullis: removed tables: client_access\.cidr helo_access recipient_access\.pcre recipient_access\.regexp sender_access$/m);
  assert.equal((await portcullis(data, 'postconf', '-n')).stdout, 'header_checks = regexp:header_checks\nmyhostname = mx2.example.com\n');
  assert.equal((await portcullis(data, 'postmap', '-q', 'Subject: free', 'regexp:header_checks')).stdout, 'DISCARD\n');
  assert.equal((await portcullis(data, 'postmap', '-q', 'spammer@example.com', 'hash:sender_access')).code, 1);
  assert.equal(countRevisions(data), 2);
});

test('without --replace the file is merged in: its parameters and tables replace those of the same name', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  assert.equal((await portcullis(data, 'import', path.join(SITE, 'main.cf'))).code, 0);
  writeFiles(dir, {
    'main.cf': 'disable_vrfy_command = no\nmyhostname = mx2.example.com\n'
      + 'smtpd_sender_restrictions = check_sender_access hash:$config_directory/sender_access, reject_non_fqdn_sender\n',
    sender_access: 'other@example.com REJECT merged\n',
  });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  const shown = (await portcullis(data, 'postconf', '-n')).stdout;
  assert.equal(shown, SITE_POSTCONF_N
    .replace('disable_vrfy_command = yes\n', '')
    .replace('myhostname = mx.example.com', 'myhostname = mx2.example.com')
    .replace('check_sender_access hash:sender_access', 'check_sender_access hash:sender_access, reject_non_fqdn_sender'));
  assert.equal((await portcullis(data, 'postmap', '-q', 'other@example.com', 'hash:sender_access')).stdout, 'REJECT merged\n');
  assert.equal((await portcullis(data, 'postmap', '-q', 'spammer@example.com', 'hash:sender_access')).code, 1, 'the table was replaced whole');
  assert.equal((await portcullis(data, 'postmap', '-q', 'bad.helo.example', 'texthash:helo_access')).stdout, 'REJECT forged HELO\n', 'other tables stay');
});

test('export writes main.cf and table sources that import --replace reads back into the same policy', async (t) => {
  const first = tempDir(t, 'import');
  const second = tempDir(t, 'import');
  const out = path.join(tempDir(t, 'export'), 'postfix');
  const again = path.join(tempDir(t, 'export'), 'postfix');
  assert.equal((await portcullis(first, 'import', path.join(SITE, 'main.cf'))).code, 0);
  const exported = await portcullis(first, 'export', out);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(fs.readFileSync(path.join(out, 'main.cf'), 'utf8'), /^smtpd_sender_restrictions = check_sender_access hash:\$config_directory\/sender_access$/m);
  assert.equal(fs.readFileSync(path.join(out, 'sender_access'), 'utf8'), 'spammer@example.com\tREJECT\nexample.net\tOK\nMixed.Case.Example\tREJECT   spaced   value\n');
  assert.equal(fs.readFileSync(path.join(out, 'header_checks'), 'utf8'), '/^Subject: .*lottery/ REJECT\n/^X-Spam:/ IGNORE\n');

  const imported = await portcullis(second, 'import', '--replace', path.join(out, 'main.cf'));
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.stderr, '');
  assert.equal((await portcullis(second, 'postconf', '-n')).stdout, (await portcullis(first, 'postconf', '-n')).stdout);
  assert.equal((await portcullis(second, 'export', again)).code, 0);
  const files = fs.readdirSync(out).sort();
  assert.deepEqual(fs.readdirSync(again).sort(), files);
  for (const f of files) assert.equal(fs.readFileSync(path.join(again, f), 'utf8'), fs.readFileSync(path.join(out, f), 'utf8'), f);
});

test('export writes nothing when a file it would write exists', async (t) => {
  const data = tempDir(t, 'import');
  const out = tempDir(t, 'export');
  assert.equal((await portcullis(data, 'import', path.join(SITE, 'main.cf'))).code, 0);
  writeFiles(out, { header_checks: 'keep me\n' });
  const r = await portcullis(data, 'export', out);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `portcullis: fatal: export: ${out}/header_checks exists; export writes into a new folder, or one without these files\n`);
  assert.deepEqual(fs.readdirSync(out), ['header_checks']);
  assert.equal(fs.readFileSync(path.join(out, 'header_checks'), 'utf8'), 'keep me\n');
});

test('unsupported map types stay as written with a warning, and are refused where the gateway must open them', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  writeFiles(dir, { 'main.cf': 'alias_maps = ldap:$config_directory/ldap-aliases.cf\n' });
  const kept = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(kept.code, 0, kept.stderr);
  assert.equal(kept.stderr, `portcullis: warning: ${dir}/main.cf, line 1: alias_maps: ldap:${dir}/ldap-aliases.cf: map type ldap is not supported by Portcullis; kept as written\n`);
  assert.equal((await portcullis(data, 'postconf', '-n')).stdout, `alias_maps = ldap:${dir}/ldap-aliases.cf\n`);

  writeFiles(dir, { 'main.cf': 'smtpd_sender_restrictions = check_sender_access mysql:$config_directory/senders.cf\n' });
  const refused = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`^portcullis: fatal: ${dir}/main\\.cf, line 1: in parameter smtpd_sender_restrictions, step 1 "check_sender_access": unsupported dictionary type: mysql$`, 'm'));
});

test('a /file/name item of mynetworks is replaced by the patterns in the file', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  writeFiles(dir, { 'main.cf': 'mynetworks = 127.0.0.0/8, $config_directory/networks\n', networks: '# ours\n192.0.2.0/24 198.51.100.0/24\n[2001:db8::]/32\n' });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, `portcullis: warning: ${dir}/main.cf, line 1: mynetworks: the 3 patterns of ${dir}/networks are written into the value (Postfix reads them from the file)\n`);
  assert.equal((await portcullis(data, 'postconf', '-n')).stdout, 'mynetworks = 127.0.0.0/8, 192.0.2.0/24 198.51.100.0/24 [2001:db8::]/32\n');
});

test('a helper parameter the file defines is written into the values that use it', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  writeFiles(dir, {
    'main.cf': 'my_access = hash:$config_directory/access\nsmtpd_client_restrictions = check_client_access $my_access\n',
    access: '192.0.2.1 REJECT\n',
  });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, [
    `portcullis: warning: ${dir}/main.cf, line 1: unused parameter: my_access=hash:$config_directory/access (Portcullis does not implement it; not imported)`,
    `portcullis: warning: ${dir}/main.cf, line 2: smtpd_client_restrictions: $my_access replaced by its value in ${dir}/main.cf: my_access is not stored`,
    '',
  ].join('\n'));
  assert.equal((await portcullis(data, 'postconf', '-n')).stdout, 'smtpd_client_restrictions = check_client_access hash:access\n');
});

test('a running gateway takes the imported policy at once and answers SMTP with it', async (t) => {
  const data = tempDir(t, 'import');
  const dir = tempDir(t, 'site');
  const dns = await startDnsServer({ zone: ZONE });
  t.after(() => dns.stop());
  assert.equal((await portcullis(data, 'postconf', '-e', `dns_resolvers=${dns.server}`)).code, 0);
  const gateway = spawn(process.execPath, [BIN, 'start', '--no-console', '--smtp', '127.0.0.1:0'], { env: { ...process.env, PORTCULLIS_DATA: data } });
  t.after(() => { if (gateway.exitCode === null) process.kill(gateway.pid!, 'SIGKILL'); });
  let out = '';
  gateway.stdout.on('data', (d) => (out += d));
  gateway.stderr.on('data', (d) => (out += d));
  for (let i = 0; i < 300 && !/SMTP\s+127\.0\.0\.1:\d+/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
  const port = Number(/SMTP\s+127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
  assert.ok(port > 0, out);

  writeFiles(dir, {
    'main.cf': `dns_resolvers = ${dns.server}\nsmtpd_client_restrictions = check_client_access cidr:$config_directory/clients.cidr\n`,
    'clients.cidr': '127.0.0.1/32 REJECT imported policy\n',
  });
  const r = await portcullis(data, 'import', path.join(dir, 'main.cf'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^portcullis: stored as configuration revision 2\nportcullis: reload: running configuration revision 2\n$/m);

  const c = await SmtpClient.connect(port);
  t.after(() => c.close());
  assert.equal((await c.read())!.code, 220);
  assert.equal((await c.command('EHLO client.example.org')).code, 250);
  assert.equal((await c.command('MAIL FROM:<a@example.org>')).code, 250);
  const rcpt = await c.command('RCPT TO:<someone@example.net>');
  assert.equal(`${rcpt.code} ${rcpt.enh} ${rcpt.text}`, '554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: imported policy');

  process.kill(gateway.pid!, 'SIGTERM');
  assert.equal(await new Promise((resolve) => gateway.on('close', resolve)), 0);
});
