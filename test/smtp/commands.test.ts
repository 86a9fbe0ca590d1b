/**
 * The SMTP dialogue through real sockets: each command's Postfix replies and enhanced codes
 * where smtp-server's own behaviour differs (spec/protocol.md §3 and §14).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpClient, type SmtpReply } from '../support/smtp-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const brief = (r: SmtpReply) => `${r.code}${r.enh ? ' ' + r.enh : ''} ${r.text}`;

async function open(gw: TestGateway, ehlo = true): Promise<SmtpClient> {
  const c = await SmtpClient.connect(gw.port);
  const banner = await c.read();
  assert.equal(banner!.code, 220);
  if (ehlo) assert.equal((await c.command('EHLO client.example.org')).code, 250);
  return c;
}

/** Expect each command's reply, in order. */
async function dialogue(c: SmtpClient, steps: Array<[string, string]>): Promise<void> {
  for (const [cmd, want] of steps) assert.equal(brief(await c.command(cmd)), want, cmd);
}

test('banner comes from smtpd_banner and EHLO lists Postfix keywords in order, without CHUNKING', async (t) => {
  const gw = await startTestGateway({ smtpd_banner: '$myhostname ESMTP $mail_name' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  const banner = await c.read();
  assert.deepEqual(banner!.lines, ['220 mx.example.test ESMTP Postfix']);
  const ehlo = await c.command('EHLO client.example.org');
  assert.deepEqual(ehlo.lines, [
    '250-mx.example.test', '250-PIPELINING', '250-SIZE 10240000', '250-VRFY', '250-ETRN',
    '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250-DSN', '250-SMTPUTF8',
  ].slice(0, -1).concat('250 SMTPUTF8'));
  assert.deepEqual((await c.command('HELO client.example.org')).lines, ['250 mx.example.test']);
  c.close();
});

test('EHLO follows disable_vrfy_command, message_size_limit = 0, smtputf8_enable and smtpd_discard_ehlo_keywords', async (t) => {
  const gw = await startTestGateway({ disable_vrfy_command: 'yes', message_size_limit: '0', smtputf8_enable: 'no', smtpd_discard_ehlo_keywords: 'etrn, dsn' });
  t.after(() => gw.stop());
  const c = await open(gw, false);
  const ehlo = await c.command('EHLO client.example.org');
  assert.deepEqual(ehlo.text.split('\n'), ['mx.example.test', 'PIPELINING', 'SIZE', 'ENHANCEDSTATUSCODES', '8BITMIME']);
  await dialogue(c, [['VRFY alice', '502 5.5.1 VRFY command is disabled']]);
  c.close();
});

test('HELO and EHLO need an argument; extra words are joined', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await open(gw, false);
  await dialogue(c, [
    ['HELO', '501 Syntax: HELO hostname'],
    ['EHLO', '501 Syntax: EHLO hostname'],
    ['HELO two  words', '250 mx.example.test'],
  ]);
  c.close();
});

test('MAIL FROM: sequence, syntax and parameter replies as Postfix gives them', async (t) => {
  const gw = await startTestGateway({ message_size_limit: '2000' });
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['MAIL', '501 5.5.4 Syntax: MAIL FROM:<address>'],
    ['MAIL FROM', '501 5.5.4 Syntax: MAIL FROM:<address>'],
    ['MAIL FROM:<a@example.org', '501 5.1.7 Bad sender address syntax'],
    ['MAIL FROM:<a b@example.org>', '501 5.1.7 Bad sender address syntax'],
    ['MAIL FROM:<a@exa mple.org>', '501 5.1.7 Bad sender address syntax'],
    ['MAIL FROM:<a@example.org> SIZE=abc', '501 5.5.4 Bad message size syntax'],
    ['MAIL FROM:<a@example.org> FOO=bar', '555 5.5.4 Unsupported option: FOO=bar'],
    ['MAIL FROM:<a@example.org> RET=MAYBE', '501 5.5.4 Bad RET parameter syntax'],
    ['MAIL FROM:<a@example.org> SIZE=2001', '552 5.3.4 Message size exceeds fixed limit'],
    ['MAIL FROM:<a@example.org> SIZE=99999999999999999999999', '552 5.3.4 Message size exceeds file system imposed limit'],
    ['MAIL FROM:Full Name <fn@example.org>', '555 5.5.4 Unsupported option: Name'],
    ['MAIL FROM:<a@example.org> SIZE=2000 BODY=8BITMIME RET=HDRS ENVID=abc+2Bdef SMTPUTF8', '250 2.1.0 Ok'],
    ['MAIL FROM:<b@example.org>', '503 5.5.1 Error: nested MAIL command'],
    ['RSET', '250 2.0.0 Ok'],
    ['MAIL FROM: <spaced@example.org>', '250 2.1.0 Ok'],
    ['RSET', '250 2.0.0 Ok'],
    ['MAIL FROM:<"Some Body" <s@example.org>>', '250 2.1.0 Ok'],
    ['RSET', '250 2.0.0 Ok'],
    ['MAIL FROM:<@relay1.example,@relay2.example:s@example.org>', '250 2.1.0 Ok'],
    ['RSET', '250 2.0.0 Ok'],
    ['MAIL FROM:<>', '250 2.1.0 Ok'],
  ]);
  assert.ok(gw.logLines().includes('warning: Illegal address syntax from localhost[127.0.0.1] in MAIL command: <a@example.org'));
  c.close();
});

