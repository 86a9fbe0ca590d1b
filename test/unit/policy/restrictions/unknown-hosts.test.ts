// Names that must exist in the DNS (server/policy/restrictions/unknown-hosts.ts): the client
// name lookup, the HELO name, the sender and recipient domains, and what a temporary DNS
// failure does under the *_tempfail_action, warn_if_reject and defer_if_permit
// (spec/restrictions.md sections 8 and 10, spec/appendix-observed.md "Built-in
// restrictions", recorded dialogues reject-unknown-*.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMail, checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import type { CheckVerdict } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';
import { settleDns, staticDns, type StaticZone } from '../static-dns.ts';

const ZONE: StaticZone = {
  'A good.test': ['192.0.2.10'],
  'MX good.test': [{ exchange: 'mx.good.test', priority: 10 }],
  'A helo.good.test': ['192.0.2.11'],
  'MX mxonly.test': [{ exchange: 'mx.good.test', priority: 10 }],
  'MX nullmx.test': [{ exchange: '', priority: 0 }],
  'A aonly.test': ['192.0.2.28'],
  'AAAA v6only.test': ['2001:db8::28'],
  'SERVFAIL flaky.test': true,
  'SERVFAIL MX mxfail.test': true,
  'A mxfail.test': ['192.0.2.29'],
  'SERVFAIL MX mxfail-noaddr.test': true,
  'MX example.com': [{ exchange: 'mx.example.com', priority: 10 }],
  'MX good.example.com': [{ exchange: 'mx.example.com', priority: 10 }],
};

const RCPT = 'alice@example.test';

function stranger(changes: Parameters<typeof strangerSession>[0] = {}) {
  return strangerSession({ dns: staticDns(ZONE), ...changes });
}

function rejectWarnings(verdict: CheckVerdict): string[] {
  return verdict.events.flatMap((e) => (e.kind === 'reject_warning' ? [`${e.reply.code} ${e.reply.enh} ${e.reply.text}`] : []));
}

// Client names: the statuses are those of the lookup at connect (server/dns/client-name.ts).
const CLIENT_LIST = 'reject_unknown_reverse_client_hostname, reject_unknown_client_hostname, permit';

const clientCases: { label: string; list?: string; changes?: Record<string, string>; session: Parameters<typeof strangerSession>[0]; want: string }[] = [
  {
    label: 'no verified name, PTR present (XCLIENT NAME=[UNAVAILABLE]) (obs)',
    session: { clientAddress: '198.51.100.99', clientName: 'unknown', clientNameStatus: 'notfound' },
    want: '450 4.7.25 Client host rejected: cannot find your hostname, [198.51.100.99]',
  },
  {
    label: 'both lookups failing temporarily ([TEMPUNAVAIL]) (obs)',
    session: { clientAddress: '198.51.100.99', clientName: 'unknown', reverseClientName: 'unknown', clientNameStatus: 'retry', reverseNameStatus: 'retry' },
    want: '450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.51.100.99]',
  },
  {
    label: 'a PTR name that does not map back (recorded case reject-unknown-client-hostname--forged-ptr)',
    list: 'reject_unknown_client_hostname',
    session: { clientAddress: '127.0.0.4', clientName: 'unknown', reverseClientName: 'forged4.dns.test', clientNameStatus: 'forged' },
    want: '450 4.7.25 Client host rejected: cannot find your hostname, [127.0.0.4]',
  },
  {
    label: 'no PTR, unknown_client_reject_code = 550 (recorded case reject-unknown-client-hostname--reverse-no-ptr-code)',
    list: 'reject_unknown_reverse_client_hostname',
    changes: { unknown_client_reject_code: '550' },
    session: { clientAddress: '127.0.0.3', clientName: 'unknown', reverseClientName: 'unknown', clientNameStatus: 'notfound', reverseNameStatus: 'notfound' },
    want: '550 5.7.1 Client host rejected: cannot find your reverse hostname, [127.0.0.3]',
  },
  {
    label: 'unknown_client_reject_code = 550 applies to a permanent failure',
    list: 'reject_unknown_client_hostname',
    changes: { unknown_client_reject_code: '550' },
    session: { clientAddress: '198.51.100.99', clientName: 'unknown', clientNameStatus: 'forged' },
    want: '550 5.7.25 Client host rejected: cannot find your hostname, [198.51.100.99]',
  },
  {
    label: 'a temporary failure is always 450',
    list: 'reject_unknown_client_hostname',
    changes: { unknown_client_reject_code: '550' },
    session: { clientAddress: '198.51.100.99', clientName: 'unknown', clientNameStatus: 'retry' },
    want: '450 4.7.25 Client host rejected: cannot find your hostname, [198.51.100.99]',
  },
  {
    label: 'a temporary failure is answered at once, not postponed behind a later permit',
    list: 'reject_unknown_client_hostname, permit',
    session: { clientAddress: '198.51.100.99', clientName: 'unknown', clientNameStatus: 'retry' },
    want: '450 4.7.25 Client host rejected: cannot find your hostname, [198.51.100.99]',
  },
  { label: 'a verified name passes', session: {}, want: 'DUNNO' },
  {
    label: 'reject_unknown_client is the old name',
    list: 'reject_unknown_client',
    session: { clientName: 'unknown', clientNameStatus: 'notfound' },
    want: '450 4.7.25 Client host rejected: cannot find your hostname, [198.51.100.7]',
  },
];

