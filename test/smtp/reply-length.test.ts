/**
 * Reply lines through real sockets stay within 512 bytes with their CRLF (RFC 5321
 * §4.5.3.1.5) when a reply quotes a long client argument; the fuzz test found VRFY, the
 * MAIL parameter error and XCLIENT's attribute error sending whole 2 KB lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpClient } from '../support/smtp-client.ts';
import { startTestGateway } from '../support/gateway.ts';

test('replies that quote a long argument (VRFY, Unsupported option, Bad NAME syntax) are cut to 512 bytes', async (t) => {
  const gw = await startTestGateway({ smtpd_authorized_xclient_hosts: '127.0.0.1' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('EHLO client.example.org');
  const long = 'x'.repeat(1500);
  const cases: Array<[string, string]> = [
    [`VRFY ${long}`, '252 2.0.0 x'],
    [`MAIL FROM:<a@example.org> ${long}`, '555 5.5.4 Unsupported option: x'],
    [`XCLIENT NAME=${long}@example.org>`, '501 5.5.4 Bad NAME syntax: x'],
  ];
  for (const [cmd, start] of cases) {
    const r = await c.command(cmd);
    assert.equal(r.lines.length, 1, cmd.slice(0, 20));
    assert.ok(r.lines[0].startsWith(start), r.lines[0].slice(0, 40));
    assert.equal(Buffer.byteLength(r.lines[0]) + 2, 512, cmd.slice(0, 20));
  }
  assert.equal((await c.command('NOOP')).code, 250, 'the session goes on');
  c.close();
});
