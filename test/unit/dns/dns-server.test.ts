// test/support/dns-server.ts, the loopback DNS server other tests rely on, asked through the
// real resolver: wildcards, empty non-terminals, zone replacement, the query log, and its refusals.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createResolver } from '../../../server/dns/resolver.ts';
import { startDnsServer, type DnsServer } from '../../support/dns-server.ts';

const ZONE = `
# comment line
*.wild.test.          A     192.0.2.9   # trailing comment
real.wild.test.       MX    10 mx.example.com.
10.0.0.127.rbl.test.  300 A 127.0.0.2
slow.test.            TIMEOUT
`;

describe('loopback DNS server', () => {
  let dnsServer: DnsServer | undefined;
  const start = async (zone = ZONE) => {
    dnsServer = await startDnsServer({ zone });
    return { server: dnsServer, resolver: createResolver({ servers: [dnsServer.server], timeoutMs: 300, tries: 1 }) };
  };
  afterEach(async () => {
    await dnsServer?.stop();
    dnsServer = undefined;
  });

  test('listens on 127.0.0.1 and names itself for dns_resolvers', async () => {
    const { server } = await start();
    assert.equal(server.host, '127.0.0.1');
    assert.equal(server.server, `127.0.0.1:${server.port}`);
  });

  test('a wildcard answers for names below it that do not exist', async () => {
    const { resolver } = await start();
    assert.deepEqual(await resolver.a('anything.wild.test'), { status: 'found', records: ['192.0.2.9'] });
    assert.deepEqual(await resolver.a('deeper.anything.wild.test'), { status: 'found', records: ['192.0.2.9'] });
  });

  test('a wildcard does not answer for a name that has records of its own', async () => {
    const { resolver } = await start();
    assert.deepEqual(await resolver.a('real.wild.test'), { status: 'notfound', nodata: true });
  });

  test('a name that exists only through names below it answers NODATA', async () => {
    const { resolver } = await start();
    assert.deepEqual(await resolver.a('0.0.127.rbl.test'), { status: 'notfound', nodata: true });
    assert.deepEqual(await resolver.a('9.0.0.127.rbl.test'), { status: 'notfound' });
  });

  test('setZone replaces the records for later queries', async () => {
    const { server, resolver } = await start();
    server.setZone('10.0.0.127.rbl.test. A 127.0.0.4\n');
    assert.deepEqual(await resolver.a('10.0.0.127.rbl.test'), { status: 'found', records: ['127.0.0.4'] });
    assert.deepEqual(await resolver.a('anything.wild.test'), { status: 'notfound' });
  });

  test('every query is recorded with its name, type and rcode, unanswered ones as TIMEOUT', async () => {
    const { server, resolver } = await start();
    await resolver.a('10.0.0.127.RBL.test');
    await resolver.txt('10.0.0.127.rbl.test');
    await resolver.a('nx.test');
    await resolver.a('slow.test');
    assert.deepEqual(server.queries, [
      { name: '10.0.0.127.rbl.test', type: 'A', rcode: 'NOERROR', transport: 'udp' },
      { name: '10.0.0.127.rbl.test', type: 'TXT', rcode: 'NOERROR', transport: 'udp' },
      { name: 'nx.test', type: 'A', rcode: 'NXDOMAIN', transport: 'udp' },
      { name: 'slow.test', type: 'A', rcode: 'TIMEOUT', transport: 'udp' },
    ]);
  });

  test('a SERVFAIL or TIMEOUT with a type fails that type only, and the other records of the name answer', async () => {
    const { server, resolver } = await start(`
mx-fails.test.        SERVFAIL MX
mx-fails.test.        A     192.0.2.40
a-stalls.test.        TIMEOUT A
a-stalls.test.        MX    10 mx.example.com.
`);
    assert.equal((await resolver.mx('mx-fails.test')).status, 'retry');
    assert.deepEqual(await resolver.a('mx-fails.test'), { status: 'found', records: ['192.0.2.40'] });
    assert.equal((await resolver.a('a-stalls.test')).status, 'retry');
    assert.deepEqual(await resolver.mx('a-stalls.test'), { status: 'found', records: [{ exchange: 'mx.example.com', priority: 10 }] });
    assert.deepEqual(server.queries.map((q) => `${q.name} ${q.type} ${q.rcode}`), [
      'mx-fails.test MX SERVFAIL', 'mx-fails.test A NOERROR', 'a-stalls.test A TIMEOUT', 'a-stalls.test MX NOERROR',
    ]);
  });

  test('refuses to listen on an address that is not loopback', async () => {
    await assert.rejects(startDnsServer({ zone: ZONE, host: '0.0.0.0' }), /refusing non-loopback address 0\.0\.0\.0/);
    await assert.rejects(startDnsServer({ zone: ZONE, host: '192.0.2.1' }), /refusing non-loopback/);
  });

  test('a zone line it cannot read is an error naming the line', async () => {
    await assert.rejects(startDnsServer({ zone: 'ok.test. A 192.0.2.1\nbad.test. SRV 0 0 25 x.test.\n' }), /zone line 2: unknown type SRV/);
    await assert.rejects(startDnsServer({ zone: 'bad.test. A 999.0.0.1\n' }), /zone line 1: bad IPv4 address/);
    await assert.rejects(startDnsServer({ zone: 'bad.test. SERVFAIL SRV\n' }), /zone line 1: SERVFAIL takes at most one query type/);
  });
});
