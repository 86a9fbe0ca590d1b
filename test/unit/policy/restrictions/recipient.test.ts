// Relay control under the 3.7 default smtpd_relay_restrictions (permit_mynetworks,
// permit_sasl_authenticated, defer_unauth_destination), as observed on the rig
// (spec/appendix-observed.md, "Relay and recipients"), and the 1.1 check_relay_domains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';
import { whatsupLine } from '../whatsup-line.ts';

const DENIED = (rcpt: string): string => `454 4.7.1 <${rcpt}>: Relay access denied`;

const defaultRelayCases: { label: string; recipient: string; want: string }[] = [
  { label: 'a domain we do not serve is relay access denied', recipient: 'x@elsewhere.org', want: DENIED('x@elsewhere.org') },
  { label: 'mydestination is accepted', recipient: 'alice@example.test', want: 'DUNNO' },
  { label: 'relay_domains is accepted', recipient: 'y@relay.test', want: 'DUNNO' },
  { label: 'a subdomain of relay_domains is accepted (parent_domain_matches_subdomains)', recipient: 'y@sub.relay.test', want: 'DUNNO' },
  { label: 'bare postmaster is never judged', recipient: 'postmaster', want: 'DUNNO' },
  { label: 'bare postmaster in any case is never judged', recipient: 'PostMaster', want: 'DUNNO' },
  { label: 'postmaster of our domain is an authorized destination', recipient: 'postmaster@example.test', want: 'DUNNO' },
  { label: 'a literal of our inet_interfaces address is local', recipient: 'user@[127.0.0.1]', want: 'DUNNO' },
  { label: 'a literal of another address is relay access denied', recipient: 'user@[192.0.2.25]', want: DENIED('user@[192.0.2.25]') },
  { label: 'an IPv6 literal is not ours with inet_protocols = ipv4', recipient: 'user@[IPv6:::1]', want: DENIED('user@[IPv6:::1]') },
  { label: 'the percent hack through our domain is relay access denied', recipient: 'user%elsewhere.org@example.test', want: DENIED('user%elsewhere.org@example.test') },
  { label: 'a second @ through our domain is relay access denied', recipient: 'user@elsewhere.org@example.test', want: DENIED('user@elsewhere.org@example.test') },
  { label: 'a bang path through our domain is relay access denied', recipient: 'user!elsewhere.org@example.test', want: DENIED('user!elsewhere.org@example.test') },
  { label: 'a bang path through our domain to a relay domain is accepted', recipient: 'relay.test!user@example.test', want: 'DUNNO' },
  { label: 'sender-specified routing is never authorized, even to relay_domains', recipient: 'user%elsewhere.org@relay.test', want: DENIED('user%elsewhere.org@relay.test') },
  { label: 'a source route is dropped before the domain is judged', recipient: '@elsewhere.org:y@relay.test', want: 'DUNNO' },
  { label: 'a source route through a relay domain does not authorize', recipient: '@relay.test:x@elsewhere.org', want: DENIED('@relay.test:x@elsewhere.org') },
  { label: 'a trailing dot on a relay domain is ignored', recipient: 'y@relay.test.', want: 'DUNNO' },
  { label: 'a trailing dot on a foreign domain is still denied', recipient: 'x@elsewhere.org.', want: DENIED('x@elsewhere.org.') },
  { label: 'domains match in any case', recipient: 'Y@RELAY.TEST', want: 'DUNNO' },
  { label: 'an unqualified recipient gets @$myorigin and is local', recipient: 'alice', want: 'DUNNO' },
];

for (const c of defaultRelayCases) {
  test(`3.7 default relay policy, stranger: ${c.label}`, () => {
    const verdict = checkRcpt(compileRigPolicy(), strangerSession(), c.recipient);
    assert.equal(outcomeOf(verdict), c.want);
  });
}

test('relay access denied is logged as on the rig', () => {
  const session = strangerSession();
  const verdict = checkRcpt(compileRigPolicy(), session, 'x@elsewhere.org');
  assert.equal(verdict.kind, 'reject');
  if (verdict.kind !== 'reject') return;
  assert.equal(
    whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    'NOQUEUE: reject: RCPT from client.example.org[198.51.100.7]: 454 4.7.1 <x@elsewhere.org>: Relay access denied; ' +
      'from=<a@example.org> to=<x@elsewhere.org> proto=ESMTP helo=<client.example.org>',
  );
  assert.equal(verdict.restriction, 'defer_unauth_destination');
  assert.equal(verdict.parameter, 'smtpd_relay_restrictions');
});

test('a mynetworks client relays anywhere', () => {
  assert.equal(outcomeOf(checkRcpt(compileRigPolicy(), rigSession(), 'x@elsewhere.org')), 'DUNNO');
});

