// Address classes as trivial-rewrite resolves them for smtpd (spec/restrictions.md section 10.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAddress } from '../../../server/policy/resolve-address.ts';
import { compileRigPolicy } from './policy-rig.ts';

const cases: { address: string; recipient: string; addressClass: string; routed: boolean; changes?: Record<string, string> }[] = [
  { address: 'alice@example.test', recipient: 'alice@example.test', addressClass: 'local', routed: false },
  { address: 'Alice@Example.Test', recipient: 'alice@example.test', addressClass: 'local', routed: false },
  { address: 'alice', recipient: 'alice@example.test', addressClass: 'local', routed: false },
  { address: 'y@sub.relay.test', recipient: 'y@sub.relay.test', addressClass: 'relay', routed: false },
  { address: 'x@elsewhere.org', recipient: 'x@elsewhere.org', addressClass: 'default', routed: false },
  { address: 'x@elsewhere.org.', recipient: 'x@elsewhere.org', addressClass: 'default', routed: false },
  { address: 'user%elsewhere.org@example.test', recipient: 'user@elsewhere.org', addressClass: 'default', routed: false },
  { address: 'user@elsewhere.org@example.test', recipient: 'user@elsewhere.org', addressClass: 'default', routed: false },
  { address: 'user!elsewhere.org@example.test', recipient: 'elsewhere.org@user', addressClass: 'default', routed: false },
  { address: 'elsewhere.org!user@example.test', recipient: 'user@elsewhere.org', addressClass: 'default', routed: false },
  { address: 'user%other.org@relay.test', recipient: 'user%other.org@relay.test', addressClass: 'relay', routed: true },
  { address: 'a!b@relay.test', recipient: 'a!b@relay.test', addressClass: 'relay', routed: true },
  { address: '@relay1.example:user@relay.test', recipient: 'user@relay.test', addressClass: 'relay', routed: false },
  { address: 'user@[127.0.0.1]', recipient: 'user@[127.0.0.1]', addressClass: 'local', routed: false },
  { address: 'user@[192.0.2.99]', recipient: 'user@[192.0.2.99]', addressClass: 'default', routed: false },
  { address: 'user@[192.0.2.99]', recipient: 'user@[192.0.2.99]', addressClass: 'local', routed: false, changes: { proxy_interfaces: '192.0.2.99' } },
  { address: 'user%example.test@example.test', recipient: 'user@example.test', addressClass: 'local', routed: false },
  { address: 'x@virtual.test', recipient: 'x@virtual.test', addressClass: 'virtual', routed: false, changes: { virtual_mailbox_domains: 'virtual.test' } },
  { address: 'x@alias.test', recipient: 'x@alias.test', addressClass: 'alias', routed: false, changes: { virtual_alias_domains: 'alias.test' } },
];

for (const c of cases) {
  test(`${c.address} resolves to ${c.recipient} (${c.addressClass}${c.routed ? ', routed' : ''})`, () => {
    const resolved = resolveAddress(c.address, compileRigPolicy(c.changes).addressResolution);
    assert.deepEqual([resolved.recipient, resolved.addressClass, resolved.routed], [c.recipient, c.addressClass, c.routed]);
  });
}