test('strict_rfc821_envelopes = yes refuses addresses without <> and with phrases', async (t) => {
  const gw = await startTestGateway({ strict_rfc821_envelopes: 'yes' });
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['MAIL FROM:s@example.org', '501 5.1.7 Bad sender address syntax'],
    ['MAIL FROM:<"Some Body" <s@example.org>>', '501 5.1.7 Bad sender address syntax'],
    ['MAIL FROM:<s@example.org>', '250 2.1.0 Ok'],
    ['RCPT TO:alice@example.net', '501 5.1.3 Bad recipient address syntax'],
  ]);
  c.close();
});

test('smtpd_helo_required: MAIL and ETRN before HELO are refused, otherwise MAIL without HELO is fine', async (t) => {
  const gw = await startTestGateway({ smtpd_helo_required: 'yes' });
  t.after(() => gw.stop());
  let c = await open(gw, false);
  await dialogue(c, [
    ['MAIL FROM:<a@example.org>', '503 5.5.1 Error: send HELO/EHLO first'],
    ['ETRN example.net', '503 Error: send HELO/EHLO first'],
    ['HELO client.example.org', '250 mx.example.test'],
    ['MAIL FROM:<a@example.org>', '250 2.1.0 Ok'],
  ]);
  c.close();
  const gw2 = await startTestGateway();
  t.after(() => gw2.stop());
  c = await open(gw2, false);
  await dialogue(c, [['MAIL FROM:<a@example.org>', '250 2.1.0 Ok']]);
  c.close();
});

test('RCPT TO: sequence, syntax, DSN parameters, myorigin completion and smtpd_recipient_limit', async (t) => {
  const gw = await startTestGateway({ smtpd_recipient_limit: '2' });
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['RCPT TO:<b@example.net>', '503 5.5.1 Error: need MAIL command'],
    ['MAIL FROM:<a@example.org>', '250 2.1.0 Ok'],
    ['RCPT TO:', '501 5.5.4 Syntax: RCPT TO:<address>'],
    ['RCPT TO:<>', '501 5.1.3 Bad recipient address syntax'],
    ['RCPT TO:<b@example.net> NOTIFY=BOGUS', '501 5.5.4 Error: Bad NOTIFY parameter syntax'],
    ['RCPT TO:<b@example.net> ORCPT=bogus', '501 5.5.4 Error: Bad ORCPT parameter syntax'],
    ['RCPT TO:<b@example.net> XYZ=1', '555 5.5.4 Unsupported option: XYZ=1'],
    ['RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net', '250 2.1.5 Ok'],
    ['RCPT TO:<b@example.net>', '250 2.1.5 Ok'],
    ['RCPT TO:<c@example.net>', '452 4.5.3 Error: too many recipients'],
    ['RSET', '250 2.0.0 Ok'],
    ['RCPT TO:<c@example.net>', '503 5.5.1 Error: need MAIL command'],
  ]);
  c.close();
});

