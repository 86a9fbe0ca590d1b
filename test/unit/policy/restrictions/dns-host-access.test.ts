// The check_*_{a,mx,ns}_access restrictions (server/policy/restrictions/dns-host-access.ts):
// the A records, MX hosts or NS hosts of a name, each host tried like a client (its name and
// parent domains, then its addresses and their networks); OK is not allowed
// (spec/access-maps.md section 2.4, spec/restrictions.md sections 8 and 10, Postfix's
// check_server_access()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import type { CheckVerdict } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';
import { settleDns, staticDns, type StaticZone } from '../static-dns.ts';

const ZONE: StaticZone = {
  'MX spammer.example': [{ exchange: 'mx.bad-hoster.net', priority: 10 }],
  'A mx.bad-hoster.net': ['192.0.2.66'],
  'NS spammer.example': ['ns1.bad-dns.net'],
  'A ns1.bad-dns.net': ['203.0.113.53'],
  'A spammer.example': ['198.51.100.200'],
  'A nomx.example': ['192.0.2.77'],
  'NS parent.example': ['ns.parent-dns.net'],
  'A ns.parent-dns.net': ['203.0.113.54'],
  'NS tld2': ['ns.registry.net'],
  'MX ipmx.example': [{ exchange: '192.0.2.66', priority: 10 }],
  'MX nullmx.example': [{ exchange: '', priority: 0 }],
  'SERVFAIL flaky.example': true,
  'MX client.example.org': [{ exchange: 'mx.bad-hoster.net', priority: 10 }],
  'MX host.dyn.example.net': [{ exchange: 'mx.bad-hoster.net', priority: 10 }],
  'MX helo.example.org': [{ exchange: 'mx.bad-hoster.net', priority: 10 }],
  'A helo.example.org': ['192.0.2.66'],
  'MX lost-hosts.example': [{ exchange: 'mx1.flaky.example', priority: 10 }, { exchange: 'mx2.gone.example', priority: 20 }],
  'SERVFAIL mx1.flaky.example': true,
};

function inlineTable(entries: Record<string, string>): string {
  return `inline:{${Object.entries(entries).map(([key, value]) => `{${key} = ${value}}`).join(', ')}}`;
}

function warnings(verdict: CheckVerdict): string[] {
  return verdict.events.flatMap((e) => (e.kind === 'warning' ? [e.text] : []));
}

const RCPT = 'alice@example.test';

function sender(address: string) {
  return strangerSession({ sender: address, dns: staticDns(ZONE) });
}

