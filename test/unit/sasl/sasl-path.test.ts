// smtpd_sasl_path as Postfix's Dovecot plug-in reads it (server/sasl/sasl-path.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSaslPath, type SaslPathParse } from '../../../server/sasl/sasl-path.ts';

const DATA = '/var/lib/portcullis';

const CASES: Array<{ label: string; value: string; want: SaslPathParse }> = [
  { label: 'an absolute socket path', value: '/run/dovecot/auth-client', want: { ok: true, path: { kind: 'unix', path: '/run/dovecot/auth-client' } } },
  { label: 'a relative socket path is taken from the data folder', value: 'private/auth', want: { ok: true, path: { kind: 'unix', path: '/var/lib/portcullis/private/auth' } } },
  { label: 'the unix: prefix is allowed', value: 'unix:private/auth', want: { ok: true, path: { kind: 'unix', path: '/var/lib/portcullis/private/auth' } } },
  { label: 'inet:address:port', value: 'inet:127.0.0.1:12345', want: { ok: true, path: { kind: 'inet', host: '127.0.0.1', port: 12345 } } },
  { label: 'inet:[ipv6]:port', value: 'inet:[::1]:12345', want: { ok: true, path: { kind: 'inet', host: '::1', port: 12345 } } },
  { label: 'inet: without a port is refused', value: 'inet:127.0.0.1', want: { ok: false, error: 'smtpd_sasl_path: bad inet: endpoint "inet:127.0.0.1" (expected inet:host:port)' } },
  { label: 'inet: with port 0 is refused', value: 'inet:127.0.0.1:0', want: { ok: false, error: 'smtpd_sasl_path: bad inet: endpoint "inet:127.0.0.1:0" (expected inet:host:port)' } },
];

for (const c of CASES) {
  test(`smtpd_sasl_path: ${c.label}`, () => {
    assert.deepEqual(parseSaslPath(c.value, DATA), c.want);
  });
}