test('DATA sequence errors: argument, no MAIL, no valid recipients', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['DATA', '503 5.5.1 Error: need RCPT command'],
    ['DATA x', '503 5.5.1 Error: need RCPT command'],
    ['MAIL FROM:<a@example.org>', '250 2.1.0 Ok'],
    ['DATA', '554 5.5.1 Error: no valid recipients'],
    ['RCPT TO:<b@example.net>', '250 2.1.5 Ok'],
    ['DATA x', '501 5.5.4 Syntax: DATA'],
  ]);
  c.close();
});

test('RSET, NOOP, QUIT, HELP and unknown verbs answer as Postfix does', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['RSET x', '501 5.5.4 Syntax: RSET'],
    ['NOOP anything', '250 2.0.0 Ok'],
    ['HELP', '500 5.5.2 Error: command not recognized'],
    ['EXPN alice', '500 5.5.2 Error: command not recognized'],
    ['', '500 5.5.2 Error: bad syntax'],
    ['noop', '250 2.0.0 Ok'],
    ['\tNOOP', '250 2.0.0 Ok'],
    ['AUTH PLAIN AGFsaWNlAHNlY3JldA==', '503 5.5.1 Error: authentication not enabled'],
    ['STARTTLS', '502 5.5.1 Error: command not implemented'],
  ]);
  assert.equal(brief(await c.command('QUIT now')), '221 2.0.0 Bye');
  assert.ok(await c.waitClosed());
});

test('VRFY judges the address like RCPT and answers 252 with the argument as typed', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['VRFY', '501 5.5.4 Syntax: VRFY address [SMTPUTF8]'],
    ['VRFY postmaster', '252 2.0.0 postmaster'],
    ['VRFY <user@example.net>', '252 2.0.0 <user@example.net>'],
    ['VRFY <user@example.net', '252 2.0.0 <user@example.net'],
    ['VRFY <>', '501 5.1.3 Bad recipient address syntax'],
  ]);
  c.close();
});

test('ETRN: replies without enhanced codes; fast_flush_domains decides', async (t) => {
  const gw = await startTestGateway({ relay_domains: 'example.net' });
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['ETRN', '500 Syntax: ETRN domain'],
    ['ETRN bad..domain', '501 Error: invalid parameter syntax'],
    ['ETRN example.net.', '501 Error: invalid parameter syntax'],
    ['ETRN example.test', '459 <example.test>: service unavailable'],
    ['ETRN example.net', '250 Queuing started'],
    ['ETRN @sub.example.net', '250 Queuing started'],
    ['MAIL FROM:<a@example.org>', '250 2.1.0 Ok'],
    ['ETRN example.net', '503 Error: MAIL transaction in progress'],
  ]);
  c.close();
});

test('forbidden and header-like commands end the session with 221 2.7.0 and a warning', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  for (const line of ['GET / HTTP/1.0', 'Subject: hi', 'POST /x HTTP/1.1', '1FOO']) {
    const c = await open(gw, false);
    assert.equal(brief(await c.command(line)), '221 2.7.0 Error: I can break rules, too. Goodbye.', line);
    assert.ok(await c.waitClosed(), line);
  }
  assert.ok(gw.logLines().includes('warning: non-SMTP command from localhost[127.0.0.1]: GET / HTTP/1.0'));
});

test('XCLIENT is refused unless the client is in smtpd_authorized_xclient_hosts', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await open(gw);
  assert.ok(!(await c.command('EHLO again.example')).text.includes('XCLIENT'));
  await dialogue(c, [['XCLIENT ADDR=198.51.100.7 NAME=client.example.org', '550 5.7.0 Error: insufficient authorization']]);
  c.close();
});