test('an IPv4-mapped IPv6 client address counts as the IPv4 address for mynetworks', () => {
  assert.equal(outcomeOf(checkRcpt(compileRigPolicy(), rigSession({ clientAddress: '::ffff:127.0.0.1' }), 'x@elsewhere.org')), 'DUNNO');
});

test('a client that logged in with AUTH relays anywhere', () => {
  assert.equal(outcomeOf(checkRcpt(compileRigPolicy(), strangerSession({ saslUsername: 'alice' }), 'x@elsewhere.org')), 'DUNNO');
});

test('allow_untrusted_routing = yes lets routed addresses to relay_domains through', () => {
  const policy = compileRigPolicy({ allow_untrusted_routing: 'yes' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'user%elsewhere.org@relay.test')), 'DUNNO');
});

const codeCases: { label: string; changes: Record<string, string>; recipient: string; want: string }[] = [
  {
    label: 'reject_unauth_destination answers relay_domains_reject_code with 5.7.1',
    changes: { smtpd_relay_restrictions: 'permit_mynetworks, reject_unauth_destination' },
    recipient: 'x@good.test',
    want: '554 5.7.1 <x@good.test>: Relay access denied',
  },
  {
    label: 'relay_domains_reject_code = 550 makes reject_unauth_destination answer 550',
    changes: { smtpd_relay_restrictions: 'reject_unauth_destination', relay_domains_reject_code: '550' },
    recipient: 'x@good.test',
    want: '550 5.7.1 <x@good.test>: Relay access denied',
  },
  {
    label: 'relay_domains_reject_code = 550 makes defer_unauth_destination answer 450 4.7.1',
    changes: { relay_domains_reject_code: '550' },
    recipient: 'x@good.test',
    want: '450 4.7.1 <x@good.test>: Relay access denied',
  },
  {
    label: 'relay_domains_reject_code = 450 gives defer_unauth_destination an invalid 350: Service unavailable',
    changes: { relay_domains_reject_code: '450' },
    recipient: 'x@good.test',
    want: '450 4.7.1 Service unavailable',
  },
];

for (const c of codeCases) {
  test(c.label, () => {
    assert.equal(outcomeOf(checkRcpt(compileRigPolicy(c.changes), strangerSession(), c.recipient)), c.want);
  });
}

const checkRelayDomainsCases: { label: string; session: Partial<Parameters<typeof strangerSession>[0]>; recipient: string; want: string }[] = [
  { label: 'a foreign recipient from a foreign client is refused', session: {}, recipient: 'x@good.test', want: '554 5.7.1 <x@good.test>: Recipient address rejected: Relay access denied' },
  { label: 'a client whose name is in relay_domains may relay', session: { clientName: 'host.relay.test' }, recipient: 'x@good.test', want: 'DUNNO' },
  { label: 'mail for relay_domains is accepted', session: {}, recipient: 'x@relay.test', want: 'DUNNO' },
];

for (const c of checkRelayDomainsCases) {
  test(`1.1 check_relay_domains: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_relay_restrictions: '', smtpd_recipient_restrictions: 'permit_mynetworks, check_relay_domains' });
    const verdict = checkRcpt(policy, strangerSession(c.session), c.recipient);
    assert.equal(outcomeOf(verdict), c.want);
    assert.deepEqual(
      verdict.events.map((event) => (event.kind === 'warning' ? event.text : event.kind)),
      ['support for restriction "check_relay_domains" will be removed from Postfix; use "reject_unauth_destination" instead'],
    );
  });
}

test('permit_auth_destination permits our domains and leaves others to the next step', () => {
  const policy = compileRigPolicy({ smtpd_relay_restrictions: 'permit_auth_destination, reject' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'y@relay.test')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'x@good.test')), '554 5.7.1 <x@good.test>: Recipient address rejected: Access denied');
});

const nonFqdnCases: { label: string; recipient: string; want: string }[] = [
  { label: 'a domain without a dot is refused', recipient: 'x@y', want: '504 5.5.2 <x@y>: Recipient address rejected: need fully-qualified address' },
  { label: 'an address without domain is refused (judged as written)', recipient: 'alice', want: '504 5.5.2 <alice>: Recipient address rejected: need fully-qualified address' },
  { label: 'an all-numeric domain is refused', recipient: 'x@192.0.2.1', want: '504 5.5.2 <x@192.0.2.1>: Recipient address rejected: need fully-qualified address' },
  { label: 'an address literal is not judged', recipient: 'x@[192.0.2.1]', want: 'DUNNO' },
  { label: 'a fully-qualified domain with a trailing dot passes', recipient: 'alice@example.test.', want: 'DUNNO' },
];

for (const c of nonFqdnCases) {
  test(`reject_non_fqdn_recipient: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject_non_fqdn_recipient' });
    assert.equal(outcomeOf(checkRcpt(policy, rigSession(), c.recipient)), c.want);
  });
}
