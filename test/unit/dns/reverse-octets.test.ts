// server/dns/reverse-octets.ts: reversed addresses for DNSBL queries and PTR names, as Postfix
// builds them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reverseAddressForDnsbl, reverseLookupName } from '../../../server/dns/reverse-octets.ts';

const cases: Array<{ label: string; address: string; dnsbl: string | null; ptr: string | null }> = [
  { label: 'IPv4 octets are reversed', address: '198.51.100.66', dnsbl: '66.100.51.198', ptr: '66.100.51.198.in-addr.arpa' },
  { label: 'loopback IPv4', address: '127.0.0.10', dnsbl: '10.0.0.127', ptr: '10.0.0.127.in-addr.arpa' },
  {
    label: 'IPv6 nibbles are reversed, zeros written out',
    address: '2001:db8::1',
    dnsbl: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2',
    ptr: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
  },
  {
    label: 'IPv6 in capitals and uncompressed gives the same nibbles',
    address: '2001:0DB8:0000:0000:0000:0000:0000:00AB',
    dnsbl: 'b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2',
    ptr: 'b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
  },
  {
    label: 'IPv6 loopback',
    address: '::1',
    dnsbl: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0',
    ptr: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa',
  },
  {
    label: 'IPv6 with a trailing dotted quad that is not IPv4-mapped',
    address: '64:ff9b::192.0.2.1',
    dnsbl: '1.0.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.9.f.f.4.6.0.0',
    ptr: '1.0.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.9.f.f.4.6.0.0.ip6.arpa',
  },
  { label: 'an IPv4-mapped IPv6 address is its IPv4 address', address: '::ffff:192.0.2.1', dnsbl: '1.2.0.192', ptr: '1.2.0.192.in-addr.arpa' },
  { label: 'an IPv4-mapped address in capitals too', address: '::FFFF:192.0.2.1', dnsbl: '1.2.0.192', ptr: '1.2.0.192.in-addr.arpa' },
  { label: 'no address (unknown client) gives nothing to query', address: 'unknown', dnsbl: null, ptr: null },
  { label: 'a host name gives nothing to query', address: 'mx.example.com', dnsbl: null, ptr: null },
];

for (const { label, address, dnsbl, ptr } of cases) {
  test(`${label}: ${address}`, () => {
    assert.equal(reverseAddressForDnsbl(address), dnsbl);
    assert.equal(reverseLookupName(address), ptr);
  });
}
