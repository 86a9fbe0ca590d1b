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
  { address: 'user@[127.0.0.001]', recipient: 'user@[127.0.0.001]', addressClass: 'local', routed: false },
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

// RESOLVE_FLAG_ERROR: what resolves to no valid domain is bad syntax to smtpd (obs: 501 5.1.3).
const errorCases: { address: string; error: boolean }[] = [
  { address: 'user%@example.test', error: true },
  { address: '!user@example.test', error: true },
  { address: 'user@192.0.2.1', error: true },
  { address: 'user@[192.0.2.1]', error: false },
  { address: 'user@[not.an.address]', error: true },
  { address: '%elsewhere.org@example.test', error: false },
  { address: 'elsewhere.org!@example.test', error: false },
  { address: 'user@under_score.example', error: false },
  { address: 'user@münchen.example', error: false },
  { address: 'postmaster', error: false },
];

for (const c of errorCases) {
  test(`${c.address} ${c.error ? 'resolves to no valid domain' : 'resolves to a valid domain'}`, () => {
    assert.equal(resolveAddress(c.address, compileRigPolicy().addressResolution).error, c.error);
  });
}
