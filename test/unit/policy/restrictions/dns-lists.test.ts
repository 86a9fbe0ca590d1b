// DNS block and allow lists (server/policy/restrictions/dns-lists.ts) and their reply
// templates (server/policy/rbl-reply.ts), with the zone of the observation rig
// (spec/appendix-observed.md "Rig" and "Built-in restrictions") and of the recorded dialogues
// reject-rbl-client--*.json and reject-rhsbl--sender.json (test/fixtures/dns/zone.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt, checkVrfy } from '../../../../server/policy/smtpd-check.ts';
import type { CheckVerdict } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';
import { settleDns, staticDns, type StaticZone } from '../static-dns.ts';
import { whatsupLine } from '../whatsup-line.ts';

const ZONE: StaticZone = {
  'A 66.100.51.198.rbl.test': ['127.0.0.2'],
  'TXT 66.100.51.198.rbl.test': ['Listed for testing, see http://rbl.test/198.51.100.66'],
  'A 67.100.51.198.rbl.test': ['127.0.0.4'],
  'A 68.100.51.198.rbl.test': ['127.0.0.2'],
  'TXT 68.100.51.198.rbl.test': ['first reason', 'second reason'],
  'SERVFAIL 69.100.51.198.rbl.test': true,
  'A 66.100.51.198.bl2.test': ['127.0.0.3'],
  'A spam.test.dbl.test': ['127.0.1.2'],
  'SERVFAIL broken.test.dbl.test': true,
  'A 7.100.51.198.wl.test': ['127.0.2.2'],
  'A 8.100.51.198.wl.test': ['127.0.2.9'],
  'SERVFAIL 9.100.51.198.wl.test': true,
  'A client.example.org.hwl.test': ['127.0.2.2'],
  'SERVFAIL flaky.example.org.hwl.test': true,
};

const RCPT = 'alice@example.test';

/** The rig's stranger from 198.51.100.N (name client.example.org unless changed), DNS from ZONE. */
function from(n: number, changes: Parameters<typeof strangerSession>[0] = {}) {
  return strangerSession({ clientAddress: `198.51.100.${n}`, dns: staticDns(ZONE), ...changes });
}

function warnings(verdict: CheckVerdict): string[] {
  return verdict.events.flatMap((e) => (e.kind === 'warning' ? [e.text] : []));
}

// The rig's list (obs): reject_rbl_client rbl.test, reject_rhsbl_sender dbl.test, reject_rhsbl_helo dbl.test, reject_rhsbl_client dbl.test, permit.
const RIG_LIST = 'reject_rbl_client rbl.test, reject_rhsbl_sender dbl.test, reject_rhsbl_helo dbl.test, reject_rhsbl_client dbl.test, permit';

const rigCases: { label: string; session: ReturnType<typeof from>; want: string }[] = [
  { label: 'a listed client with a TXT record', session: from(66), want: '554 5.7.1 Service unavailable; Client host [198.51.100.66] blocked using rbl.test; Listed for testing, see http://rbl.test/198.51.100.66' },
  { label: 'a listed client without TXT record: no "; reason"', session: from(67), want: '554 5.7.1 Service unavailable; Client host [198.51.100.67] blocked using rbl.test' },
  { label: 'a listed sender domain', session: from(7, { sender: 's@spam.test' }), want: '554 5.7.1 Service unavailable; Sender address [s@spam.test] blocked using dbl.test' },
  { label: 'a listed HELO name', session: from(7, { helo: 'spam.test' }), want: '554 5.7.1 Service unavailable; Helo command [spam.test] blocked using dbl.test' },
  { label: 'a listed client name', session: from(7, { clientName: 'spam.test' }), want: '554 5.7.1 Service unavailable; Client host [spam.test] blocked using dbl.test' },
  { label: 'nothing listed', session: from(7), want: 'DUNNO' },
];

for (const c of rigCases) {
  test(`the rig's DNS lists: ${c.label} (obs)`, () => {
    const policy = compileRigPolicy({ smtpd_recipient_restrictions: RIG_LIST });
    assert.equal(outcomeOf(checkRcpt(policy, c.session, RCPT)), c.want);
  });
}

test('an RBL reject is logged as on the rig', () => {
  const session = from(67);
  const verdict = checkRcpt(compileRigPolicy({ smtpd_client_restrictions: 'reject_rbl_client rbl.test' }), session, RCPT);
  assert.equal(verdict.kind === 'reject' && whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    'NOQUEUE: reject: RCPT from client.example.org[198.51.100.67]: 554 5.7.1 Service unavailable; Client host [198.51.100.67] blocked using rbl.test; ' +
      'from=<a@example.org> to=<alice@example.test> proto=ESMTP helo=<client.example.org>');
});

