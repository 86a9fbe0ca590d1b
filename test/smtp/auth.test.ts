/**
 * SMTP AUTH through real sockets against the test Dovecot auth server
 * (test/support/dovecot-auth-server.ts), with smtpd_sasl_type = dovecot: what EHLO offers,
 * Postfix's AUTH replies (spec/protocol.md §3, appendix-observed.md "SASL and TLS"), the
 * login's effect on relaying, logging and Received:, and a backend that goes away.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readQueueFile, queueFilePath } from '../../server/queue/index.ts';
import { buildReceivedHeader } from '../../server/cleanup/received-header.ts';
import { SmtpClient, dataWire, type SmtpReply } from '../support/smtp-client.ts';
import { makeCertificate } from '../support/tls-certificate.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startDovecotAuthServer, type DovecotAuthServer, type DovecotAuthServerOptions } from '../support/dovecot-auth-server.ts';

const brief = (r: SmtpReply) => `${r.code}${r.enh ? ' ' + r.enh : ''} ${r.text}`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const ALICE = b64('\0alice\0secret');
const WRONG = b64('\0alice\0wrong');

interface Rig {
  gw: TestGateway;
  auth: DovecotAuthServer;
}

async function startRig(t: { after(fn: () => unknown): void }, parameters: Record<string, string> = {}, authOptions: DovecotAuthServerOptions = {}): Promise<Rig> {
  const auth = await startDovecotAuthServer(authOptions);
  t.after(() => auth.stop());
  const gw = await startTestGateway({
    smtpd_sasl_auth_enable: 'yes', smtpd_sasl_type: 'dovecot', smtpd_sasl_path: auth.saslPath, ...parameters,
  });
  t.after(() => gw.stop());
  return { gw, auth };
}

async function open(gw: TestGateway, ehlo: string | null = 'client.example.org'): Promise<SmtpClient> {
  const c = await SmtpClient.connect(gw.port);
  assert.equal((await c.read())!.code, 220);
  if (ehlo) assert.equal((await c.command(`EHLO ${ehlo}`)).code, 250);
  return c;
}

/** Expect each command's reply, in order. */
async function dialogue(c: SmtpClient, steps: Array<[string, string]>): Promise<void> {
  for (const [cmd, want] of steps) assert.equal(brief(await c.command(cmd)), want, cmd);
}

function maillog(gw: TestGateway): string {
  return fs.readFileSync(path.join(gw.dataDir, 'log', 'maillog'), 'utf8');
}

test('EHLO offers AUTH PLAIN LOGIN after STARTTLS and before XCLIENT and ENHANCEDSTATUSCODES', async (t) => {
  const pem = makeCertificate();
  t.after(() => fs.rmSync(pem.dir, { recursive: true, force: true }));
  const { gw } = await startRig(t, {
    smtpd_tls_security_level: 'may', smtpd_tls_cert_file: pem.cert, smtpd_tls_key_file: pem.key, smtpd_authorized_xclient_hosts: '127.0.0.1',
  });
  const c = await open(gw, null);
  const keywords = (await c.command('EHLO client.example.org')).text.split('\n');
  const at = (k: string) => keywords.findIndex((l) => l === k || l.startsWith(k + ' '));
  assert.equal(keywords[at('AUTH')], 'AUTH PLAIN LOGIN');
  assert.deepEqual([at('STARTTLS') + 1, at('AUTH') + 1], [at('AUTH'), at('XCLIENT')]);
  assert.equal(at('XCLIENT') + 1, at('ENHANCEDSTATUSCODES'));
  c.close();
});