for (const c of clientCases) {
  test(`client name: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_client_restrictions: c.list ?? CLIENT_LIST, ...c.changes });
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession(c.session), RCPT)), c.want);
  });
}

test('client name: under warn_if_reject a failure is only logged', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'warn_if_reject reject_unknown_client_hostname' });
  const verdict = checkRcpt(policy, strangerSession({ clientName: 'unknown', clientNameStatus: 'retry' }), RCPT);
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(rejectWarnings(verdict), ['450 4.7.25 Client host rejected: cannot find your hostname, [198.51.100.7]']);
});

// HELO names (the rig's list, obs).
const HELO_LIST = 'reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname, reject_unknown_helo_hostname, permit';

const heloCases: { helo: string; label: string; want: string }[] = [
  { helo: 'nx.helo.test', label: 'a name without records (obs)', want: '450 4.7.1 <nx.helo.test>: Helo command rejected: Host not found' },
  { helo: 'helo.good.test', label: 'a name with an A record (obs)', want: 'DUNNO' },
  { helo: 'mxonly.test', label: 'an MX-only name (obs)', want: 'DUNNO' },
  { helo: 'nullmx.test', label: 'a name with a null MX: MTA names may have one', want: 'DUNNO' },
  { helo: 'v6only.test', label: 'an AAAA-only name', want: 'DUNNO' },
  { helo: 'helo.good.test.', label: 'a name ending in a dot is asked without it', want: 'DUNNO' },
  { helo: '[192.0.2.1]', label: 'an address literal is not looked up (obs)', want: 'DUNNO' },
];

for (const c of heloCases) {
  test(`reject_unknown_helo_hostname: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_helo_restrictions: HELO_LIST });
    assert.equal(outcomeOf(checkRcpt(policy, stranger({ helo: c.helo }), RCPT)), c.want);
  });
}

test('reject_unknown_helo_hostname alone checks a literal for address syntax', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'reject_unknown_helo_hostname' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: '[1.2.3]' }), RCPT)), '501 5.5.2 <[1.2.3]>: Helo command rejected: invalid ip address');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: '[192.0.2.1]' }), RCPT)), 'DUNNO');
});

test('reject_unknown_helo_hostname asks A, AAAA and MX in one round', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'reject_unknown_helo_hostname' });
  const { verdict, rounds } = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ helo: 'NX.Helo.Test', dns }), RCPT));
  assert.deepEqual(rounds, [['A nx.helo.test', 'AAAA nx.helo.test', 'MX nx.helo.test']]);
  assert.equal(outcomeOf(verdict), '450 4.7.1 <NX.Helo.Test>: Helo command rejected: Host not found');
});

test('unknown_hostname_reject_code sets the code of a name that does not exist', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'reject_unknown_helo_hostname', unknown_hostname_reject_code: '550' });
  assert.equal(outcomeOf(checkRcpt(policy, stranger({ helo: 'nx.helo.test' }), RCPT)), '550 5.7.1 <nx.helo.test>: Helo command rejected: Host not found');
});