// The re-run contract (dns-answers.ts): evaluation asks, the front answers, the check runs again.
test('without DNS answers the verdict asks for the query; with the answers it decides', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'reject_rbl_client rbl.test' });
  const asking = checkRcpt(policy, strangerSession({ clientAddress: '198.51.100.66' }), RCPT);
  assert.equal(asking.kind, 'dns');
  assert.deepEqual(asking.kind === 'dns' && asking.queries, [{ type: 'A', name: '66.100.51.198.rbl.test' }]);
  assert.deepEqual(asking.events, []);
  const decided = checkRcpt(policy, strangerSession({ clientAddress: '198.51.100.66', dns: staticDns(ZONE) }), RCPT);
  assert.equal(outcomeOf(decided), '554 5.7.1 Service unavailable; Client host [198.51.100.66] blocked using rbl.test; Listed for testing, see http://rbl.test/198.51.100.66');
});

test('a listed address is asked for its A record, then for its TXT record', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'reject_rbl_client rbl.test' });
  const { verdict, rounds } = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ clientAddress: '198.51.100.66', dns }), RCPT));
  assert.deepEqual(rounds, [['A 66.100.51.198.rbl.test'], ['TXT 66.100.51.198.rbl.test']]);
  assert.equal(verdict.kind, 'reject');
});

test('an address that is not listed costs one A query and no TXT query', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'reject_rbl_client rbl.test' });
  const { verdict, rounds } = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ dns }), RCPT));
  assert.deepEqual(rounds, [['A 7.100.51.198.rbl.test']]);
  assert.equal(outcomeOf(verdict), 'DUNNO');
});

test('an IPv6 client is looked up nibble by nibble', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'reject_rbl_client rbl.test' });
  const verdict = checkRcpt(policy, strangerSession({ clientAddress: '2001:db8::1' }), RCPT);
  assert.deepEqual(verdict.kind === 'dns' && verdict.queries.map((q) => q.name),
    ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.rbl.test']);
});

const zoneCases: { label: string; list: string; n: number; want: string }[] = [
  { label: '=127.0.0.4 ignores a listing with 127.0.0.2 (obs)', list: 'reject_rbl_client rbl.test=127.0.0.4', n: 66, want: 'DUNNO' },
  { label: '=127.0.0.4 blocks a listing with 127.0.0.4; $rbl_domain is the zone alone (obs)', list: 'reject_rbl_client rbl.test=127.0.0.4', n: 67, want: '554 5.7.1 Service unavailable; Client host [198.51.100.67] blocked using rbl.test' },
  { label: 'a set of numbers and ranges in one octet', list: 'reject_rbl_client rbl.test=127.0.0.[1;3..5]', n: 67, want: '554 5.7.1 Service unavailable; Client host [198.51.100.67] blocked using rbl.test' },
  { label: 'a set that leaves out the answer', list: 'reject_rbl_client rbl.test=127.0.0.[1;3..5]', n: 66, want: 'DUNNO' },
  { label: 'a lookup failure counts as not listed', list: 'reject_rbl_client rbl.test', n: 69, want: 'DUNNO' },
  { label: 'several TXT records are joined with " / "', list: 'reject_rbl_client rbl.test', n: 68, want: '554 5.7.1 Service unavailable; Client host [198.51.100.68] blocked using rbl.test; first reason / second reason' },
  { label: 'reject_rbl is the old name of reject_rbl_client', list: 'reject_rbl rbl.test', n: 67, want: '554 5.7.1 Service unavailable; Client host [198.51.100.67] blocked using rbl.test' },
];

