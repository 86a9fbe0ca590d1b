/**
 * The anvil limits through real sockets (spec/smtpd-parameters.md §5, spec/appendix-observed.md):
 * sessions per client, connections, MAIL, RCPT, new TLS sessions and AUTH per
 * anvil_rate_time_unit, each with Postfix's reply and warning, counted per client address
 * (clients come from 127.0.0.1, .2 and .3, the names the loopback DNS zone gives them), and the
 * exemptions: smtpd_client_event_limit_exceptions ($mynetworks) and XCLIENT-authorized hosts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SmtpClient, type SmtpReply } from '../support/smtp-client.ts';
import { makeCertificate } from '../support/tls-certificate.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startDovecotAuthServer } from '../support/dovecot-auth-server.ts';

const brief = (r: SmtpReply | null) => (r ? `${r.code}${r.enh ? ' ' + r.enh : ''} ${r.text}` : 'closed');
const NO_EXCEPTIONS = { smtpd_client_event_limit_exceptions: '' };

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !check() && waited < ms; waited += 20) await sleep(20);
}

async function open(gw: TestGateway, localAddress = '127.0.0.1'): Promise<{ c: SmtpClient; banner: string }> {
  const c = await SmtpClient.connect(gw.port, { localAddress });
  return { c, banner: brief(await c.read()) };
}

test('smtpd_client_connection_count_limit: one session too many gets 421 4.7.0 instead of the banner, and a warning', async (t) => {
  const gw = await startTestGateway({ ...NO_EXCEPTIONS, smtpd_client_connection_count_limit: '2' });
  t.after(() => gw.stop());
  const first = await open(gw);
  const second = await open(gw);
  assert.equal(first.banner, '220 mx.example.test ESMTP Postfix');
  assert.equal(second.banner, '220 mx.example.test ESMTP Postfix');
  const third = await open(gw);
  assert.equal(third.banner, '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.1');
  assert.ok(await third.c.waitClosed());
  await waitFor(() => gw.logLines().filter((l) => l.startsWith('disconnect from')).length === 1);
  const log = gw.logLines();
  assert.ok(log.includes('warning: Connection concurrency limit exceeded: 3 from localhost[127.0.0.1] for service smtp'), log.join('\n'));
  assert.ok(log.includes('disconnect from localhost[127.0.0.1] commands=0'), log.join('\n'));
  first.c.close();
  second.c.close();
});

test('a session that ended makes room: the next connection from that client gets the banner', async (t) => {
  const gw = await startTestGateway({ ...NO_EXCEPTIONS, smtpd_client_connection_count_limit: '1' });
  t.after(() => gw.stop());
  const first = await open(gw);
  assert.equal(brief(await first.c.command('QUIT')), '221 2.0.0 Bye');
  await first.c.waitClosed();
  await waitFor(() => gw.logLines().some((l) => l.startsWith('disconnect from')));
  const next = await open(gw);
  assert.equal(next.banner, '220 mx.example.test ESMTP Postfix');
  const over = await open(gw);
  assert.equal(over.banner, '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.1');
  next.c.close();
});

test('after QUIT the session is over at once, even for a client that keeps its side of the connection open', async (t) => {
  const gw = await startTestGateway({ ...NO_EXCEPTIONS, smtpd_client_connection_count_limit: '1' });
  t.after(() => gw.stop());
  // allowHalfOpen: the client does not answer the server's FIN with its own.
  const lingering = net.connect({ port: gw.port, host: '127.0.0.1', allowHalfOpen: true });
  t.after(() => lingering.destroy());
  let received = '';
  lingering.on('data', (d) => (received += d));
  const ended = new Promise<void>((resolve) => lingering.once('end', resolve));
  await waitFor(() => received.includes('\r\n'));
  lingering.write('QUIT\r\n');
  await ended;
  assert.match(received, /221 2\.0\.0 Bye\r\n$/);
  await waitFor(() => gw.logLines().some((l) => l.startsWith('disconnect from')));
  assert.ok(gw.logLines().includes('disconnect from localhost[127.0.0.1] quit=1 commands=1'), gw.logLines().join('\n'));
  assert.equal((await open(gw)).banner, '220 mx.example.test ESMTP Postfix');
});

test('the concurrency limit is per client address: other clients are still served', async (t) => {
  const gw = await startTestGateway({ ...NO_EXCEPTIONS, smtpd_client_connection_count_limit: '1' });
  t.after(() => gw.stop());
  const one = await open(gw, '127.0.0.1');
  assert.equal((await open(gw, '127.0.0.1')).banner, '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.1');
  const two = await open(gw, '127.0.0.2');
  assert.equal(two.banner, '220 mx.example.test ESMTP Postfix');
  assert.equal((await open(gw, '127.0.0.2')).banner, '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.2');
  await waitFor(() => gw.logLines().filter((l) => l.includes('concurrency limit')).length === 2);
  assert.ok(gw.logLines().includes('warning: Connection concurrency limit exceeded: 2 from client2.dns.test[127.0.0.2] for service smtp'), gw.logLines().join('\n'));
  one.c.close();
  two.c.close();
});

test('smtpd_client_connection_rate_limit: the connection after the limit within anvil_rate_time_unit gets the same 421', async (t) => {
  const gw = await startTestGateway({ ...NO_EXCEPTIONS, smtpd_client_connection_rate_limit: '2' });
  t.after(() => gw.stop());
  for (let i = 0; i < 2; i++) {
    const s = await open(gw, '127.0.0.3');
    assert.equal(s.banner, '220 mx.example.test ESMTP Postfix');
    s.c.close();
  }
  const third = await open(gw, '127.0.0.3');
  assert.equal(third.banner, '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.3');
  assert.equal((await open(gw, '127.0.0.1')).banner, '220 mx.example.test ESMTP Postfix', 'another client is not limited');
  await waitFor(() => gw.logLines().some((l) => l.includes('rate limit')));
  assert.ok(gw.logLines().includes('warning: Connection rate limit exceeded: 3 from unknown[127.0.0.3] for service smtp'), gw.logLines().join('\n'));
});

test('anvil_rate_time_unit: a new window lets the client connect again', async (t) => {
  const gw = await startTestGateway({ ...NO_EXCEPTIONS, smtpd_client_connection_rate_limit: '1', anvil_rate_time_unit: '1s' });
  t.after(() => gw.stop());
  (await open(gw)).c.close();
  assert.equal((await open(gw)).banner, '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.1');
  await sleep(1100);
  assert.equal((await open(gw)).banner, '220 mx.example.test ESMTP Postfix');
});

test('smtpd_client_event_limit_exceptions defaults to $mynetworks: those clients have no limits', async (t) => {
  const gw = await startTestGateway({ mynetworks: '127.0.0.1/32', smtpd_client_connection_count_limit: '1' });
  t.after(() => gw.stop());
  const sessions = [await open(gw), await open(gw), await open(gw)];
  assert.deepEqual(sessions.map((s) => s.banner), Array(3).fill('220 mx.example.test ESMTP Postfix'));
  const outsider = [await open(gw, '127.0.0.2'), await open(gw, '127.0.0.2')];
  assert.deepEqual(outsider.map((s) => s.banner), ['220 mx.example.test ESMTP Postfix', '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.2']);
  for (const s of [...sessions, ...outsider]) s.c.close();
});

test('clients in smtpd_authorized_xclient_hosts are not counted, before or after XCLIENT', async (t) => {
  const gw = await startTestGateway({
    ...NO_EXCEPTIONS, smtpd_authorized_xclient_hosts: '127.0.0.1', smtpd_client_connection_count_limit: '1', smtpd_client_message_rate_limit: '1',
  });
  t.after(() => gw.stop());
  const a = await open(gw);
  const b = await open(gw);
  assert.equal(b.banner, '220 mx.example.test ESMTP Postfix');
  assert.equal((await b.c.command('XCLIENT ADDR=198.51.100.7 NAME=client.example.org')).code, 220);
  await b.c.command('EHLO client.example.org');
  for (let i = 0; i < 3; i++) {
    assert.equal(brief(await b.c.command('MAIL FROM:<a@example.org>')), '250 2.1.0 Ok');
    await b.c.command('RSET');
  }
  a.c.close();
  b.c.close();
});

test('smtpd_client_message_rate_limit: MAIL over the limit gets 450 4.7.1, counted across sessions, accepted or not', async (t) => {
  const gw = await startTestGateway({ ...NO_EXCEPTIONS, smtpd_client_message_rate_limit: '2', message_size_limit: '1000' });
  t.after(() => gw.stop());
  const s1 = await open(gw);
  await s1.c.command('EHLO client.example.org');
  assert.equal(brief(await s1.c.command('MAIL FROM:<a@example.org> SIZE=5000')), '552 5.3.4 Message size exceeds fixed limit');
  assert.equal(brief(await s1.c.command('MAIL FROM:<a@example.org>')), '250 2.1.0 Ok');
  await s1.c.command('QUIT');
  const s2 = await open(gw);
  await s2.c.command('EHLO client.example.org');
  assert.equal(brief(await s2.c.command('MAIL FROM:<a@example.org>')), '450 4.7.1 Error: too much mail from 127.0.0.1');
  assert.equal(brief(await s2.c.command('MAIL FROM')), '501 5.5.4 Syntax: MAIL FROM:<address>', 'syntax is checked first');
  await s2.c.command('QUIT');
  await waitFor(() => gw.logLines().filter((l) => l.startsWith('disconnect')).length === 2);
  const log = gw.logLines();
  assert.ok(log.includes('warning: Message delivery request rate limit exceeded: 3 from localhost[127.0.0.1] for service smtp'), log.join('\n'));
  assert.ok(log.includes('disconnect from localhost[127.0.0.1] ehlo=1 mail=0/2 quit=1 commands=2/4'), log.join('\n'));
});

test('smtpd_client_recipient_rate_limit: RCPT over the limit gets 450 4.7.1; the accepted ones are kept', async (t) => {
  const gw = await startTestGateway({ ...NO_EXCEPTIONS, smtpd_client_recipient_rate_limit: '2' });
  t.after(() => gw.stop());
  const { c } = await open(gw);
  await c.command('EHLO client.example.org');
  await c.command('MAIL FROM:<a@example.org>');
  assert.equal(brief(await c.command('RCPT TO:<b@example.net>')), '250 2.1.5 Ok');
  assert.equal(brief(await c.command('RCPT TO:<c@example.net>')), '250 2.1.5 Ok');
  assert.equal(brief(await c.command('RCPT TO:<d@example.net>')), '450 4.7.1 Error: too many recipients from 127.0.0.1');
  assert.equal(brief(await c.command('VRFY e@example.net')), '252 2.0.0 e@example.net', 'VRFY is not counted, as in Postfix 3.7');
  assert.equal((await c.command('DATA')).code, 354);
  assert.equal((await c.command('Subject: x\r\n\r\nbody\r\n.')).code, 250);
  await c.command('QUIT');
  await waitFor(() => gw.logLines().some((l) => l.startsWith('disconnect')));
  assert.ok(gw.logLines().includes('warning: Recipient address rate limit exceeded: 3 from localhost[127.0.0.1] for service smtp'), gw.logLines().join('\n'));
});

test('smtpd_client_new_tls_session_rate_limit: STARTTLS once over the limit of new TLS sessions gets 454 4.7.0, no handshake', async (t) => {
  const pem = makeCertificate();
  t.after(() => fs.rmSync(pem.dir, { recursive: true, force: true }));
  const gw = await startTestGateway({
    ...NO_EXCEPTIONS, smtpd_client_new_tls_session_rate_limit: '1',
    smtpd_tls_security_level: 'may', smtpd_tls_cert_file: pem.cert, smtpd_tls_key_file: pem.key,
  });
  t.after(() => gw.stop());
  // As in Postfix, the check before the handshake sees only the sessions made so far, so the
  // limit + 1st new session still starts and the one after it is refused.
  for (let i = 0; i < 2; i++) {
    const s = await open(gw);
    await s.c.command('EHLO client.example.org');
    assert.equal(brief(await s.c.command('STARTTLS')), '220 2.0.0 Ready to start TLS');
    await s.c.startTls('mx.example.test');
    assert.equal((await s.c.command('EHLO client.example.org')).code, 250);
    s.c.close();
  }
  const second = await open(gw);
  await second.c.command('EHLO client.example.org');
  assert.equal(brief(await second.c.command('STARTTLS')), '454 4.7.0 Error: too many new TLS sessions from 127.0.0.1');
  assert.equal(brief(await second.c.command('NOOP')), '250 2.0.0 Ok', 'the session goes on in plain text');
  second.c.close();
  await waitFor(() => gw.logLines().some((l) => l.includes('TLS session rate')));
  assert.ok(gw.logLines().includes('warning: New TLS session rate limit exceeded: 2 from localhost[127.0.0.1] for service smtp'), gw.logLines().join('\n'));
});

test('smtpd_client_auth_rate_limit: AUTH over the limit gets 450 4.7.1 before the SASL server is asked', async (t) => {
  const auth = await startDovecotAuthServer();
  t.after(() => auth.stop());
  const gw = await startTestGateway({
    ...NO_EXCEPTIONS, smtpd_client_auth_rate_limit: '1', smtpd_sasl_auth_enable: 'yes', smtpd_sasl_type: 'dovecot', smtpd_sasl_path: auth.saslPath,
  });
  t.after(() => gw.stop());
  const { c } = await open(gw);
  await c.command('EHLO client.example.org');
  const wrong = Buffer.from('\0alice\0wrong').toString('base64');
  assert.equal((await c.command(`AUTH PLAIN ${wrong}`)).code, 535);
  assert.equal(brief(await c.command(`AUTH PLAIN ${wrong}`)), '450 4.7.1 Error: too many AUTH commands from 127.0.0.1');
  c.close();
  await waitFor(() => gw.logLines().some((l) => l.includes('AUTH command rate')));
  assert.ok(gw.logLines().includes('warning: AUTH command rate limit exceeded: 2 from localhost[127.0.0.1] for service smtp'), gw.logLines().join('\n'));
});
