/**
 * XCLIENT NAME and REVERSE_NAME are checked as Postfix's valid_hostname() checks them: besides
 * the characters, at most 255 bytes and labels of at most 63 (a 1500-byte name was taken as a
 * verified client name before the fuzz test's long arguments showed it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpClient, type SmtpReply } from '../support/smtp-client.ts';
import { startTestGateway } from '../support/gateway.ts';

const brief = (r: SmtpReply) => `${r.code}${r.enh ? ' ' + r.enh : ''} ${r.text}`;

test('XCLIENT refuses a NAME or REVERSE_NAME with a label over 63 bytes or over 255 bytes in all', async (t) => {
  const gw = await startTestGateway({ smtpd_authorized_xclient_hosts: '127.0.0.1' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  const label64 = 'a'.repeat(64) + '.example.org';
  const long256 = Array(64).fill('abc').join('.') + '.org';
  assert.equal(brief(await c.command(`XCLIENT NAME=${label64}`)), `501 5.5.4 Bad NAME syntax: ${label64}`);
  assert.equal(brief(await c.command(`XCLIENT REVERSE_NAME=${long256}`)), `501 5.5.4 Bad REVERSE_NAME syntax: ${long256}`);
  const label63 = 'a'.repeat(63) + '.example.org';
  assert.equal(brief(await c.command(`XCLIENT NAME=${label63}`)), '220 mx.example.test ESMTP Postfix');
  c.close();
});