for (const c of zoneCases) {
  test(`reject_rbl_client: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_client_restrictions: c.list });
    assert.equal(outcomeOf(checkRcpt(policy, from(c.n), RCPT)), c.want);
  });
}

test('maps_rbl_reject_code and default_rbl_reply (recorded case reject-rbl-client--custom-code-and-reply)', () => {
  const policy = compileRigPolicy({
    smtpd_client_restrictions: 'reject_rbl_client rbl.test',
    maps_rbl_reject_code: '550',
    default_rbl_reply: '$rbl_code 5.7.1 Blocked: $client_address is in $rbl_domain ($rbl_reason)',
  });
  const session = rigSession({ clientAddress: '127.0.0.12', dns: staticDns({ 'A 12.0.0.127.rbl.test': ['127.0.0.2'] }) });
  assert.equal(outcomeOf(checkRcpt(policy, session, 'b@example.net')), '550 5.7.1 Blocked: 127.0.0.12 is in rbl.test ()');
});

test('reject_rhsbl_sender with a TXT record (recorded case reject-rhsbl--sender)', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_rhsbl_sender dbl.test' });
  const dns = staticDns({ 'A spammy.test.dbl.test': ['127.0.1.2'], 'TXT spammy.test.dbl.test': ['spammy.test is a listed domain'] });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'x@spammy.test', dns }), 'b@example.net')),
    '554 5.7.1 Service unavailable; Sender address [x@spammy.test] blocked using dbl.test; spammy.test is a listed domain');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'x@example.com', dns }), 'b@example.net')), 'DUNNO');
});

test('reject_maps_rbl tries each zone of maps_rbl_domains and warns that it is going away (obs)', () => {
  const policy = compileRigPolicy({ maps_rbl_domains: 'bl2.test, rbl.test', smtpd_client_restrictions: 'reject_maps_rbl' });
  const verdict = checkRcpt(policy, from(67), RCPT);
  assert.equal(outcomeOf(verdict), '554 5.7.1 Service unavailable; Client host [198.51.100.67] blocked using rbl.test');
  assert.deepEqual(warnings(verdict), ['support for restriction "reject_maps_rbl" will be removed from Postfix; use "reject_rbl_client domain-name" instead']);
  assert.equal(outcomeOf(checkRcpt(policy, from(66), RCPT)), '554 5.7.1 Service unavailable; Client host [198.51.100.66] blocked using bl2.test');
});

test('reject_rhsbl_reverse_client: the unverified name, CLASS Unverified Client host', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'reject_rhsbl_reverse_client dbl.test' });
  assert.equal(outcomeOf(checkRcpt(policy, from(7, { clientName: 'unknown', reverseClientName: 'spam.test' }), RCPT)),
    '554 5.7.1 Service unavailable; Unverified Client host [spam.test] blocked using dbl.test');
});

test('reject_rhsbl_recipient: the recipient domain, CLASS Recipient address', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject_rhsbl_recipient dbl.test' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ dns: staticDns(ZONE) }), 'x@spam.test')), '554 5.7.1 Service unavailable; Recipient address [x@spam.test] blocked using dbl.test');
});

// Names that are never looked up: no DNS query at all, even without answers.
const skippedCases: { label: string; list: string; session: Parameters<typeof strangerSession>[0] }[] = [
  { label: 'reject_rhsbl_client with no verified client name', list: 'reject_rhsbl_client dbl.test', session: { clientName: 'unknown' } },
  { label: 'reject_rhsbl_reverse_client with no PTR name', list: 'reject_rhsbl_reverse_client dbl.test', session: { reverseClientName: 'unknown' } },
  { label: 'reject_rhsbl_helo before HELO', list: 'reject_rhsbl_helo dbl.test', session: { helo: null } },
  { label: 'reject_rhsbl_helo with an address literal', list: 'reject_rhsbl_helo dbl.test', session: { helo: '[192.0.2.1]' } },
  { label: 'reject_rhsbl_helo with a name ending in a dot (no valid host name)', list: 'reject_rhsbl_helo dbl.test', session: { helo: 'spam.test.' } },
  { label: 'reject_rhsbl_sender with the null sender', list: 'reject_rhsbl_sender dbl.test', session: { sender: '' } },
  { label: 'reject_rhsbl_sender with an address literal', list: 'reject_rhsbl_sender dbl.test', session: { sender: 's@[192.0.2.1]' } },
  { label: 'reject_rhsbl_sender with a numeric last label', list: 'reject_rhsbl_sender dbl.test', session: { sender: 's@192.0.2.1' } },
  { label: 'reject_rhsbl_sender with an invalid domain', list: 'reject_rhsbl_sender dbl.test', session: { sender: 's@bad..test' } },
  { label: 'permit_rhswl_client with no verified client name', list: 'permit_rhswl_client hwl.test', session: { clientName: 'unknown' } },
];

for (const c of skippedCases) {
  test(`not looked up: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_recipient_restrictions: c.list });
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ clientAddress: '127.0.0.1', ...c.session }), RCPT)), 'DUNNO');
  });
}

test('an RHSBL lookup failure counts as not listed', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_rhsbl_sender dbl.test, permit' });
  assert.equal(outcomeOf(checkRcpt(policy, from(7, { sender: 's@broken.test' }), RCPT)), 'DUNNO');
});

