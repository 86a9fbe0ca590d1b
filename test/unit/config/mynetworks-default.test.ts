// Computed defaults of mynetworks, myhostname and mydomain (server/config/mynetworks-default.ts,
// myhostname-default.ts). Expected values were printed by postconf on Postfix 3.7.11 running
// on the host described in fixtures/observed-host.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostFacts } from '../../../server/config/host-facts.ts';
import { OBSERVED_HOST } from './fixtures/observed-host.ts';
import { defaultMynetworks } from '../../../server/config/mynetworks-default.ts';
import { defaultMydomain, defaultMyhostname } from '../../../server/config/myhostname-default.ts';

const CASES: { label: string; style: string; interfaces: string[]; protocols: string[]; want: string }[] = [
  { label: 'style host: every own address as a host', style: 'host', interfaces: ['all'], protocols: ['all'],
    want: '127.0.0.1/32 192.0.2.2/32 [::1]/128 [fd00::2]/128 [fe80::fc:ff:fe00:1]/128' },
  { label: 'style subnet: the subnets of the own addresses', style: 'subnet', interfaces: ['all'], protocols: ['all'],
    want: '127.0.0.0/8 192.0.2.0/24 [::1]/128 [fd00::]/64 [fe80::]/64' },
  { label: 'style class: class networks for IPv4, subnets for IPv6', style: 'class', interfaces: ['all'], protocols: ['all'],
    want: '127.0.0.0/8 192.0.2.0/24 [::1]/128 [fd00::]/64 [fe80::]/64' },
  { label: 'inet_protocols = ipv4 leaves IPv6 out', style: 'subnet', interfaces: ['all'], protocols: ['ipv4'],
    want: '127.0.0.0/8 192.0.2.0/24' },
  { label: 'inet_interfaces = loopback-only', style: 'subnet', interfaces: ['loopback-only'], protocols: ['all'],
    want: '127.0.0.0/8 [::1]/128' },
  { label: 'inet_interfaces = one address, with its interface netmask', style: 'subnet', interfaces: ['127.0.0.1'], protocols: ['all'],
    want: '127.0.0.0/8' },
  { label: 'style names in any case', style: 'HOST', interfaces: ['ALL'], protocols: ['IPv6'],
    want: '[::1]/128 [fd00::2]/128 [fe80::fc:ff:fe00:1]/128' },
];

for (const c of CASES) {
  test(`defaultMynetworks, ${c.label}`, () => {
    assert.equal(defaultMynetworks(OBSERVED_HOST, { mynetworksStyle: c.style, inetInterfaces: c.interfaces, inetProtocols: c.protocols }), c.want);
  });
}

test('class style uses the natural mask of class B networks', () => {
  const host: HostFacts = { hostname: 'h', addresses: [{ address: '172.16.5.9', family: 'IPv4', prefixLength: 24, loopback: false }] };
  assert.equal(defaultMynetworks(host, { mynetworksStyle: 'class', inetInterfaces: ['all'], inetProtocols: ['all'] }), '172.16.0.0/16');
});

test('an undotted OS host name gets .localdomain, or .$mydomain once mydomain is set', () => {
  assert.equal(defaultMyhostname('vm'), 'vm.localdomain');
  assert.equal(defaultMyhostname('vm', 'example.test'), 'vm.example.test');
  assert.equal(defaultMyhostname('mx.a.example', 'example.test'), 'mx.a.example');
});

test('mydomain is myhostname minus its first label, else localdomain', () => {
  assert.equal(defaultMydomain('mx.a.example'), 'a.example');
  assert.equal(defaultMydomain('vm.localdomain'), 'localdomain');
  assert.equal(defaultMydomain('mx'), 'localdomain');
});
