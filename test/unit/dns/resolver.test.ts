// server/dns/resolver.ts against the loopback DNS server: found, notfound and retry as Postfix's
// DNS_OK, DNS_NOTFOUND and DNS_RETRY, with the test zone of test/fixtures/dns/zone.txt.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createResolver, parseResolverAddress, type DnsResolver } from '../../../server/dns/resolver.ts';
import { startDnsServer, type DnsServer } from '../../support/dns-server.ts';

const ZONE = fs.readFileSync(new URL('../../fixtures/dns/zone.txt', import.meta.url), 'utf8');
const EXTRA = `
MiXed.Test.          MX    20 MX2.MiXed.TEST.
multi.test.          TXT   "v=spf1 " "-all"
alias.test.          CNAME client2.dns.test.
dual.test.           A     192.0.2.40
dual.test.           AAAA  2001:db8::40
slow.test.           TIMEOUT
1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.  PTR  v6host.dns.test.
big.test.            TXT   ${Array(6).fill(`"${'x'.repeat(250)}"`).join(' ')}
`;

describe('resolver', () => {
  let dnsServer: DnsServer;
  let resolver: DnsResolver;
  beforeEach(async () => {
    dnsServer = await startDnsServer({ zone: ZONE + EXTRA });
    resolver = createResolver({ servers: [dnsServer.server], timeoutMs: 300, tries: 1 });
  });
  afterEach(() => dnsServer.stop());

  test('A records of a name are found', async () => {
    assert.deepEqual(await resolver.a('client2.dns.test'), { status: 'found', records: ['127.0.0.2'] });
  });

  test('AAAA records of a name are found', async () => {
    assert.deepEqual(await resolver.aaaa('v6only.example.org'), { status: 'found', records: ['2001:db8::28'] });
  });

  test('MX records carry exchange and priority', async () => {
    assert.deepEqual(await resolver.mx('ref.test'), { status: 'found', records: [{ exchange: 'mx.ref.test', priority: 10 }] });
  });

  test('names in answers are lowercase and the query name may carry case and a trailing dot', async () => {
    assert.deepEqual(await resolver.mx('MIXED.test.'), { status: 'found', records: [{ exchange: 'mx2.mixed.test', priority: 20 }] });
  });

  test('a null MX is found with an empty exchange', async () => {
    assert.deepEqual(await resolver.mx('nullmx.example.net'), { status: 'found', records: [{ exchange: '', priority: 0 }] });
  });

  test('TXT records are found with their strings joined', async () => {
    assert.deepEqual(await resolver.txt('10.0.0.127.rbl.test'), {
      status: 'found',
      records: ['Listed by rbl.test, see http://rbl.test/q?ip=127.0.0.10'],
    });
    assert.deepEqual(await resolver.txt('multi.test'), { status: 'found', records: ['v=spf1 -all'] });
  });

  test('a TXT answer too large for a datagram is fetched again over TCP', async () => {
    const result = await resolver.txt('big.test');
    assert.equal(result.status, 'found');
    assert.equal(result.status === 'found' && result.records[0].length, 1500);
    assert.deepEqual(dnsServer.queries.map((query) => query.transport), ['udp', 'tcp']);
  });

  test('PTR names of an IPv4 address are asked under in-addr.arpa', async () => {
    assert.deepEqual(await resolver.ptr('127.0.0.2'), { status: 'found', records: ['client2.dns.test'] });
    assert.deepEqual(dnsServer.queries, [{ name: '2.0.0.127.in-addr.arpa', type: 'PTR', rcode: 'NOERROR', transport: 'udp' }]);
  });

  test('PTR names of an IPv6 address are asked under ip6.arpa', async () => {
    assert.deepEqual(await resolver.ptr('2001:db8::1'), { status: 'found', records: ['v6host.dns.test'] });
  });

  test('PTR of an IPv4-mapped IPv6 address asks for the IPv4 address', async () => {
    assert.deepEqual(await resolver.ptr('::ffff:127.0.0.1'), { status: 'found', records: ['localhost'] });
  });

  test('PTR of something that is not an address is a bug and throws', async () => {
    await assert.rejects(resolver.ptr('unknown'), TypeError);
  });

  test('a name behind a CNAME is found with the addresses of its target', async () => {
    assert.deepEqual(await resolver.a('alias.test'), { status: 'found', records: ['127.0.0.2'] });
  });

  test('a name that does not exist (NXDOMAIN) is not found', async () => {
    assert.deepEqual(await resolver.a('nx.example.com'), { status: 'notfound' });
  });

  test('a name without records of the asked type (NODATA) is not found, with nodata', async () => {
    assert.deepEqual(await resolver.mx('example.org'), { status: 'notfound', nodata: true });
  });

  test('SERVFAIL is a retry, never not found', async () => {
    assert.deepEqual(await resolver.mx('tempfail.example.com'), {
      status: 'retry',
      code: 'ESERVFAIL',
      reason: 'Host or domain name not found. Name service error for name=tempfail.example.com type=MX: Host not found, try again',
    });
  });

  test('a server that never answers gives a retry after about the timeout', async () => {
    const started = Date.now();
    const result = await resolver.a('slow.test');
    const elapsed = Date.now() - started;
    assert.equal(result.status, 'retry');
    assert.equal(result.status === 'retry' && result.code, 'ETIMEOUT');
    assert.ok(elapsed >= 250 && elapsed < 1000, `took ${elapsed} ms`);
  });

  test('a server that is not running gives a retry', async () => {
    await dnsServer.stop();
    const result = await resolver.a('client2.dns.test');
    assert.equal(result.status, 'retry');
  });

  test('query names are absolute: no search domain is appended', async () => {
    await resolver.a('nosuchhost');
    assert.deepEqual(dnsServer.queries.map((query) => query.name), ['nosuchhost']);
  });

  test('addresses are found from A and AAAA together', async () => {
    assert.deepEqual(await resolver.addresses('dual.test'), { status: 'found', records: ['192.0.2.40', '2001:db8::40'] });
  });

  test('addresses of a name with only A records are found', async () => {
    assert.deepEqual(await resolver.addresses('aonly.example.org'), { status: 'found', records: ['192.0.2.28'] });
  });

  test('addresses of a name with only MX records are not found, with nodata', async () => {
    assert.deepEqual(await resolver.addresses('example.com'), { status: 'notfound', nodata: true });
  });

  test('addresses of a name that does not exist are not found', async () => {
    assert.deepEqual(await resolver.addresses('nx.example.com'), { status: 'notfound' });
  });

  test('addresses of a failing name are a retry', async () => {
    const result = await resolver.addresses('tempfail.example.com');
    assert.equal(result.status, 'retry');
  });
});

