// Host name and address syntax as valid_hostname(3) and valid_mailhost_addr(3) judge it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidHostaddr, isValidHostname, isValidMailhostAddr, stripTrailingDot } from '../../../server/policy/valid-hostname.ts';

const hostnames: [string, boolean][] = [
  ['mail.example.org', true],
  ['nodots', true],
  ['under_score.example', true],
  ['a-b.example', true],
  ['-ab.example', false],
  ['ab-.example', false],
  ['a..b', false],
  ['example.org.', false],
  ['192.0.2.1', false],
  ['123.example', true],
  ['bad_host!name', false],
  ['', false],
  [`${'a'.repeat(63)}.example`, true],
  [`${'a'.repeat(64)}.example`, false],
];

for (const [name, want] of hostnames) {
  test(`isValidHostname(${JSON.stringify(name)}) is ${want}`, () => assert.equal(isValidHostname(name), want));
}

const addresses: [string, boolean][] = [
  ['192.0.2.1', true],
  ['010.0.0.1', true],
  ['0.0.0.0', true],
  ['0.1.2.3', false],
  ['1.2.3', false],
  ['256.1.1.1', false],
  ['1.2.3.4.', false],
  ['2001:db8::1', true],
  ['fe80::1%eth0', false],
];

for (const [addr, want] of addresses) {
  test(`isValidHostaddr(${JSON.stringify(addr)}) is ${want}`, () => assert.equal(isValidHostaddr(addr), want));
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