test('an RBL reject under warn_if_reject is only logged', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'warn_if_reject reject_rbl_client rbl.test' });
  const verdict = checkRcpt(policy, from(67), RCPT);
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(verdict.events.map((e) => (e.kind === 'reject_warning' ? `${e.reply.code} ${e.reply.enh} ${e.reply.text}` : e.kind)),
    ['554 5.7.1 Service unavailable; Client host [198.51.100.67] blocked using rbl.test']);
});

// rbl_reply_maps and the template language.
const templateCases: { label: string; list?: string; changes: Record<string, string>; session?: Parameters<typeof from>[1]; n?: number; want: string; warning?: string }[] = [
  {
    label: 'rbl_reply_maps gives the template for its zone',
    changes: { rbl_reply_maps: 'inline:{{rbl.test = 521 4.7.1 $rbl_what is listed at $rbl_domain}}' },
    want: '521 5.7.1 198.51.100.67 is listed at rbl.test',
  },
  {
    label: 'a zone missing from rbl_reply_maps uses default_rbl_reply',
    changes: { rbl_reply_maps: 'inline:{{other.test = 550 other}}' },
    want: '554 5.7.1 Service unavailable; Client host [198.51.100.67] blocked using rbl.test',
  },
  {
    label: 'rbl_reply_maps is searched with the argument as written, =filter included',
    list: 'reject_rbl_client rbl.test=127.0.0.4',
    changes: { rbl_reply_maps: 'regexp:{{/^rbl\\.test$/ 550 without filter}, {/^rbl\\.test=127\\.0\\.0\\.4$/ 550 with filter}}' },
    want: '550 5.7.1 with filter',
  },
  {
    label: '${name?text} when the value is not empty, ${name:text} when it is',
    changes: { default_rbl_reply: '$rbl_code ${rbl_reason?listed: $rbl_reason}${rbl_reason:listed without reason}' },
    want: '554 5.7.1 listed without reason',
  },
  {
    label: '${name?text} with a TXT record',
    n: 66,
    changes: { default_rbl_reply: '$rbl_code ${rbl_reason?listed: $rbl_reason}${rbl_reason:listed without reason}' },
    want: '554 5.7.1 listed: Listed for testing, see http://rbl.test/198.51.100.66',
  },
  {
    label: '$rbl_txt is $rbl_reason; $client and $helo_name name the request; $$ is a dollar',
    n: 66,
    changes: { default_rbl_reply: '$rbl_code $$ $client $helo_name $rbl_class: $rbl_txt' },
    want: '554 5.7.1 $ client.example.org[198.51.100.66] client.example.org Client host: Listed for testing, see http://rbl.test/198.51.100.66',
  },
  {
    label: 'a DSN of the other class follows the code',
    changes: { default_rbl_reply: '$rbl_code 4.7.0 go away' },
    want: '554 5.7.0 go away',
  },
  {
    label: 'an address DSN is adapted to what is refused: 5.0.0 for a client',
    changes: { default_rbl_reply: '$rbl_code 5.1.1 go away' },
    want: '554 5.0.0 go away',
  },
  {
    label: 'an address DSN is adapted to what is refused: 5.1.7 for a sender',
    list: 'reject_rhsbl_sender dbl.test',
    session: { sender: 's@spam.test' },
    changes: { default_rbl_reply: '$rbl_code 5.1.1 go away' },
    want: '554 5.1.7 go away',
  },
  {
    label: 'a template without text after the code says Service unavailable',
    changes: { default_rbl_reply: '$rbl_code 5.7.9 ' },
    want: '554 5.7.9 Service unavailable',
  },
  {
    label: 'a template whose result does not start with a code: warning, 450 4.7.1 Service unavailable',
    changes: { default_rbl_reply: 'Blocked by $rbl_domain' },
    want: '450 4.7.1 Service unavailable',
    warning: 'rbl response code configuration error: Blocked by rbl.test',
  },
  {
    label: 'a code with nothing after it is no reply either',
    changes: { default_rbl_reply: '$rbl_code' },
    want: '450 4.7.1 Service unavailable',
    warning: 'rbl response code configuration error: 554',
  },
  {
    label: 'a 2xx code is no reject: 450 4.7.1 Service unavailable',
    changes: { default_rbl_reply: '250 listed' },
    want: '450 4.7.1 Service unavailable',
    warning: 'rbl response code configuration error: 250 listed',
  },
];

