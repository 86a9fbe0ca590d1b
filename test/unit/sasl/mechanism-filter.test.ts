// smtpd_sasl_security_options applied to the Dovecot mechanism properties
// (server/sasl/mechanism-filter.ts), as xsasl_dovecot_server_mech_filter() does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterMechanisms, type SaslMechanism } from '../../../server/sasl/mechanism-filter.ts';

const SERVER: SaslMechanism[] = [
  { name: 'PLAIN', properties: ['plaintext'] },
  { name: 'LOGIN', properties: ['plaintext'] },
  { name: 'ANONYMOUS', properties: ['anonymous'] },
  { name: 'CRAM-MD5', properties: ['dictionary', 'active'] },
  { name: 'SCRAM-SHA-256', properties: ['mutual-auth'] },
  { name: 'EXTERNAL', properties: [] },
];

const CASES: Array<{ label: string; options: string[]; want: string[] }> = [
  { label: 'noanonymous (the default) drops ANONYMOUS only', options: ['noanonymous'], want: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256', 'EXTERNAL'] },
  { label: 'noplaintext drops PLAIN and LOGIN', options: ['noanonymous', 'noplaintext'], want: ['CRAM-MD5', 'SCRAM-SHA-256', 'EXTERNAL'] },
  { label: 'nodictionary and noactive drop CRAM-MD5', options: ['nodictionary', 'noactive'], want: ['PLAIN', 'LOGIN', 'ANONYMOUS', 'SCRAM-SHA-256', 'EXTERNAL'] },
  { label: 'mutual_auth keeps only mechanisms that have it', options: ['mutual_auth'], want: ['SCRAM-SHA-256'] },
  { label: 'no options keep everything, in the server order', options: [], want: SERVER.map((m) => m.name) },
  { label: 'option words are case-insensitive', options: ['NoPlainText'], want: ['ANONYMOUS', 'CRAM-MD5', 'SCRAM-SHA-256', 'EXTERNAL'] },
];

for (const c of CASES) {
  test(`mechanism filter: ${c.label}`, () => {
    assert.deepEqual(filterMechanisms(SERVER, c.options), c.want);
  });
}