test('reject_unknown_hostname is the old name', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'reject_unknown_hostname' });
  assert.equal(outcomeOf(checkRcpt(policy, stranger({ helo: 'nx.helo.test' }), RCPT)), '450 4.7.1 <nx.helo.test>: Helo command rejected: Host not found');
});

// A HELO name whose lookup fails temporarily: unknown_helo_hostname_tempfail_action.
const FLAKY_HELO = '450 4.7.1 <flaky.test>: Helo command rejected: Host not found';

const heloTempfailCases: { label: string; changes: Record<string, string>; want: string; rejectWarnings?: string[] }[] = [
  {
    label: 'defer_if_permit (default): the request would pass, so it is deferred',
    changes: { smtpd_helo_restrictions: 'reject_unknown_helo_hostname, permit' },
    want: FLAKY_HELO,
  },
  {
    label: 'defer_if_permit (default): a later reject in another list wins',
    changes: { smtpd_helo_restrictions: 'reject_unknown_helo_hostname', smtpd_recipient_restrictions: 'reject' },
    want: '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied',
  },
  {
    label: 'defer: 450 at once, a later reject never runs',
    changes: { unknown_helo_hostname_tempfail_action: 'defer', smtpd_helo_restrictions: 'reject_unknown_helo_hostname', smtpd_recipient_restrictions: 'reject' },
    want: FLAKY_HELO,
  },
  {
    label: 'warn_if_reject: the deferral is only logged and raises no flag',
    changes: { smtpd_helo_restrictions: 'warn_if_reject reject_unknown_helo_hostname, permit' },
    want: 'DUNNO',
    rejectWarnings: [FLAKY_HELO],
  },
  {
    label: 'warn_if_reject with defer: only logged',
    changes: { unknown_helo_hostname_tempfail_action: 'defer', smtpd_helo_restrictions: 'warn_if_reject reject_unknown_helo_hostname' },
    want: 'DUNNO',
    rejectWarnings: [FLAKY_HELO],
  },
  {
    label: 'unknown_hostname_reject_code does not change the temporary reply',
    changes: { unknown_hostname_reject_code: '550', smtpd_helo_restrictions: 'reject_unknown_helo_hostname' },
    want: FLAKY_HELO,
  },
];

for (const c of heloTempfailCases) {
  test(`reject_unknown_helo_hostname, lookup failing: ${c.label}`, () => {
    const verdict = checkRcpt(compileRigPolicy(c.changes), stranger({ helo: 'flaky.test' }), RCPT);
    assert.equal(outcomeOf(verdict), c.want);
    assert.deepEqual(rejectWarnings(verdict), c.rejectWarnings ?? []);
  });
}

// Sender and recipient domains.
const senderCases: { label: string; sender: string; changes?: Record<string, string>; want: string }[] = [
  { label: 'a domain without records (obs)', sender: 's@nx.test', want: '450 4.1.8 <s@nx.test>: Sender address rejected: Domain not found' },
  { label: 'a domain without dot and records (obs)', sender: 's@nodomain', want: '450 4.1.8 <s@nodomain>: Sender address rejected: Domain not found' },
  { label: 'a null MX (obs)', sender: 's@nullmx.test', want: '550 5.7.27 <s@nullmx.test>: Sender address rejected: Domain nullmx.test does not accept mail (nullMX)' },
  { label: 'a domain with MX', sender: 's@good.test', want: 'DUNNO' },
  { label: 'a domain with an A record only', sender: 's@aonly.test', want: 'DUNNO' },
  { label: 'a domain with an AAAA record only', sender: 's@v6only.test', want: 'DUNNO' },
  { label: 'an MX lookup that fails does not matter when there is an A record', sender: 's@mxfail.test', want: 'DUNNO' },
  { label: 'unknown_address_reject_code = 550 (recorded case reject-unknown-sender-domain--code-550)', sender: 'a@missing.example.net', changes: { unknown_address_reject_code: '550' }, want: '550 5.1.8 <a@missing.example.net>: Sender address rejected: Domain not found' },
  { label: 'unknown_address_reject_code does not change the null MX reply', sender: 's@nullmx.test', changes: { unknown_address_reject_code: '450' }, want: '550 5.7.27 <s@nullmx.test>: Sender address rejected: Domain nullmx.test does not accept mail (nullMX)' },
];

