// server/net/valid-hostname.ts: host name and address syntax as valid_hostname(3) and
// valid_mailhost_addr(3) judge it, and the warnings valid_hostname() logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isValidHostaddr, isValidHostname, isValidMailhostAddr, stripTrailingDot, validateHostname,
} from '../../../server/net/valid-hostname.ts';

const LONG_NAME = Array(5).fill('a'.repeat(60)).join('.');

const hostnames: Array<{ label: string; name: string; warning: string | null }> = [
  { label: 'an ordinary name', name: 'mail.example.com', warning: null },
  { label: 'another ordinary name', name: 'mail.example.org', warning: null },
  { label: 'a single label', name: 'localhost', warning: null },
  { label: 'a single label without dots', name: 'nodots', warning: null },
  { label: 'inner hyphens and digits', name: 'host-1.a2.example', warning: null },
  { label: 'an inner hyphen', name: 'a-b.example', warning: null },
  { label: 'an underscore (Postfix tolerates it)', name: 'odd_host.example.com', warning: null },
  { label: 'an underscore in the first label', name: 'under_score.example', warning: null },
  { label: 'an all-digit label in a name with letters', name: '123.example', warning: null },
  { label: 'a 63-character label', name: `${'a'.repeat(63)}.example`, warning: null },
  { label: 'an empty name', name: '', warning: 'valid_hostname: empty hostname' },
  { label: 'a 64-character label', name: `${'a'.repeat(64)}.example`, warning: `valid_hostname: hostname label too long: ${'a'.repeat(64)}.example` },
  { label: 'a trailing dot', name: 'example.com.', warning: 'valid_hostname: misplaced delimiter: example.com.' },
  { label: 'a trailing dot after .org', name: 'example.org.', warning: 'valid_hostname: misplaced delimiter: example.org.' },
  { label: 'an empty label', name: 'a..example', warning: 'valid_hostname: misplaced delimiter: a..example' },
  { label: 'an empty label between two letters', name: 'a..b', warning: 'valid_hostname: misplaced delimiter: a..b' },
  { label: 'a leading hyphen', name: '-a.example', warning: 'valid_hostname: misplaced hyphen: -a.example' },
  { label: 'a leading hyphen before two letters', name: '-ab.example', warning: 'valid_hostname: misplaced hyphen: -ab.example' },
  { label: 'a hyphen ending a label', name: 'a-.example', warning: 'valid_hostname: misplaced hyphen: a-.example' },
  { label: 'a hyphen ending a two-letter label', name: 'ab-.example', warning: 'valid_hostname: misplaced hyphen: ab-.example' },
  { label: 'an invalid character', name: 'bad!name.example', warning: 'valid_hostname: invalid character 33(decimal): bad!name.example' },
  { label: 'an invalid character after an underscore', name: 'bad_host!name', warning: 'valid_hostname: invalid character 33(decimal): bad_host!name' },
  { label: 'a control character is not written to the log', name: 'a\nwarning: forged', warning: 'valid_hostname: invalid character 10(decimal): a?warning: forged' },
  { label: 'all digits', name: '1.2.3.4', warning: 'valid_hostname: numeric hostname: 1.2.3.4' },
  { label: 'an IPv4 address', name: '192.0.2.1', warning: 'valid_hostname: numeric hostname: 192.0.2.1' },
  { label: 'over 255 characters', name: LONG_NAME, warning: `valid_hostname: bad length 304 for ${LONG_NAME.slice(0, 100)}...` },
];

for (const { label, name, warning } of hostnames) {
  test(`${label} is ${warning === null ? 'valid' : 'refused'}`, () => {
    assert.deepEqual(validateHostname(name), warning === null ? { valid: true } : { valid: false, warning });
    assert.equal(isValidHostname(name), warning === null);
  });
}

const addresses: Array<{ label: string; addr: string; want: boolean }> = [
  { label: 'a dotted quad', addr: '192.0.2.1', want: true },
  { label: 'leading zeros in an octet', addr: '010.0.0.1', want: true },
  { label: 'the all-zero address', addr: '0.0.0.0', want: true },
  { label: 'a zero first octet before others', addr: '0.1.2.3', want: false },
  { label: 'three octets', addr: '1.2.3', want: false },
  { label: 'an octet over 255', addr: '256.1.1.1', want: false },
  { label: 'a trailing dot', addr: '1.2.3.4.', want: false },
  { label: 'an IPv6 address', addr: '2001:db8::1', want: true },
  { label: 'an IPv6 address with a zone index', addr: 'fe80::1%eth0', want: false },
];

for (const { label, addr, want } of addresses) {
  test(`isValidHostaddr: ${label} (${addr}) is ${want ? 'valid' : 'refused'}`, () => assert.equal(isValidHostaddr(addr), want));
}

test('address literals need IPv6: for IPv6', () => {
  assert.equal(isValidMailhostAddr('192.0.2.1'), true);
  assert.equal(isValidMailhostAddr('IPv6:2001:db8::1'), true);
  assert.equal(isValidMailhostAddr('ipv6:::1'), true);
  assert.equal(isValidMailhostAddr('::1'), false);
});

test('one trailing dot goes, two stay', () => {
  assert.equal(stripTrailingDot('example.org.'), 'example.org');
  assert.equal(stripTrailingDot('example.org..'), 'example.org..');
  assert.equal(stripTrailingDot('.'), '.');
});
