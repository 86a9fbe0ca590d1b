// server/net/ip-address.ts: addresses and networks parsed, masked and written back as Postfix
// writes them, with IPv4-mapped IPv6 addresses counted as the IPv4 address they carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatIpAddress, formatIpNetwork, isAddressInNetwork, isSameAddress, mapIpv4Address, maskIpAddress,
  parseIpAddress, parseIpNetwork, unmapIpv4Address, type IpAddress,
} from '../../../server/net/ip-address.ts';

function address(text: string): IpAddress {
  const parsed = parseIpAddress(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
}

const texts: Array<{ label: string; text: string; want: string | null }> = [
  { label: 'a dotted quad', text: '192.0.2.1', want: '192.0.2.1' },
  { label: 'IPv6 is written in lower case with the longest zero run as ::', text: '2001:0DB8:0:0:1:0:0:1', want: '2001:db8::1:0:0:1' },
  { label: 'the first of two equal zero runs becomes ::', text: '2001:db8:0:0:1:0:0:1', want: '2001:db8::1:0:0:1' },
  { label: 'a single zero group stays a 0', text: '2001:db8:0:1:1:1:1:1', want: '2001:db8:0:1:1:1:1:1' },
  { label: 'the unspecified address', text: '::', want: '::' },
  { label: 'IPv6 loopback', text: '::1', want: '::1' },
  { label: 'an IPv4-mapped address is its IPv4 address', text: '::ffff:192.0.2.1', want: '192.0.2.1' },
  { label: 'an IPv4-mapped address in hex groups too', text: '::ffff:c000:201', want: '192.0.2.1' },
  { label: 'an embedded dotted quad that is not IPv4-mapped', text: '64:ff9b::192.0.2.1', want: '64:ff9b::c000:201' },
  { label: 'leading zeros in IPv4 octets', text: '010.0.0.1', want: null },
  { label: 'an IPv6 zone index', text: 'fe80::1%eth0', want: null },
  { label: 'a host name', text: 'mail.example.org', want: null },
  { label: 'three octets', text: '10.0.0', want: null },
];

for (const { label, text, want } of texts) {
  test(`${label}: ${text} ${want === null ? 'is no address' : `is written ${want}`}`, () => {
    const parsed = parseIpAddress(text);
    assert.equal(parsed === null ? null : formatIpAddress(parsed), want);
  });
}

const networks: Array<{ label: string; text: string; want: string }> = [
  { label: 'an IPv4 network', text: '192.0.2.0/24', want: '192.0.2.0/24' },
  { label: 'an address alone is a host network', text: '192.0.2.7', want: '192.0.2.7/32' },
  { label: 'brackets around IPv4 are allowed', text: '[192.0.2.7]/32', want: '192.0.2.7/32' },
  { label: 'a bracketed IPv6 network', text: '[2001:DB8::]/32', want: '[2001:db8::]/32' },
  { label: 'an IPv6 address alone is a host network', text: '[::1]', want: '[::1]/128' },
  { label: 'an IPv4-mapped network counts its prefix in IPv6 bits', text: '[::ffff:192.0.2.0]/120', want: '[::ffff:c000:200]/120' },
];

for (const { label, text, want } of networks) {
  test(`${label}: ${text} reads back as ${want}`, () => {
    const parsed = parseIpNetwork(text);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.equal(formatIpNetwork(parsed.network), want);
  });
}

const badNetworks: Array<{ label: string; text: string; reason: string }> = [
  { label: 'a prefix longer than the address', text: '10.0.0.0/33', reason: 'bad net/mask pattern: "10.0.0.0/33"' },
  { label: 'a prefix that is not a number', text: '10.0.0.0/x', reason: 'bad net/mask pattern: "10.0.0.0/x"' },
  { label: 'text after the bracket that is no prefix', text: '[::1]x', reason: 'bad net/mask pattern: "[::1]x"' },
  { label: 'a missing bracket', text: '[2001:db8::', reason: 'missing \']\' character after "[2001:db8::"' },
  { label: 'no address', text: '10.0.0', reason: 'bad address pattern: "10.0.0"' },
  {
    label: 'host bits set in an IPv4 network',
    text: '192.0.2.1/24',
    reason: 'non-null host address bits in "192.0.2.1/24", perhaps you should use "192.0.2.0/24" instead',
  },
  {
    label: 'host bits set in an IPv6 network (the suggestion has no brackets, as in Postfix)',
    text: '[2001:db8::1]/32',
    reason: 'non-null host address bits in "[2001:db8::1]/32", perhaps you should use "2001:db8::/32" instead',
  },
];

for (const { label, text, reason } of badNetworks) {
  test(`${label}: ${text} is refused`, () => {
    assert.deepEqual(parseIpNetwork(text), { ok: false, reason });
  });
}

test('maskIpAddress clears the host bits of IPv4 and IPv6 addresses', () => {
  assert.equal(formatIpAddress(maskIpAddress(address('192.0.2.77'), 24)), '192.0.2.0');
  assert.equal(formatIpAddress(maskIpAddress(address('192.0.2.77'), 0)), '0.0.0.0');
  assert.equal(formatIpAddress(maskIpAddress(address('fe80::fc:ff:fe00:1'), 64)), 'fe80::');
  assert.equal(formatIpAddress(maskIpAddress(address('fd00::2'), 128)), 'fd00::2');
});

test('an IPv4 client matches an IPv4-mapped IPv6 network, and IPv4 networks never match IPv6 clients', () => {
  const mapped = parseIpNetwork('[::ffff:192.0.2.0]/120');
  const v4 = parseIpNetwork('0.0.0.0/0');
  assert.ok(mapped.ok && v4.ok);
  assert.equal(isAddressInNetwork(address('192.0.2.9'), mapped.network), true);
  assert.equal(isAddressInNetwork(address('192.0.3.9'), mapped.network), false);
  assert.equal(isAddressInNetwork(address('2001:db8::1'), v4.network), false);
});

test('the same address in different text forms is the same address', () => {
  assert.equal(isSameAddress(address('2001:db8::1'), address('2001:0db8:0:0:0:0:0:1')), true);
  assert.equal(isSameAddress(address('::ffff:127.0.0.1'), address('127.0.0.1')), true);
  assert.equal(isSameAddress(address('::1'), address('127.0.0.1')), false);
});

test('mapIpv4Address writes an IPv4 address as ::ffff:a.b.c.d and leaves IPv6 alone', () => {
  assert.equal(formatIpAddress(mapIpv4Address(address('192.0.2.1'))), '::ffff:c000:201');
  assert.equal(formatIpAddress(mapIpv4Address(address('2001:db8::1'))), '2001:db8::1');
});

const unmapCases: Array<{ label: string; text: string; want: string }> = [
  { label: 'an IPv4-mapped address gives its IPv4 address', text: '::ffff:192.0.2.1', want: '192.0.2.1' },
  { label: 'in capitals too', text: '::FFFF:192.0.2.1', want: '192.0.2.1' },
  { label: 'a mapped address in hex groups is left as written', text: '::ffff:c000:201', want: '::ffff:c000:201' },
  { label: 'an invalid IPv4 tail is left as written', text: '::ffff:300.0.2.1', want: '::ffff:300.0.2.1' },
  { label: 'other IPv6 addresses are left alone', text: '2001:db8::1', want: '2001:db8::1' },
  { label: 'IPv4 addresses are left alone', text: '192.0.2.1', want: '192.0.2.1' },
  { label: 'so is any other text', text: 'unknown', want: 'unknown' },
];

for (const { label, text, want } of unmapCases) {
  test(`unmapIpv4Address: ${label}: ${text}`, () => assert.equal(unmapIpv4Address(text), want));
}