for (const c of senderCases) {
  test(`reject_unknown_sender_domain: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_unknown_sender_domain', ...c.changes });
    assert.equal(outcomeOf(checkRcpt(policy, stranger({ sender: c.sender }), RCPT)), c.want);
  });
}

// Never asked: our own domains, address literals, the null sender.
const notAskedCases: { label: string; sender: string }[] = [
  { label: 'a domain in mydestination', sender: 's@example.test' },
  { label: 'an unqualified sender (gets @$myorigin, ours)', sender: 's' },
  { label: 'an address literal', sender: 's@[192.0.2.1]' },
  { label: 'the null sender', sender: '' },
];

for (const c of notAskedCases) {
  test(`reject_unknown_sender_domain does not look up ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_unknown_sender_domain' });
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ sender: c.sender }), RCPT)), 'DUNNO');
  });
}

test('reject_unknown_address is the oldest name of reject_unknown_sender_domain', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_unknown_address' });
  assert.equal(outcomeOf(checkRcpt(policy, stranger({ sender: 's@nx.test' }), RCPT)), '450 4.1.8 <s@nx.test>: Sender address rejected: Domain not found');
});

test('reject_unknown_sender_domain asks MX first, then A and AAAA', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_unknown_sender_domain' });
  const { rounds } = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ sender: 's@Nx.Test', dns }), RCPT));
  assert.deepEqual(rounds, [['MX nx.test'], ['A nx.test', 'AAAA nx.test']]);
  const found = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ sender: 's@good.test', dns }), RCPT));
  assert.deepEqual(found.rounds, [['MX good.test']]);
});

test('in a restriction class, as on the rig (obs)', () => {
  const policy = compileRigPolicy({ smtpd_restriction_classes: 'strict_class', strict_class: 'reject_unknown_sender_domain', smtpd_recipient_restrictions: 'strict_class, permit' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 's@nx.test', dns: staticDns(ZONE) }), RCPT)), '450 4.1.8 <s@nx.test>: Sender address rejected: Domain not found');
});

// A sender domain whose lookup fails temporarily: unknown_address_tempfail_action.
const FLAKY_SENDER = '450 4.1.8 <s@flaky.test>: Sender address rejected: Domain not found';

const senderTempfailCases: { label: string; changes: Record<string, string>; sender?: string; want: string; rejectWarnings?: string[] }[] = [
  { label: 'defer_if_permit (default): deferred when nothing rejects', changes: { smtpd_sender_restrictions: 'reject_unknown_sender_domain, permit' }, want: FLAKY_SENDER },
  { label: 'the MX lookup failing and no address either', sender: 's@mxfail-noaddr.test', changes: { smtpd_sender_restrictions: 'reject_unknown_sender_domain' }, want: '450 4.1.8 <s@mxfail-noaddr.test>: Sender address rejected: Domain not found' },
  {
    label: 'defer: 450 at once, before the relay decision',
    changes: { unknown_address_tempfail_action: 'defer', smtpd_sender_restrictions: 'reject_unknown_sender_domain', smtpd_recipient_restrictions: 'reject' },
    want: FLAKY_SENDER,
  },
  {
    label: 'defer_if_permit then reject in the recipient list: the reject',
    changes: { smtpd_sender_restrictions: 'reject_unknown_sender_domain', smtpd_recipient_restrictions: 'reject' },
    want: '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied',
  },
  {
    label: 'defer_if_reject before does not touch a 450',
    changes: { smtpd_sender_restrictions: 'defer_if_reject, reject_unknown_sender_domain, permit' },
    want: FLAKY_SENDER,
  },
  {
    label: 'warn_if_reject: logged, no deferral',
    changes: { smtpd_sender_restrictions: 'warn_if_reject reject_unknown_sender_domain, permit' },
    want: 'DUNNO',
    rejectWarnings: [FLAKY_SENDER],
  },
  {
    label: 'warn_if_reject with defer: logged, no deferral',
    changes: { unknown_address_tempfail_action: 'defer', smtpd_sender_restrictions: 'warn_if_reject reject_unknown_sender_domain' },
    want: 'DUNNO',
    rejectWarnings: [FLAKY_SENDER],
  },
];