const senderCases: { label: string; restriction: string; table: string; sender: string; want: string }[] = [
  { label: 'the MX host name', restriction: 'check_sender_mx_access', table: inlineTable({ 'mx.bad-hoster.net': 'REJECT bad MX' }), sender: 's@spammer.example', want: '554 5.7.1 <s@spammer.example>: Sender address rejected: bad MX' },
  { label: 'a parent domain of the MX host', restriction: 'check_sender_mx_access', table: inlineTable({ 'bad-hoster.net': 'REJECT bad hoster' }), sender: 's@spammer.example', want: '554 5.7.1 <s@spammer.example>: Sender address rejected: bad hoster' },
  { label: 'the network of the MX host address', restriction: 'check_sender_mx_access', table: inlineTable({ '192.0.2': 'REJECT bad network' }), sender: 's@spammer.example', want: '554 5.7.1 <s@spammer.example>: Sender address rejected: bad network' },
  { label: 'a cidr table sees the MX host address', restriction: 'check_sender_mx_access', table: 'cidr:{{192.0.2.0/24 REJECT cidr match}}', sender: 's@spammer.example', want: '554 5.7.1 <s@spammer.example>: Sender address rejected: cidr match' },
  { label: 'a domain without MX is its own mail exchanger', restriction: 'check_sender_mx_access', table: inlineTable({ '192.0.2.77': 'REJECT own address' }), sender: 's@nomx.example', want: '554 5.7.1 <s@nomx.example>: Sender address rejected: own address' },
  { label: 'an MX host written as an address is tried as an address', restriction: 'check_sender_mx_access', table: inlineTable({ '192.0.2': 'REJECT address MX' }), sender: 's@ipmx.example', want: '554 5.7.1 <s@ipmx.example>: Sender address rejected: address MX' },
  { label: 'a null MX: nothing to look up', restriction: 'check_sender_mx_access', table: inlineTable({ 'nullmx.example': 'REJECT x' }), sender: 's@nullmx.example', want: 'DUNNO' },
  { label: 'an MX lookup that fails: nothing to look up', restriction: 'check_sender_mx_access', table: inlineTable({ 'flaky.example': 'REJECT x' }), sender: 's@flaky.example', want: 'DUNNO' },
  { label: 'the NS host name', restriction: 'check_sender_ns_access', table: inlineTable({ 'ns1.bad-dns.net': 'REJECT bad DNS host' }), sender: 's@spammer.example', want: '554 5.7.1 <s@spammer.example>: Sender address rejected: bad DNS host' },
  { label: 'the NS host address', restriction: 'check_sender_ns_access', table: inlineTable({ '203.0.113.53': 'REJECT bad DNS address' }), sender: 's@spammer.example', want: '554 5.7.1 <s@spammer.example>: Sender address rejected: bad DNS address' },
  { label: 'without NS records, the parent domain\'s', restriction: 'check_sender_ns_access', table: inlineTable({ 'ns.parent-dns.net': 'REJECT parent NS' }), sender: 's@a.sub.parent.example', want: '554 5.7.1 <s@a.sub.parent.example>: Sender address rejected: parent NS' },
  { label: 'up to the top-level domain', restriction: 'check_sender_ns_access', table: inlineTable({ 'ns.registry.net': 'REJECT top-level NS' }), sender: 's@a.b.tld2', want: '554 5.7.1 <s@a.b.tld2>: Sender address rejected: top-level NS' },
  { label: 'the A record of the domain', restriction: 'check_sender_a_access', table: inlineTable({ '198.51.100.200': 'REJECT bad address' }), sender: 's@spammer.example', want: '554 5.7.1 <s@spammer.example>: Sender address rejected: bad address' },
  { label: 'the A record: names are not looked up', restriction: 'check_sender_a_access', table: inlineTable({ 'spammer.example': 'REJECT name' }), sender: 's@spammer.example', want: 'DUNNO' },
  { label: 'an address literal is its own mail exchanger', restriction: 'check_sender_mx_access', table: inlineTable({ '192.0.2': 'REJECT literal network' }), sender: 's@[192.0.2.66]', want: '554 5.7.1 <s@[192.0.2.66]>: Sender address rejected: literal network' },
  { label: 'an address literal is its own A record', restriction: 'check_sender_a_access', table: inlineTable({ '192.0.2.66': 'REJECT literal' }), sender: 's@[192.0.2.66]', want: '554 5.7.1 <s@[192.0.2.66]>: Sender address rejected: literal' },
  { label: 'an IPv6 literal is looked up without its IPv6: tag', restriction: 'check_sender_a_access', table: inlineTable({ '2001:db8::1': 'REJECT v6 literal' }), sender: 's@[IPv6:2001:db8::1]', want: '554 5.7.1 <s@[IPv6:2001:db8::1]>: Sender address rejected: v6 literal' },
  { label: 'an address literal has no name servers', restriction: 'check_sender_ns_access', table: inlineTable({ '192.0.2.66': 'REJECT x' }), sender: 's@[192.0.2.66]', want: 'DUNNO' },
  { label: 'a malformed address literal is skipped', restriction: 'check_sender_mx_access', table: inlineTable({ '1.2.3': 'REJECT x' }), sender: 's@[1.2.3]', want: 'DUNNO' },
  { label: 'the null sender is not judged', restriction: 'check_sender_mx_access', table: inlineTable({ '<>': 'REJECT x' }), sender: '', want: 'DUNNO' },
];

for (const c of senderCases) {
  test(`${c.restriction}: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_sender_restrictions: `${c.restriction} ${c.table}` });
    assert.equal(outcomeOf(checkRcpt(policy, sender(c.sender), RCPT)), c.want);
  });
}

test('a failed MX lookup and MX hosts without addresses are logged as Postfix logs them, and answer DUNNO', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_mx_access ${inlineTable({ 'other.example': 'REJECT x' })}` });
  const failed = checkRcpt(policy, sender('s@flaky.example'), RCPT);
  assert.equal(outcomeOf(failed), 'DUNNO');
  assert.deepEqual(warnings(failed), ['Unable to look up MX host for flaky.example: Host not found, try again']);
  const lost = checkRcpt(policy, sender('s@lost-hosts.example'), RCPT);
  assert.equal(outcomeOf(lost), 'DUNNO');
  assert.deepEqual(warnings(lost), [
    'Unable to look up MX host mx1.flaky.example for Sender address s@lost-hosts.example: Temporary failure in name resolution',
    'Unable to look up MX host mx2.gone.example for Sender address s@lost-hosts.example: Name or service not known',
  ]);
});

