// The lines of the Dovecot auth protocol (server/sasl/dovecot-auth-protocol.ts), as Postfix's
// xsasl_dovecot_server.c writes and reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatAuthRequest, formatContinue, formatHandshake, isValidBase64, parseServerLine, type ServerLine,
} from '../../../server/sasl/dovecot-auth-protocol.ts';

test('the handshake announces protocol 1.0 and the client pid, as Postfix does', () => {
  assert.equal(formatHandshake(4242), 'VERSION\t1\t0\nCPID\t4242\n');
});

test('AUTH carries service, nologin, lip and rip; secured only with TLS; resp only when given', () => {
  const base = { id: 7, mechanism: 'PLAIN', service: 'smtp', localAddress: '127.0.0.1', clientAddress: '198.51.100.7' };
  assert.equal(formatAuthRequest({ ...base, secured: false, initialResponse: null }),
    'AUTH\t7\tPLAIN\tservice=smtp\tnologin\tlip=127.0.0.1\trip=198.51.100.7\n');
  assert.equal(formatAuthRequest({ ...base, secured: true, initialResponse: 'AGFsaWNlAHNlY3JldA==' }),
    'AUTH\t7\tPLAIN\tservice=smtp\tnologin\tlip=127.0.0.1\trip=198.51.100.7\tsecured\tresp=AGFsaWNlAHNlY3JldA==\n');
  assert.equal(formatAuthRequest({ ...base, secured: false, initialResponse: '=' }).endsWith('\tresp==\n'), true, '`=` goes as sent');
});

test('CONT carries the request id and the client response', () => {
  assert.equal(formatContinue(3, 'c2VjcmV0'), 'CONT\t3\tc2VjcmV0\n');
});

const CASES: Array<{ label: string; line: string; want: ServerLine }> = [
  { label: 'VERSION with two numbers', line: 'VERSION\t1\t2', want: { kind: 'VERSION', major: 1, minor: 2 } },
  { label: 'VERSION without numbers is a protocol error', line: 'VERSION\tx', want: { kind: 'VERSION_ERROR' } },
  { label: 'MECH with properties', line: 'MECH\tCRAM-MD5\tdictionary\tactive', want: { kind: 'MECH', name: 'CRAM-MD5', properties: ['dictionary', 'active'] } },
  { label: 'MECH without properties', line: 'MECH\tEXTERNAL', want: { kind: 'MECH', name: 'EXTERNAL', properties: [] } },
  { label: 'SPID', line: 'SPID\t123', want: { kind: 'SPID' } },
  { label: 'CUID and COOKIE are ignored', line: 'CUID\t5', want: { kind: 'other' } },
  { label: 'DONE', line: 'DONE', want: { kind: 'DONE' } },
  { label: 'OK with the user name', line: 'OK\t1\tuser=alice', want: { kind: 'OK', id: 1, user: 'alice' } },
  { label: 'OK without a user name', line: 'OK\t1', want: { kind: 'OK', id: 1, user: null } },
  { label: 'CONT with a challenge', line: 'CONT\t2\tVXNlcm5hbWU6', want: { kind: 'CONT', id: 2, data: 'VXNlcm5hbWU6' } },
  { label: 'CONT with an empty challenge', line: 'CONT\t2\t', want: { kind: 'CONT', id: 2, data: '' } },
  { label: 'CONT without its data field', line: 'CONT\t2', want: { kind: 'CONT', id: 2, data: null } },
  { label: 'FAIL without a reason', line: 'FAIL\t3\tuser=bob', want: { kind: 'FAIL', id: 3, user: 'bob', reason: null } },
  { label: 'FAIL with a reason and other arguments', line: 'FAIL\t3\tuser=bob\ttemp\treason=Password expired', want: { kind: 'FAIL', id: 3, user: 'bob', reason: 'Password expired' } },
  { label: 'control characters in a reason become ?', line: 'FAIL\t3\treason=bad\x01thing', want: { kind: 'FAIL', id: 3, user: null, reason: 'bad?thing' } },
  { label: 'a reply without a numeric id answers nothing', line: 'OK\tabc\tuser=alice', want: { kind: 'other' } },
  { label: 'unknown commands are ignored', line: 'NOTFOUND\t1', want: { kind: 'other' } },
];

for (const c of CASES) {
  test(`server line: ${c.label}`, () => {
    assert.deepEqual(parseServerLine(c.line), c.want);
  });
}

test('client data must be base64 characters only', () => {
  assert.equal(isValidBase64('AGFsaWNlAHNlY3JldA=='), true);
  assert.equal(isValidBase64('='), true);
  assert.equal(isValidBase64(''), true);
  assert.equal(isValidBase64('not base64!'), false);
  assert.equal(isValidBase64('abc\tresp=x'), false, 'a TAB would inject a protocol field');
});