test('AUTH PLAIN: bad, good, again (535 with (reason unavailable), 235, 503), as observed', async (t) => {
  const { gw } = await startRig(t);
  const c = await open(gw);
  await dialogue(c, [
    [`AUTH PLAIN ${WRONG}`, '535 5.7.8 Error: authentication failed: (reason unavailable)'],
    [`AUTH PLAIN ${ALICE}`, '235 2.7.0 Authentication successful'],
    [`AUTH PLAIN ${ALICE}`, '503 5.5.1 Error: already authenticated'],
  ]);
  assert.equal(brief(await c.command('QUIT')), '221 2.0.0 Bye');
  await c.waitClosed();
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(gw.logLines().includes('warning: localhost[127.0.0.1]: SASL PLAIN authentication failed: (reason unavailable)'), gw.logLines().join('\n'));
  assert.ok(gw.logLines().some((l) => l.startsWith('disconnect from localhost[127.0.0.1] ehlo=1 auth=1/3 quit=1')), gw.logLines().join('\n'));
});

test('a reason from the server is shown in the 535 reply and the warning', async (t) => {
  const { gw } = await startRig(t, {}, { failReason: 'Password expired' });
  const c = await open(gw);
  await dialogue(c, [[`AUTH PLAIN ${WRONG}`, '535 5.7.8 Error: authentication failed: Password expired']]);
  assert.ok(gw.logLines().includes('warning: localhost[127.0.0.1]: SASL PLAIN authentication failed: Password expired'));
  c.close();
});

test('AUTH LOGIN asks Username: and Password: with 334 challenges', async (t) => {
  const { gw } = await startRig(t);
  const c = await open(gw);
  await dialogue(c, [
    ['AUTH LOGIN', '334 VXNlcm5hbWU6'],
    [b64('bob'), '334 UGFzc3dvcmQ6'],
    [b64('hunter2'), '235 2.7.0 Authentication successful'],
  ]);
  c.close();
});

test('AUTH PLAIN without an initial response gets an empty challenge; `=` is an empty initial response', async (t) => {
  const { gw, auth } = await startRig(t);
  const c = await open(gw);
  const challenge = await c.command('AUTH PLAIN');
  assert.deepEqual([challenge.code, challenge.text], [334, '']);
  await dialogue(c, [
    [ALICE, '235 2.7.0 Authentication successful'],
  ]);
  const d = await open(gw);
  assert.equal((await d.command('AUTH PLAIN =')).code, 334, 'an empty PLAIN response asks again');
  await dialogue(d, [[b64('\0bob\0hunter2'), '235 2.7.0 Authentication successful']]);
  assert.deepEqual(auth.requests.map((r) => r.hadResponse), [false, true]);
  c.close();
  d.close();
});

test('the client cancels with `*`: 501 5.7.0 Authentication aborted, logged, no login', async (t) => {
  const { gw } = await startRig(t);
  const c = await open(gw);
  await dialogue(c, [
    ['AUTH LOGIN', '334 VXNlcm5hbWU6'],
    ['*', '501 5.7.0 Authentication aborted'],
    [`AUTH PLAIN ${ALICE}`, '235 2.7.0 Authentication successful'],
  ]);
  assert.ok(gw.logLines().includes('warning: localhost[127.0.0.1]: SASL LOGIN authentication aborted'));
  c.close();
});

test('AUTH sequence and syntax errors answer as Postfix does', async (t) => {
  const { gw } = await startRig(t);
  const c = await open(gw, null);
  await dialogue(c, [
    [`AUTH PLAIN ${ALICE}`, '503 5.5.1 Error: send HELO/EHLO first'],
    ['EHLO client.example.org', '250 mx.example.test\nPIPELINING\nSIZE 10240000\nVRFY\nETRN\nAUTH PLAIN LOGIN\nENHANCEDSTATUSCODES\n8BITMIME\nDSN\nSMTPUTF8'],
    ['AUTH', '501 5.5.4 Syntax: AUTH mechanism'],
    [`AUTH PLAIN ${ALICE} extra`, '501 5.5.4 Syntax: AUTH mechanism'],
    ['AUTH CRAM-MD5', '535 5.7.8 Error: authentication failed: Invalid authentication mechanism'],
    ['AUTH PLAIN not-base64!', '535 5.7.8 Error: authentication failed: Invalid base64 data in initial response'],
    ['MAIL FROM:<a@example.org>', '250 2.1.0 Ok'],
    [`AUTH PLAIN ${ALICE}`, '503 5.5.1 Error: MAIL transaction in progress'],
  ]);
  c.close();
});

