// lookupNextHop (server/delivery/next-hop.ts): the transport and nexthop of a recipient without
// a transport_maps entry, by its address class, as transport(5) orders them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MainCf } from '../../../server/config/main-cf.ts';
import { buildDeliverySettings } from '../../../server/delivery/delivery-settings.ts';
import { lookupNextHop } from '../../../server/delivery/next-hop.ts';
import { createTableCatalog } from '../../../server/maps/table-catalog.ts';

function nextHops(parameters: Record<string, string>, recipients: string[]): string[] {
  const built = buildDeliverySettings(new MainCf(parameters), createTableCatalog(null));
  assert.ok(built.ok, built.ok ? '' : built.errors.join('; '));
  return recipients.map((r) => {
    const hop = lookupNextHop(built.settings, r, undefined);
    return hop.ok ? `${hop.transport}:${hop.nexthop}` : `failed: ${hop.reason}`;
  });
}

test('relay_domains recipients take relay_transport, the others default_transport', () => {
  assert.deepEqual(
    nextHops({ relay_domains: 'example.com' }, ['a@example.com', 'b@sub.example.com', 'c@example.org', 'd@EXAMPLE.COM']),
    ['relay:example.com', 'relay:sub.example.com', 'smtp:example.org', 'relay:example.com'],
  );
});

test('the nexthop of relay_transport comes first, then relayhost, then the recipient domain', () => {
  const to = ['a@example.com', 'b@example.org'];
  assert.deepEqual(nextHops({ relay_domains: 'example.com', relay_transport: 'relay:[10.0.0.5]:2525', relayhost: '[192.0.2.1]' }, to),
    ['relay:[10.0.0.5]:2525', 'smtp:[192.0.2.1]']);
  assert.deepEqual(nextHops({ relay_domains: 'example.com', relayhost: '[192.0.2.1]' }, to), ['relay:[192.0.2.1]', 'smtp:[192.0.2.1]']);
  assert.deepEqual(nextHops({ relay_domains: 'example.com', relay_transport: 'lmtp:inet:[10.0.0.6]:24' }, to), ['lmtp:inet:[10.0.0.6]:24', 'smtp:example.org']);
});

test('relay_domains matches as Postfix does: subdomains only while it is in parent_domain_matches_subdomains, and ! excludes', () => {
  const to = ['a@example.com', 'b@sub.example.com', 'c@other.example.com'];
  assert.deepEqual(nextHops({ relay_domains: '!other.example.com, example.com' }, to), ['relay:example.com', 'relay:sub.example.com', 'smtp:other.example.com']);
  assert.deepEqual(nextHops({ relay_domains: 'example.com', parent_domain_matches_subdomains: 'smtpd_access_maps' }, to),
    ['relay:example.com', 'smtp:sub.example.com', 'smtp:other.example.com']);
});

test('a relay_domains table that cannot be opened refuses the delivery settings', () => {
  const built = buildDeliverySettings(new MainCf({ relay_domains: 'hash:missing_domains' }), createTableCatalog(null));
  assert.equal(built.ok, false);
  assert.ok(!built.ok && built.errors.some((e) => e.includes('missing_domains')), built.ok ? '' : built.errors.join('; '));
});
