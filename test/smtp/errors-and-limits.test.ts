/**
 * Error accounting through real sockets (spec/protocol.md §5): the hard error limit with its
 * immediate 421, junk commands, the tarpit, smtpd_timeout, line_length_limit and the
 * disconnect and "after CMD" log lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SmtpClient } from '../support/smtp-client.ts';
import { startTestGateway } from '../support/gateway.ts';

async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; !check() && waited < ms; waited += 20) await sleep(20);
}

test('smtpd_hard_error_limit: 421 4.7.0 right after the error that reaches it, then close', async (t) => {
  const gw = await startTestGateway({ smtpd_hard_error_limit: '5', smtpd_soft_error_limit: '10' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('EHLO client.example.org');
  for (const cmd of ['RCPT TO:<x@example.net>', 'MAIL FROM', 'X1', 'X2']) assert.ok((await c.command(cmd)).code >= 500, cmd);
  const last = await c.command('X3');
  assert.equal(last.code, 500);
  const bye = await c.read();
  assert.deepEqual([bye!.code, bye!.enh, bye!.text], [421, '4.7.0', 'mx.example.test Error: too many errors']);
  assert.ok(await c.waitClosed());
  await waitFor(() => gw.logLines().some((l) => l.startsWith('disconnect from')));
  assert.ok(gw.logLines().includes('too many errors after UNKNOWN from localhost[127.0.0.1]'), gw.logLines().join('\n'));
  assert.ok(gw.logLines().includes('disconnect from localhost[127.0.0.1] ehlo=1 mail=0/1 rcpt=0/1 unknown=0/3 commands=1/6'), gw.logLines().join('\n'));
});

test('smtpd_junk_command_limit: the first limit+1 junk commands are free, then each is an error', async (t) => {
  const gw = await startTestGateway({ smtpd_junk_command_limit: '2', smtpd_hard_error_limit: '3' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  for (const cmd of ['HELO client.example.org', 'NOOP', 'NOOP', 'NOOP', 'RSET', 'VRFY alice']) {
    assert.ok((await c.command(cmd)).code < 300, cmd);
  }
  const bye = await c.read();
  assert.equal(bye!.code, 421);
  assert.ok(await c.waitClosed());
});

test('tarpit: once errors reach smtpd_soft_error_limit every reply waits smtpd_error_sleep_time', async (t) => {
  const gw = await startTestGateway({ smtpd_soft_error_limit: '1', smtpd_error_sleep_time: '1s' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  let t0 = Date.now();
  await c.command('FOO');
  assert.ok(Date.now() - t0 < 900, 'the reply to the first error is not delayed');
  t0 = Date.now();
  assert.equal((await c.command('NOOP')).code, 250);
  assert.ok(Date.now() - t0 >= 950, `the next reply, a 250, waited ${Date.now() - t0} ms`);
  c.close();
});

test('smtpd_timeout: an idle client gets 421 4.4.2 and is disconnected; the log says after what', async (t) => {
  const gw = await startTestGateway({ smtpd_timeout: '1s' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('EHLO client.example.org');
  const r = await c.read(4000);
  assert.deepEqual([r!.code, r!.enh, r!.text], [421, '4.4.2', 'mx.example.test Error: timeout exceeded']);
  assert.ok(await c.waitClosed());
  await waitFor(() => gw.logLines().some((l) => l.startsWith('disconnect')));
  assert.ok(gw.logLines().includes('timeout after EHLO from localhost[127.0.0.1]'));
});

test('line_length_limit: a long command is cut and parsed, with a warning; a long NOOP still succeeds', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('EHLO client.example.org');
  const r = await c.command('MAIL FROM:<' + 'a'.repeat(3000) + '@example.org>');
  assert.deepEqual([r.code, r.enh], [501, '5.1.7']);
  assert.equal((await c.command('NOOP ' + 'x'.repeat(3000))).code, 250);
  assert.ok(gw.logLines().some((l) => l.startsWith('warning: localhost[127.0.0.1]: request longer than 2048: MAIL FROM:<aaa')));
  assert.equal((await c.command('MAIL FROM:<' + 'b'.repeat(1900) + '@example.org>')).code, 250);
  c.close();
});

test('pipelined commands are answered in order; a client that talks before the banner is flagged', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  c.write('EHLO client.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<>\r\nRSET\r\n');
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await c.read())!.code);
  assert.deepEqual(codes, [250, 250, 250, 501, 250]);
  await waitFor(() => gw.logLines().some((l) => l.startsWith('improper command pipelining after EHLO')));
  assert.ok(gw.logLines().some((l) => l.startsWith('improper command pipelining after EHLO from localhost[127.0.0.1]: MAIL FROM:<a@example.org>\\r\\n')));
  c.close();
});

test('soft_bounce turns every 5xx into 4xx, enhanced code included', async (t) => {
  const gw = await startTestGateway({ soft_bounce: 'yes' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  const r = await c.command('FOO');
  assert.deepEqual([r.code, r.enh, r.text], [400, '4.5.2', 'Error: command not recognized']);
  c.close();
});

test('queue_minfree: 452 4.3.1 Insufficient system storage at MAIL FROM, with a warning', async (t) => {
  const gw = await startTestGateway({ queue_minfree: '999999999999999' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('EHLO client.example.org');
  const r = await c.command('MAIL FROM:<s@example.org>');
  assert.deepEqual([r.code, r.enh, r.text], [452, '4.3.1', 'Insufficient system storage']);
  assert.ok(gw.logLines().some((l) => /^warning: not enough free space in mail queue: \d+ bytes < 1\.5\*message size limit$/.test(l)));
  c.close();
});