test('smtpd_tls_auth_only: no AUTH before STARTTLS (503), offered and accepted after it, marked secured', async (t) => {
  const pem = makeCertificate();
  t.after(() => fs.rmSync(pem.dir, { recursive: true, force: true }));
  const { gw, auth } = await startRig(t, {
    smtpd_tls_security_level: 'may', smtpd_tls_cert_file: pem.cert, smtpd_tls_key_file: pem.key, smtpd_tls_auth_only: 'yes',
  });
  const c = await open(gw, null);
  const before = (await c.command('EHLO client.example.org')).text.split('\n');
  assert.ok(before.includes('STARTTLS') && !before.some((k) => k.startsWith('AUTH')));
  await dialogue(c, [
    [`AUTH PLAIN ${ALICE}`, '503 5.5.1 Error: authentication not enabled'],
    ['STARTTLS x', '501 5.5.4 Syntax: STARTTLS'],
    ['STARTTLS', '220 2.0.0 Ready to start TLS'],
  ]);
  await c.startTls('mx.example.test');
  const after = (await c.command('EHLO client.example.org')).text.split('\n');
  assert.ok(after.includes('AUTH PLAIN LOGIN') && !after.includes('STARTTLS'));
  await dialogue(c, [
    [`AUTH PLAIN ${ALICE}`, '235 2.7.0 Authentication successful'],
    ['STARTTLS', '554 5.5.1 Error: TLS already active'],
  ]);
  assert.equal(auth.requests[0].params.secured, true);
  c.close();
});

test('smtpd_sasl_tls_security_options replaces smtpd_sasl_security_options once TLS is active', async (t) => {
  const pem = makeCertificate();
  t.after(() => fs.rmSync(pem.dir, { recursive: true, force: true }));
  const { gw } = await startRig(t, {
    smtpd_tls_security_level: 'may', smtpd_tls_cert_file: pem.cert, smtpd_tls_key_file: pem.key,
    smtpd_sasl_security_options: 'noanonymous, noplaintext', smtpd_sasl_tls_security_options: 'noanonymous',
  });
  const c = await open(gw, null);
  assert.ok(!(await c.command('EHLO client.example.org')).text.includes('AUTH'), 'no mechanism survives noplaintext');
  await dialogue(c, [
    [`AUTH PLAIN ${ALICE}`, '535 5.7.8 Error: authentication failed: Invalid authentication mechanism'],
    ['STARTTLS', '220 2.0.0 Ready to start TLS'],
  ]);
  await c.startTls('mx.example.test');
  assert.ok((await c.command('EHLO client.example.org')).text.split('\n').includes('AUTH PLAIN LOGIN'));
  c.close();
});

test('broken_sasl_auth_clients adds AUTH=; smtpd_sasl_exceptions_networks hides AUTH but AUTH still works', async (t) => {
  const broken = await startRig(t, { broken_sasl_auth_clients: 'yes' });
  const c = await open(broken.gw, null);
  const keywords = (await c.command('EHLO client.example.org')).text.split('\n');
  assert.deepEqual(keywords.filter((k) => k.startsWith('AUTH')), ['AUTH PLAIN LOGIN', 'AUTH=PLAIN LOGIN']);
  c.close();
  const excepted = await startRig(t, { smtpd_sasl_exceptions_networks: '127.0.0.0/8' });
  const d = await open(excepted.gw, null);
  assert.ok(!(await d.command('EHLO client.example.org')).text.includes('AUTH'));
  await dialogue(d, [[`AUTH PLAIN ${ALICE}`, '235 2.7.0 Authentication successful']]);
  d.close();
});

