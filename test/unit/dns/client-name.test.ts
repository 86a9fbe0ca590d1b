// server/dns/client-name.ts: Postfix's client hostname lookup (PTR, then forward confirmation)
// against the loopback DNS server with test/fixtures/dns/zone.txt plus a few records of its own.
import { dnsHostLookup } from '../../../server/dns/host-lookup.ts';
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { lookupClientName, type ClientNameResult } from '../../../server/dns/client-name.ts';
import { createResolver, type DnsResolver } from '../../../server/dns/resolver.ts';
import { startDnsServer, type DnsServer } from '../../support/dns-server.ts';

const ZONE = fs.readFileSync(new URL('../../fixtures/dns/zone.txt', import.meta.url), 'utf8');
const EXTRA = `
20.0.0.127.in-addr.arpa.   PTR   192.0.2.1.
21.0.0.127.in-addr.arpa.   PTR   bad_name-.dns.test.
22.0.0.127.in-addr.arpa.   PTR   nx22.dns.test.
23.0.0.127.in-addr.arpa.   PTR   fail23.dns.test.
fail23.dns.test.           SERVFAIL
24.0.0.127.in-addr.arpa.   PTR   v6only24.dns.test.
v6only24.dns.test.         AAAA  ::1
25.0.0.127.in-addr.arpa.   PTR   Upper25.DNS.test.
upper25.dns.test.          A     127.0.0.25
26.0.0.127.in-addr.arpa.   TIMEOUT
1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.  PTR  v6host.dns.test.
v6host.dns.test.           AAAA  2001:db8:0:0::1
v6host.dns.test.           A     127.0.0.1
`;

describe('lookupClientName', () => {
  let dnsServer: DnsServer;
  let resolver: DnsResolver;
  beforeEach(async () => {
    dnsServer = await startDnsServer({ zone: ZONE + EXTRA });
    resolver = createResolver({ servers: [dnsServer.server], timeoutMs: 300, tries: 1 });
  });
  afterEach(() => dnsServer.stop());

  const cases: Array<{ label: string; address: string; want: ClientNameResult }> = [
    {
      label: '127.0.0.1 is localhost, forward-confirmed',
      address: '127.0.0.1',
      want: { name: 'localhost', reverseName: 'localhost', nameStatus: 'ok', reverseNameStatus: 'ok' },
    },
    {
      label: '127.0.0.2 is client2.dns.test, forward-confirmed',
      address: '127.0.0.2',
      want: { name: 'client2.dns.test', reverseName: 'client2.dns.test', nameStatus: 'ok', reverseNameStatus: 'ok' },
    },
    {
      label: '127.0.0.3 has no PTR record: unknown, not found',
      address: '127.0.0.3',
      want: { name: 'unknown', reverseName: 'unknown', nameStatus: 'notfound', reverseNameStatus: 'notfound' },
    },
    {
      label: '127.0.0.4 has a PTR name whose A record points elsewhere: forged',
      address: '127.0.0.4',
      want: {
        name: 'unknown', reverseName: 'forged4.dns.test', nameStatus: 'forged', reverseNameStatus: 'ok',
        warning: 'hostname forged4.dns.test does not resolve to address 127.0.0.4',
      },
    },
    {
      label: '127.0.0.5 gets SERVFAIL for its PTR: retry, never not found',
      address: '127.0.0.5',
      want: { name: 'unknown', reverseName: 'unknown', nameStatus: 'retry', reverseNameStatus: 'retry' },
    },
    {
      label: '127.0.0.6 is host6.spammy.test, forward-confirmed',
      address: '127.0.0.6',
      want: { name: 'host6.spammy.test', reverseName: 'host6.spammy.test', nameStatus: 'ok', reverseNameStatus: 'ok' },
    },
    {
      label: 'an IPv4-mapped IPv6 address is looked up as its IPv4 address',
      address: '::ffff:127.0.0.2',
      want: { name: 'client2.dns.test', reverseName: 'client2.dns.test', nameStatus: 'ok', reverseNameStatus: 'ok' },
    },
    {
      label: 'a PTR name that is an address literal counts as no name',
      address: '127.0.0.20',
      want: {
        name: 'unknown', reverseName: 'unknown', nameStatus: 'notfound', reverseNameStatus: 'notfound',
        warning: 'numeric hostname: 192.0.2.1',
      },
    },
    {
      label: 'a PTR name that is not hostname syntax counts as no name',
      address: '127.0.0.21',
      want: {
        name: 'unknown', reverseName: 'unknown', nameStatus: 'notfound', reverseNameStatus: 'notfound',
        warning: 'valid_hostname: misplaced hyphen: bad_name-.dns.test',
      },
    },
    {
      label: 'a PTR name that does not exist is forged',
      address: '127.0.0.22',
      want: {
        name: 'unknown', reverseName: 'nx22.dns.test', nameStatus: 'forged', reverseNameStatus: 'ok',
        warning: 'hostname nx22.dns.test does not resolve to address 127.0.0.22: Name or service not known',
      },
    },
    {
      label: 'a PTR name whose forward lookup fails temporarily is a retry',
      address: '127.0.0.23',
      want: {
        name: 'unknown', reverseName: 'fail23.dns.test', nameStatus: 'retry', reverseNameStatus: 'ok',
        warning: 'hostname fail23.dns.test does not resolve to address 127.0.0.23: Temporary failure in name resolution',
      },
    },
    {
      label: 'an IPv4 client is confirmed by A records only, not AAAA',
      address: '127.0.0.24',
      want: {
        name: 'unknown', reverseName: 'v6only24.dns.test', nameStatus: 'forged', reverseNameStatus: 'ok',
        warning: 'hostname v6only24.dns.test does not resolve to address 127.0.0.24: No address associated with hostname',
      },
    },
    {
      label: 'a PTR name in capitals is kept in lowercase',
      address: '127.0.0.25',
      want: { name: 'upper25.dns.test', reverseName: 'upper25.dns.test', nameStatus: 'ok', reverseNameStatus: 'ok' },
    },
    {
      label: 'a PTR query that times out is a retry',
      address: '127.0.0.26',
      want: { name: 'unknown', reverseName: 'unknown', nameStatus: 'retry', reverseNameStatus: 'retry' },
    },
    {
      label: 'an IPv6 client is confirmed by its AAAA record, whatever its spelling',
      address: '2001:db8::1',
      want: { name: 'v6host.dns.test', reverseName: 'v6host.dns.test', nameStatus: 'ok', reverseNameStatus: 'ok' },
    },
  ];
  for (const { label, address, want } of cases) {
    test(label, async () => {
      assert.deepEqual(await lookupClientName(dnsHostLookup(resolver), address), want);
    });
  }

  test('the forward lookup asks only the client address family', async () => {
    await lookupClientName(dnsHostLookup(resolver), '127.0.0.2');
    assert.deepEqual(dnsServer.queries.map(({ name, type }) => `${name} ${type}`), [
      '2.0.0.127.in-addr.arpa PTR',
      'client2.dns.test A',
    ]);
  });
});