for (const c of templateCases) {
  test(`RBL reply: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_client_restrictions: c.list ?? 'reject_rbl_client rbl.test', ...c.changes });
    const verdict = checkRcpt(policy, from(c.n ?? 67, c.session), RCPT);
    assert.equal(outcomeOf(verdict), c.want);
    assert.deepEqual(warnings(verdict), c.warning === undefined ? [] : [c.warning]);
  });
}

test('an rbl_reply_maps table that fails gives 451 4.3.5', () => {
  const compiled = compileRigPolicy({ smtpd_client_restrictions: 'reject_rbl_client rbl.test', rbl_reply_maps: 'inline:{{x = y}}' });
  const policy = {
    ...compiled,
    dnsLists: {
      ...compiled.dnsLists,
      rblReplyMaps: [{ type: 'hash' as const, name: '/etc/postfix/rbl_reply', keyForm: 'fixed' as const, lookup: () => ({ status: 'retry' as const, reason: 'table locked' }) }],
    },
  };
  const verdict = checkRcpt(policy, from(67), RCPT);
  assert.equal(outcomeOf(verdict), '451 4.3.5 Server configuration error');
  assert.equal(warnings(verdict).length, 1);
});

// Allow lists.
const allowCases: { label: string; list: string; session: ReturnType<typeof from>; rcpt?: string; want: string }[] = [
  { label: 'permit_dnswl_client: a listed client is permitted', list: 'permit_dnswl_client wl.test, reject', session: from(7), want: 'DUNNO' },
  { label: 'permit_dnswl_client: an unlisted client goes on to the next step', list: 'permit_dnswl_client wl.test, reject', session: from(6), want: '554 5.7.1 <client.example.org[198.51.100.6]>: Client host rejected: Access denied' },
  { label: 'permit_dnswl_client=filter: an answer outside the filter is not listed', list: 'permit_dnswl_client wl.test=127.0.[0..255].[1..3], reject', session: from(8), want: '554 5.7.1 <client.example.org[198.51.100.8]>: Client host rejected: Access denied' },
  { label: 'permit_dnswl_client=filter: an answer inside the filter is listed', list: 'permit_dnswl_client wl.test=127.0.[0..255].[1..3], reject', session: from(7), want: 'DUNNO' },
  {
    label: 'permit_dnswl_client: a lookup failure turns a later 5xx reject into 450',
    list: 'permit_dnswl_client wl.test, reject', session: from(9),
    want: '450 4.7.1 <198.51.100.9>: Client host rejected: Service unavailable',
  },
  { label: 'permit_dnswl_client: a lookup failure leaves a later permit alone', list: 'permit_dnswl_client wl.test, permit', session: from(9), want: 'DUNNO' },
  { label: 'permit_rhswl_client: a listed client name is permitted', list: 'permit_rhswl_client hwl.test, reject', session: from(6), want: 'DUNNO' },
  {
    label: 'permit_rhswl_client: a lookup failure turns a later 5xx reject into 450, naming the client name',
    list: 'permit_rhswl_client hwl.test, reject', session: from(6, { clientName: 'flaky.example.org' }),
    want: '450 4.7.1 <flaky.example.org>: Client host rejected: Service unavailable',
  },
  {
    label: 'at RCPT an allow list never permits mail for a domain we do not serve, even in the client list',
    list: 'permit_dnswl_client wl.test, reject', session: from(7), rcpt: 'x@elsewhere.org',
    want: '554 5.7.1 <client.example.org[198.51.100.7]>: Client host rejected: Access denied',
  },
];

for (const c of allowCases) {
  test(c.label, () => {
    const policy = compileRigPolicy({ smtpd_client_restrictions: c.list });
    assert.equal(outcomeOf(checkRcpt(policy, c.session, c.rcpt ?? RCPT)), c.want);
  });
}

test('permit_dnswl_client in the relay list does not override relay control', () => {
  const policy = compileRigPolicy({ smtpd_relay_restrictions: 'permit_dnswl_client wl.test, reject_unauth_destination' });
  assert.equal(outcomeOf(checkRcpt(policy, from(7), 'x@elsewhere.org')), '554 5.7.1 <x@elsewhere.org>: Relay access denied');
  assert.equal(outcomeOf(checkRcpt(policy, from(7), 'y@relay.test')), 'DUNNO');
});

test('the safety check is for RCPT only: VRFY of a foreign address is permitted by a listed client', () => {
  const policy = compileRigPolicy({ smtpd_relay_restrictions: 'permit_dnswl_client wl.test, reject' });
  assert.equal(outcomeOf(checkVrfy(policy, from(7, { sender: null }), 'x@elsewhere.org')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, from(7), 'x@elsewhere.org')), '554 5.7.1 <x@elsewhere.org>: Recipient address rejected: Access denied');
});
