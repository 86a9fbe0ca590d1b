// server/dns/valid-hostname.ts: Postfix's valid_hostname() and the warnings it logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHostname } from '../../../server/dns/valid-hostname.ts';

const cases: Array<{ label: string; name: string; warning: string | null }> = [
  { label: 'an ordinary name', name: 'mail.example.com', warning: null },
  { label: 'a single label', name: 'localhost', warning: null },
  { label: 'inner hyphens and digits', name: 'host-1.a2.example', warning: null },
  { label: 'an underscore (Postfix tolerates it)', name: 'odd_host.example.com', warning: null },
  { label: 'a 63-character label', name: `${'a'.repeat(63)}.example`, warning: null },
  { label: 'an empty name', name: '', warning: 'valid_hostname: empty hostname' },
  { label: 'a 64-character label', name: `${'a'.repeat(64)}.example`, warning: `valid_hostname: hostname label too long: ${'a'.repeat(64)}.example` },
  { label: 'a trailing dot', name: 'example.com.', warning: 'valid_hostname: misplaced delimiter: example.com.' },
  { label: 'an empty label', name: 'a..example', warning: 'valid_hostname: misplaced delimiter: a..example' },
  { label: 'a leading hyphen', name: '-a.example', warning: 'valid_hostname: misplaced hyphen: -a.example' },
  { label: 'a hyphen ending a label', name: 'a-.example', warning: 'valid_hostname: misplaced hyphen: a-.example' },
  { label: 'an invalid character', name: 'bad!name.example', warning: 'valid_hostname: invalid character 33(decimal): bad!name.example' },
  { label: 'a control character is not written to the log', name: 'a\nwarning: forged', warning: 'valid_hostname: invalid character 10(decimal): a?warning: forged' },
  { label: 'all digits', name: '1.2.3.4', warning: 'valid_hostname: numeric hostname: 1.2.3.4' },
  { label: 'over 255 characters', name: Array(5).fill('a'.repeat(60)).join('.'), warning: `valid_hostname: bad length 304 for ${Array(5).fill('a'.repeat(60)).join('.').slice(0, 100)}...` },
];

for (const { label, name, warning } of cases) {
  test(`${label} is ${warning === null ? 'valid' : 'refused'}`, () => {
    assert.deepEqual(validateHostname(name), warning === null ? { valid: true } : { valid: false, warning });
  });
}