test('OK is not allowed in these tables: 451 4.3.5 and a warning', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_mx_access ${inlineTable({ 'mx.bad-hoster.net': 'OK' })}, permit` });
  const verdict = checkRcpt(policy, sender('s@spammer.example'), RCPT);
  assert.equal(outcomeOf(verdict), '451 4.3.5 Server configuration error');
  assert.equal(warnings(verdict).length, 1);
});

test('DUNNO is how to make an exception: the list goes on', () => {
  const policy = compileRigPolicy({
    smtpd_sender_restrictions: `check_sender_mx_access ${inlineTable({ 'mx.bad-hoster.net': 'DUNNO', 'bad-hoster.net': 'REJECT bad hoster' })}, reject`,
  });
  assert.equal(outcomeOf(checkRcpt(policy, sender('s@spammer.example'), RCPT)), '554 5.7.1 <s@spammer.example>: Sender address rejected: Access denied');
});

test('check_client_mx_access: the verified client name, NAME name[address]', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_mx_access ${inlineTable({ 'bad-hoster.net': 'REJECT bad hoster' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ dns: staticDns(ZONE) }), RCPT)),
    '554 5.7.1 <client.example.org[198.51.100.7]>: Client host rejected: bad hoster');
});

test('check_client_mx_access: a client without verified name is not looked up', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_mx_access ${inlineTable({ 'bad-hoster.net': 'REJECT x' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ clientName: 'unknown' }), RCPT)), 'DUNNO');
});

test('check_reverse_client_hostname_mx_access: NAME is the unverified name alone', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_reverse_client_hostname_mx_access ${inlineTable({ 'bad-hoster.net': 'REJECT bad hoster' })}` });
  const session = strangerSession({ clientName: 'unknown', reverseClientName: 'host.dyn.example.net', dns: staticDns(ZONE) });
  assert.equal(outcomeOf(checkRcpt(policy, session, RCPT)), '554 5.7.1 <host.dyn.example.net>: Unverified Client host rejected: bad hoster');
});

const heloCases: { label: string; restriction: string; helo: string; want: string }[] = [
  { label: 'the MX hosts of the HELO name', restriction: 'check_helo_mx_access', helo: 'helo.example.org', want: '554 5.7.1 <helo.example.org>: Helo command rejected: listed' },
  { label: 'the A record of the HELO name', restriction: 'check_helo_a_access', helo: 'helo.example.org', want: '554 5.7.1 <helo.example.org>: Helo command rejected: listed' },
  { label: 'a HELO address literal is its own A record', restriction: 'check_helo_a_access', helo: '[192.0.2.66]', want: '554 5.7.1 <[192.0.2.66]>: Helo command rejected: listed' },
  { label: 'a HELO address literal is its own mail exchanger', restriction: 'check_helo_mx_access', helo: '[192.0.2.66]', want: '554 5.7.1 <[192.0.2.66]>: Helo command rejected: listed' },
  { label: 'a HELO address literal has no name servers', restriction: 'check_helo_ns_access', helo: '[192.0.2.66]', want: 'DUNNO' },
];

for (const c of heloCases) {
  test(`${c.restriction}: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_helo_restrictions: `${c.restriction} ${inlineTable({ '192.0.2.66': 'REJECT listed' })}` });
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: c.helo, dns: staticDns(ZONE) }), RCPT)), c.want);
  });
}

test('check_recipient_mx_access: the recipient domain, CLASS Recipient address', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: `check_recipient_mx_access ${inlineTable({ 'mx.bad-hoster.net': 'REJECT no mail to hosts there' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ dns: staticDns(ZONE) }), 'x@spammer.example')),
    '554 5.7.1 <x@spammer.example>: Recipient address rejected: no mail to hosts there');
});

test('the MX records are asked first, then the addresses of the MX hosts', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_mx_access ${inlineTable({ nothing: 'REJECT' })}` });
  const { verdict, rounds } = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ sender: 's@Spammer.Example', dns }), RCPT));
  assert.deepEqual(rounds, [['MX spammer.example'], ['A mx.bad-hoster.net', 'AAAA mx.bad-hoster.net']]);
  assert.equal(outcomeOf(verdict), 'DUNNO');
});

test('the NS records are asked name by name toward the top-level domain', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_ns_access ${inlineTable({ nothing: 'REJECT' })}` });
  const { rounds } = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ sender: 's@a.sub.parent.example', dns }), RCPT));
  assert.deepEqual(rounds, [['NS a.sub.parent.example'], ['NS sub.parent.example'], ['NS parent.example'], ['A ns.parent-dns.net', 'AAAA ns.parent-dns.net']]);
});