describe('dns_resolvers items', () => {
  const cases: Array<{ label: string; item: string; want: { host: string; port: number } | null }> = [
    { label: 'IPv4 address', item: '192.0.2.53', want: { host: '192.0.2.53', port: 53 } },
    { label: 'IPv4 address and port', item: '127.0.0.1:5353', want: { host: '127.0.0.1', port: 5353 } },
    { label: 'bracketed IPv6', item: '[::1]', want: { host: '::1', port: 53 } },
    { label: 'bracketed IPv6 and port', item: '[2001:db8::53]:5353', want: { host: '2001:db8::53', port: 5353 } },
    { label: 'bare IPv6', item: '2001:db8::53', want: { host: '2001:db8::53', port: 53 } },
    { label: 'host name (c-ares wants addresses)', item: 'ns.example.com', want: null },
    { label: 'port out of range', item: '127.0.0.1:70000', want: null },
    { label: 'port zero', item: '127.0.0.1:0', want: null },
    { label: 'IPv4 in brackets', item: '[127.0.0.1]:53', want: null },
    { label: 'empty', item: '', want: null },
  ];
  for (const { label, item, want } of cases) {
    test(`${label}: ${JSON.stringify(item)}`, () => {
      assert.deepEqual(parseResolverAddress(item), want);
    });
  }

  test('a malformed item makes createResolver throw, naming the parameter', () => {
    assert.throws(() => createResolver({ servers: ['ns.example.com'], timeoutMs: 300 }), /dns_resolvers: .*ns\.example\.com/);
  });
});