test('permit_sasl_authenticated: a logged-in stranger relays, the same stranger without a login does not', async (t) => {
  const { gw, auth } = await startRig(t, { smtpd_authorized_xclient_hosts: '127.0.0.1' });
  const c = await open(gw);
  await dialogue(c, [
    ['XCLIENT ADDR=198.51.100.7 NAME=client.example.org', '220 mx.example.test ESMTP Postfix'],
    ['EHLO stranger.example.org', '250 mx.example.test\nPIPELINING\nSIZE 10240000\nVRFY\nETRN\nAUTH PLAIN LOGIN\nXCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT\nENHANCEDSTATUSCODES\n8BITMIME\nDSN\nSMTPUTF8'],
    ['MAIL FROM:<alice@example.test>', '250 2.1.0 Ok'],
    ['RCPT TO:<friend@elsewhere.example>', '454 4.7.1 <friend@elsewhere.example>: Relay access denied'],
    ['RSET', '250 2.0.0 Ok'],
    [`AUTH PLAIN ${ALICE}`, '235 2.7.0 Authentication successful'],
    ['MAIL FROM:<alice@example.test>', '250 2.1.0 Ok'],
    ['RCPT TO:<friend@elsewhere.example>', '250 2.1.5 Ok'],
    ['DATA', '354 End data with <CR><LF>.<CR><LF>'],
  ]);
  const r = await c.command(dataWire('Subject: relayed\n\nhello\n').replace(/\r\n$/, ''));
  assert.equal(r.code, 250, brief(r));
  const id = r.text.split(' ').pop()!;
  assert.equal(auth.requests[0].params.rip, '198.51.100.7', 'the server is told the client XCLIENT stands for');
  assert.ok(gw.logLines().includes(`${id}: client=client.example.org[198.51.100.7], sasl_method=PLAIN, sasl_username=alice`), gw.logLines().join('\n'));
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  assert.ok(file.ok && file.content.toString('latin1').includes(` with ESMTPA id ${id}`));
  c.close();
});

test('a backend that goes away: AUTH is no longer offered, AUTH gets 454 4.7.0, and nothing passes', async (t) => {
  const { gw, auth } = await startRig(t, { smtpd_authorized_xclient_hosts: '127.0.0.1' });
  const c = await open(gw);
  await auth.stop();
  await new Promise((r) => setTimeout(r, 50));
  await dialogue(c, [
    ['XCLIENT ADDR=198.51.100.7 NAME=client.example.org', '220 mx.example.test ESMTP Postfix'],
  ]);
  assert.ok(!(await c.command('EHLO stranger.example.org')).text.includes('AUTH '));
  await dialogue(c, [
    [`AUTH PLAIN ${ALICE}`, "454 4.7.0 Temporary authentication failure: Can't connect to authentication server"],
    [`AUTH PLAIN ${ALICE}`, "454 4.7.0 Temporary authentication failure: Can't connect to authentication server"],
    ['MAIL FROM:<alice@example.test>', '250 2.1.0 Ok'],
    ['RCPT TO:<friend@elsewhere.example>', '454 4.7.1 <friend@elsewhere.example>: Relay access denied'],
  ]);
  const lines = gw.logLines();
  assert.ok(lines.some((l) => l.startsWith(`warning: SASL: Connect to Dovecot auth socket '${auth.saslPath}' failed: `)), lines.join('\n'));
  assert.ok(lines.includes("warning: client.example.org[198.51.100.7]: SASL PLAIN authentication failed: Can't connect to authentication server"));
  c.close();
});

test('smtpd_sasl_path = inet:127.0.0.1:PORT reaches the server over TCP', async (t) => {
  const { gw } = await startRig(t, {}, { listen: 'inet' });
  const c = await open(gw);
  await dialogue(c, [[`AUTH PLAIN ${ALICE}`, '235 2.7.0 Authentication successful']]);
  c.close();
});