for (const c of senderTempfailCases) {
  test(`reject_unknown_sender_domain, lookup failing: ${c.label}`, () => {
    const verdict = checkRcpt(compileRigPolicy(c.changes), stranger({ clientAddress: '127.0.0.1', sender: c.sender ?? 's@flaky.test' }), RCPT);
    assert.equal(outcomeOf(verdict), c.want);
    assert.deepEqual(rejectWarnings(verdict), c.rejectWarnings ?? []);
  });
}

test('reject_unknown_sender_domain, lookup failing: relay access denied wins over the deferral', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_unknown_sender_domain' });
  assert.equal(outcomeOf(checkRcpt(policy, stranger({ sender: 's@flaky.test' }), 'x@elsewhere.org')), '454 4.7.1 <x@elsewhere.org>: Relay access denied');
  assert.equal(outcomeOf(checkRcpt(policy, stranger({ sender: 's@flaky.test' }), RCPT)), FLAKY_SENDER);
});

test('smtpd_delay_reject = no: the deferral raised at MAIL is answered at RCPT', () => {
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_sender_restrictions: 'reject_unknown_sender_domain' });
  const mail = checkMail(policy, stranger({ clientAddress: '127.0.0.1', sender: 's@flaky.test' }));
  assert.equal(outcomeOf(mail), 'DUNNO');
  assert.equal(mail.deferIfPermit?.text, '<s@flaky.test>: Sender address rejected: Domain not found');
  const rcpt = checkRcpt(policy, stranger({ clientAddress: '127.0.0.1', sender: 's@flaky.test', deferIfPermitSender: mail.deferIfPermit }), RCPT);
  assert.equal(outcomeOf(rcpt), FLAKY_SENDER);
});

test('a deferral is answered before the unknown-recipient check', () => {
  const policy = compileRigPolicy({ local_recipient_maps: 'inline:{alice=x}', smtpd_sender_restrictions: 'reject_unknown_sender_domain' });
  const session = stranger({ clientAddress: '127.0.0.1', sender: 's@flaky.test' });
  assert.equal(outcomeOf(checkRcpt(policy, session, 'nobody@example.test')), FLAKY_SENDER);
});

const recipientCases: { label: string; recipient: string; want: string }[] = [
  { label: 'a domain without records (recorded case reject-unknown-sender-domain--recipient-domain)', recipient: 'b@nowhere.example.org', want: '450 4.1.2 <b@nowhere.example.org>: Recipient address rejected: Domain not found' },
  { label: 'a domain with MX (same case)', recipient: 'b@good.example.com', want: 'DUNNO' },
  { label: 'a null MX', recipient: 'x@nullmx.test', want: '556 5.1.10 <x@nullmx.test>: Recipient address rejected: Domain nullmx.test does not accept mail (nullMX)' },
  { label: 'a lookup failing (defer_if_permit, then permit)', recipient: 'x@flaky.test', want: '450 4.1.2 <x@flaky.test>: Recipient address rejected: Domain not found' },
  { label: 'our own domain is not looked up', recipient: 'alice@example.test', want: 'DUNNO' },
];

for (const c of recipientCases) {
  test(`reject_unknown_recipient_domain: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject_unknown_recipient_domain, permit' });
    assert.equal(outcomeOf(checkRcpt(policy, rigSession({ dns: staticDns(ZONE) }), c.recipient)), c.want);
  });
}

test('reject_unknown_recipient_domain looks up relay_domains, which are not final destinations', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject_unknown_recipient_domain' });
  const verdict = checkRcpt(policy, rigSession(), 'y@relay.test');
  assert.deepEqual(verdict.kind === 'dns' && verdict.queries, [{ type: 'MX', name: 'relay.test' }]);
});