test('XCLIENT from an authorized host presents another client and restarts the session', async (t) => {
  const gw = await startTestGateway({ smtpd_authorized_xclient_hosts: '127.0.0.1' });
  t.after(() => gw.stop());
  const c = await open(gw);
  assert.ok((await c.command('EHLO again.example')).text.includes('XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT'));
  await dialogue(c, [
    ['XCLIENT ADDR=198.51.100.7 NAME=client.example.org', '220 mx.example.test ESMTP Postfix'],
    ['XCLIENT FOO=bar', '501 5.5.4 Bad XCLIENT attribute name: FOO'],
    ['HELO stranger.example.org', '250 mx.example.test'],
    ['MAIL FROM:<a@example.org>', '250 2.1.0 Ok'],
    ['XCLIENT ADDR=198.51.100.8', '503 5.5.1 Error: MAIL transaction in progress'],
  ]);
  assert.ok(gw.logLines().includes('connect from client.example.org[198.51.100.7]'));
  c.close();
});

test('without HELO the client name goes in Received: and mail is still accepted', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await open(gw, false);
  await dialogue(c, [
    ['MAIL FROM:<a@example.org>', '250 2.1.0 Ok'],
    ['RCPT TO:<postmaster>', '250 2.1.5 Ok'],
  ]);
  c.close();
});

test('with smtputf8_enable a command that is not UTF-8 gets 500 5.5.2 Error: bad UTF-8 syntax; UTF-8 addresses pass', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await open(gw);
  c.write(Buffer.concat([Buffer.from('MAIL FROM:<'), Buffer.from([0xff, 0xfe]), Buffer.from('@example.org>\r\n')]));
  const r = await c.read();
  assert.equal(brief(r!), '500 5.5.2 Error: bad UTF-8 syntax');
  await dialogue(c, [['MAIL FROM:<jürgen@exämple.org> SMTPUTF8', '250 2.1.0 Ok']]);
  c.close();
});

test('smtpd_forbid_unauth_pipelining = yes drops an improper pipeliner with 554 5.5.0', async (t) => {
  const gw = await startTestGateway({ smtpd_forbid_unauth_pipelining: 'yes' });
  t.after(() => gw.stop());
  const c = await open(gw, false);
  c.write('HELO client.example.org\r\nMAIL FROM:<a@example.org>\r\n');
  // Postfix answers the command that was followed by input it did not yet allow.
  assert.equal(brief((await c.read())!), '554 5.5.0 Error: SMTP protocol synchronization');
  assert.ok(await c.waitClosed());
});

test('addresses Postfix takes although they look odd: quoted pairs, comments, a stray >, an empty local part', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['MAIL FROM:<a\\@b@example.com>', '250 2.1.0 Ok'],
    ['RSET', '250 2.0.0 Ok'],
    ['MAIL FROM:<a(note)@example.com>', '250 2.1.0 Ok'],
    ['RSET', '250 2.0.0 Ok'],
    ['MAIL FROM:a@example.com>', '250 2.1.0 Ok'],
    ['RCPT TO:<@example.net>', '250 2.1.5 Ok'],
    ['RCPT TO:<a@>', '501 5.1.3 Bad recipient address syntax'],
    ['RCPT TO:<b@example.net> NOTIFY=DELAY,DELAY', '250 2.1.5 Ok'],
  ]);
  c.close();
});

test('XCLIENT ADDR of a family inet_protocols does not enable is bad syntax', async (t) => {
  const gw = await startTestGateway({ smtpd_authorized_xclient_hosts: '127.0.0.1', inet_protocols: 'ipv4' });
  t.after(() => gw.stop());
  const c = await open(gw);
  await dialogue(c, [
    ['XCLIENT ADDR=IPV6:2001:db8::5', '501 5.5.4 Bad ADDR syntax: IPV6:2001:db8::5'],
    ['XCLIENT ADDR=198.51.100.7 NAME=[UNAVAILABLE]', '220 mx.example.test ESMTP Postfix'],
  ]);
  c.close();
});