test('smtpd_sasl_type = cyrus is not supported: a warning at start, and AUTH is not offered', async (t) => {
  const gw = await startTestGateway({ smtpd_sasl_auth_enable: 'yes' });
  t.after(() => gw.stop());
  const c = await open(gw, null);
  assert.ok(!(await c.command('EHLO client.example.org')).text.includes('AUTH'));
  assert.match(maillog(gw), /postfix\/smtpd\[\d+\]: warning: unsupported SASL server implementation: cyrus/);
  await dialogue(c, [[`AUTH PLAIN ${ALICE}`, '454 4.7.0 Temporary authentication failure: no SASL backend configured']]);
  c.close();
});

test('no password, and no AUTH argument or response, ever reaches the maillog', async (t) => {
  const { gw } = await startRig(t);
  const c = await open(gw);
  await dialogue(c, [
    [`AUTH PLAIN ${WRONG}`, '535 5.7.8 Error: authentication failed: (reason unavailable)'],
    ['AUTH LOGIN', '334 VXNlcm5hbWU6'],
    [b64('bob'), '334 UGFzc3dvcmQ6'],
    [b64('hunter2'), '235 2.7.0 Authentication successful'],
  ]);
  assert.equal(brief(await c.command('QUIT')), '221 2.0.0 Bye');
  await c.waitClosed();
  await new Promise((r) => setTimeout(r, 100));
  const log = maillog(gw);
  assert.match(log, /disconnect from localhost\[127\.0\.0\.1\] ehlo=1 auth=1\/2 quit=1 commands=3\/4/);
  for (const secret of ['secret', 'wrong', 'hunter2', WRONG, b64('hunter2'), b64('bob')]) {
    assert.ok(!log.includes(secret), `maillog shows ${secret}`);
  }
});

// XXX data.ts does not pass the login to buildReceivedHeader yet, so this checks the header
// builder alone; it moves to an end-to-end check once smtpd_sasl_authenticated_header is wired.
test('smtpd_sasl_authenticated_header: (Authenticated sender: LOGIN) goes between the from and by lines', () => {
  const header = buildReceivedHeader({
    helo: 'client.example.org', clientName: 'client.example.org', clientAddress: '198.51.100.7', myhostname: 'mx.example.test',
    mailName: 'Postfix', protocol: 'ESMTPSA', queueId: 'ABC123', recipients: ['a@example.net', 'b@example.net'],
    date: new Date(0), authenticatedSender: 'alice (admin)',
  });
  assert.deepEqual(header.split('\r\n').slice(0, 3), [
    'Received: from client.example.org (client.example.org [198.51.100.7])',
    '\t(Authenticated sender: alice \\(admin\\))',
    '\tby mx.example.test (Postfix) with ESMTPSA id ABC123;',
  ]);
});

test('smtpd_sasl_authenticated_header = yes puts (Authenticated sender: LOGIN) in Received:, with ESMTPA', async (t) => {
  const { gw } = await startRig(t, { smtpd_sasl_authenticated_header: 'yes' });
  const c = await open(gw);
  await dialogue(c, [
    [`AUTH PLAIN ${ALICE}`, '235 2.7.0 Authentication successful'],
    ['MAIL FROM:<alice@example.test>', '250 2.1.0 Ok'],
    ['RCPT TO:<b@example.net>', '250 2.1.5 Ok'],
    ['DATA', '354 End data with <CR><LF>.<CR><LF>'],
  ]);
  const r = await c.command(dataWire('Subject: auth\n\nbody\n').replace(/\r\n$/, ''));
  assert.equal(r.code, 250);
  const id = r.text.split(' ').pop()!;
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  assert.ok(file.ok);
  const head = file.content.toString('latin1').split('\r\n\r\n')[0];
  assert.match(head, /^Received: from client\.example\.org \(localhost \[127\.0\.0\.1\]\)\r\n\t\(Authenticated sender: alice\)\r\n\tby mx\.example\.test \(Postfix\) with ESMTPA id /);
  c.close();
});
