// Network lists as Postfix matches mynetworks (spec/smtpd-parameters.md "Types", network-list).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchNetworkList, parseNetworkList } from '../../../server/policy/network-list.ts';

function matches(value: string, name: string, address: string, parentDomainMatches = true): boolean {
  const parsed = parseNetworkList('mynetworks', value, parentDomainMatches);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('; '));
  return matchNetworkList(parsed.list, name, address);
}

const cases: { label: string; value: string; name?: string; address: string; parent?: boolean; want: boolean }[] = [
  { label: 'an address inside an IPv4 network', value: '127.0.0.0/8', address: '127.0.0.1', want: true },
  { label: 'an address outside it', value: '127.0.0.0/8', address: '128.0.0.1', want: false },
  { label: 'an exact IPv4 address', value: '192.0.2.1', address: '192.0.2.1', want: true },
  { label: 'an exact address does not match its neighbour', value: '192.0.2.1', address: '192.0.2.2', want: false },
  { label: 'a /0 network matches every IPv4 address', value: '0.0.0.0/0', address: '203.0.113.9', want: true },
  { label: 'an IPv4-mapped IPv6 client counts as IPv4', value: '192.0.2.0/24', address: '::ffff:192.0.2.7', want: true },
  { label: 'a bracketed IPv6 network', value: '[2001:db8::]/32', address: '2001:db8:ffff::1', want: true },
  { label: 'outside the IPv6 network', value: '[2001:db8::]/32', address: '2001:db9::1', want: false },
  { label: 'an exact IPv6 address in any text form', value: '[2001:db8::1]', address: '2001:0db8:0:0:0:0:0:1', want: true },
  { label: 'IPv4 networks never match IPv6 clients', value: '0.0.0.0/0', address: '2001:db8::1', want: false },
  { label: 'first match wins: a negated address before its network', value: '!192.0.2.7, 192.0.2.0/24', address: '192.0.2.7', want: false },
  { label: 'first match wins: the network before a negation', value: '192.0.2.0/24, !192.0.2.7', address: '192.0.2.7', want: true },
  { label: 'a domain matches the client name', value: 'example.org', name: 'example.org', address: '198.51.100.7', want: true },
  { label: 'a domain matches subdomains when mynetworks is in parent_domain_matches_subdomains', value: 'example.org', name: 'mail.example.org', address: '198.51.100.7', want: true },
  { label: 'without parent matching only .domain matches subdomains', value: 'example.org', name: 'mail.example.org', address: '198.51.100.7', parent: false, want: false },
  { label: 'without parent matching .domain matches subdomains', value: '.example.org', name: 'mail.example.org', address: '198.51.100.7', parent: false, want: true },
  { label: 'names match in any case', value: 'Example.ORG', name: 'MAIL.example.org', address: '198.51.100.7', want: true },
  { label: 'an empty list matches nothing', value: '', address: '127.0.0.1', want: false },
  {
    label: 'the computed mynetworks_style = host default parses and matches',
    value: '127.0.0.1/32 192.0.2.2/32 [::1]/128 [fd00::2]/128 [fe80::fc:ff:fe00:1]/128',
    address: 'fe80::fc:ff:fe00:1',
    want: true,
  },
];

for (const c of cases) {
  test(`mynetworks ${JSON.stringify(c.value)}: ${c.label}`, () => {
    assert.equal(matches(c.value, c.name ?? 'unknown', c.address, c.parent ?? true), c.want);
  });
}

const errorCases: { value: string; error: string }[] = [
  { value: '10.0.0', error: 'in parameter mynetworks: bad address pattern: "10.0.0"' },
  { value: '10.0.0.0/33', error: 'in parameter mynetworks: bad net/mask pattern: "10.0.0.0/33"' },
  { value: '[2001:db8::1]/32', error: 'in parameter mynetworks: non-null host address bits in "[2001:db8::1]/32", perhaps you should use "2001:db8::/32" instead' },
  { value: '[2001:db8::', error: 'in parameter mynetworks: missing \']\' character after "[2001:db8::"' },
  { value: '!', error: "in parameter mynetworks: no pattern after '!'" },
];

for (const c of errorCases) {
  test(`mynetworks ${JSON.stringify(c.value)} is refused`, () => {
    assert.deepEqual(parseNetworkList('mynetworks', c.value, true), { ok: false, errors: [c.error] });
  });
}
