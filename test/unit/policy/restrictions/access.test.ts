// The check_*_access restrictions (server/policy/restrictions/access.ts): which keys each one
// offers its table, in which order, and whose NAME and CLASS the reply carries. Tables and
// expectations are spec/access-maps.md section 6 and spec/appendix-observed.md "Access
// tables", and the recorded dialogues check-*-access--*.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEtrn, checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import type { CheckVerdict } from '../../../../server/policy/smtpd-check.ts';
import type { Policy } from '../../../../server/policy/policy.ts';
import type { LookupTable } from '../../../../server/maps/lookup-table.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';

function inlineTable(entries: Record<string, string>): string {
  return `inline:{${Object.entries(entries).map(([key, value]) => `{${key} = ${value}}`).join(', ')}}`;
}

function warnings(verdict: CheckVerdict): string[] {
  return verdict.events.flatMap((e) => (e.kind === 'warning' ? [e.text] : []));
}

const RCPT = 'alice@example.test';

// spec/access-maps.md section 6, the client table.
const CLIENT_TABLE = inlineTable({
  '198.51.100.1': 'REJECT',
  '198.51.100.9': 'DUNNO',
  '198.51.100': 'REJECT whole /24 blocked',
  '198.51.100.10': 'OK',
  'example.net': 'REJECT parent domain match',
  'unknown': 'REJECT no reverse DNS',
});

const clientCases: { label: string; name: string; address: string; want: string }[] = [
  { label: 'an exact address entry', name: 'client1.example.org', address: '198.51.100.1', want: '554 5.7.1 <client1.example.org[198.51.100.1]>: Client host rejected: Access denied' },
  { label: 'an exact DUNNO shields the address from its /24 entry', name: 'client9.example.org', address: '198.51.100.9', want: 'DUNNO' },
  { label: 'the address without its last octet', name: 'client7.example.org', address: '198.51.100.7', want: '554 5.7.1 <client7.example.org[198.51.100.7]>: Client host rejected: whole /24 blocked' },
  { label: 'an OK entry', name: 'client10.example.org', address: '198.51.100.10', want: 'DUNNO' },
  { label: 'a parent domain of the client name', name: 'host.sub.example.net', address: '192.0.2.51', want: '554 5.7.1 <host.sub.example.net[192.0.2.51]>: Client host rejected: parent domain match' },
  { label: 'a name entry is tried before the address entries', name: 'mail.example.net', address: '198.51.100.10', want: '554 5.7.1 <mail.example.net[198.51.100.10]>: Client host rejected: parent domain match' },
  { label: 'a client without verified name is looked up as unknown', name: 'unknown', address: '203.0.113.5', want: '554 5.7.1 <unknown[203.0.113.5]>: Client host rejected: no reverse DNS' },
  { label: 'nothing found is DUNNO', name: 'client.example.org', address: '192.0.2.99', want: 'DUNNO' },
];

for (const c of clientCases) {
  test(`check_client_access: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${CLIENT_TABLE}` });
    const session = strangerSession({ clientName: c.name, reverseClientName: c.name, clientAddress: c.address });
    assert.equal(outcomeOf(checkRcpt(policy, session, RCPT)), c.want);
  });
}

test('check_client_access: an IPv6 client is tried without its last groups (obs)', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '2001:db8:1:2': 'REJECT v6 four-group prefix' })}` });
  const session = strangerSession({ clientName: 'unknown', reverseClientName: 'unknown', clientAddress: '2001:db8:1:2::5' });
  assert.equal(outcomeOf(checkRcpt(policy, session, RCPT)), '554 5.7.1 <unknown[2001:db8:1:2::5]>: Client host rejected: v6 four-group prefix');
});

test('check_client_access: the client host name (recorded case check-client-access--hash-hostname)', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ localhost: 'REJECT Hostname localhost blocked' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'b@example.net')), '554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: Hostname localhost blocked');
});

test('check_client_access: without smtpd_access_maps in parent_domain_matches_subdomains, parents need a leading dot', () => {
  const policy = compileRigPolicy({
    parent_domain_matches_subdomains: 'mynetworks, relay_domains',
    smtpd_client_restrictions: `check_client_access ${inlineTable({ 'example.net': 'REJECT bare domain', '.example.org': 'REJECT dotted domain' })}`,
  });
  const at = (name: string) => outcomeOf(checkRcpt(policy, strangerSession({ clientName: name }), RCPT));
  assert.equal(at('host.sub.example.net'), 'DUNNO');
  assert.equal(at('example.net'), '554 5.7.1 <example.net[198.51.100.7]>: Client host rejected: bare domain');
  assert.equal(at('host.example.org'), '554 5.7.1 <host.example.org[198.51.100.7]>: Client host rejected: dotted domain');
});

test('a cidr table as a bare list item: file order, first match wins (obs)', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'cidr:{{203.0.113.9/32 OK}, {203.0.113.0/24 REJECT cidr /24 match}}, reject' });
  const at = (address: string) => outcomeOf(checkRcpt(policy, strangerSession({ clientName: 'h.example.org', clientAddress: address }), RCPT));
  assert.equal(at('203.0.113.9'), 'DUNNO');
  assert.equal(at('203.0.113.10'), '554 5.7.1 <h.example.org[203.0.113.10]>: Client host rejected: cidr /24 match');
});

test('a regexp client table sees the whole name and the whole address, never partial keys', () => {
  const policy = compileRigPolicy({
    smtpd_client_restrictions: 'check_client_access regexp:{{/^198\\.51\\.100$/ REJECT partial key}, {/^client\\./ REJECT by name}, {/^198\\.51\\.100\\.8$/ REJECT by address}}',
  });
  const at = (name: string, address: string) => outcomeOf(checkRcpt(policy, strangerSession({ clientName: name, clientAddress: address }), RCPT));
  assert.equal(at('client.example.org', '198.51.100.7'), '554 5.7.1 <client.example.org[198.51.100.7]>: Client host rejected: by name');
  assert.equal(at('unknown', '198.51.100.8'), '554 5.7.1 <unknown[198.51.100.8]>: Client host rejected: by address');
  assert.equal(at('unknown', '198.51.100.7'), 'DUNNO');
});

test('a table that answers "try again" gives 451 4.3.0 Temporary lookup failure', () => {
  const spec = inlineTable({ x: 'y' });
  const compiled = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${spec}, permit` });
  const broken: LookupTable = { type: 'hash', name: '/etc/postfix/client_access', keyForm: 'fixed', lookup: () => ({ status: 'retry', reason: 'database locked' }) };
  const policy: Policy = { ...compiled, tables: new Map([[spec, broken]]) };
  const verdict = checkRcpt(policy, strangerSession(), RCPT);
  assert.equal(outcomeOf(verdict), '451 4.3.0 <client.example.org[198.51.100.7]>: Temporary lookup failure');
  assert.equal(verdict.kind === 'reject' && verdict.errorClass, 'resource');
});

test('a temporary lookup failure is not softened by warn_if_reject', () => {
  const spec = inlineTable({ x: 'y' });
  const compiled = compileRigPolicy({ smtpd_client_restrictions: `warn_if_reject check_client_access ${spec}, permit` });
  const broken: LookupTable = { type: 'hash', name: 'client_access', keyForm: 'fixed', lookup: () => ({ status: 'retry', reason: 'database locked' }) };
  const verdict = checkRcpt({ ...compiled, tables: new Map([[spec, broken]]) }, strangerSession(), RCPT);
  assert.equal(outcomeOf(verdict), '451 4.3.0 <client.example.org[198.51.100.7]>: Temporary lookup failure');
});

// check_reverse_client_hostname_access: NAME is the unverified name alone (spec/restrictions.md section 9).
test('check_reverse_client_hostname_access: the unverified name, CLASS Unverified Client host', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_reverse_client_hostname_access ${inlineTable({ 'dyn.example.net': 'REJECT dynamic address' })}` });
  const session = strangerSession({ clientName: 'unknown', reverseClientName: 'host-7.dyn.example.net' });
  assert.equal(outcomeOf(checkRcpt(policy, session, RCPT)), '554 5.7.1 <host-7.dyn.example.net>: Unverified Client host rejected: dynamic address');
});

test('check_reverse_client_hostname_access: no PTR name is looked up as unknown, then the address', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_reverse_client_hostname_access ${inlineTable({ '198.51.100': 'REJECT by network' })}` });
  const session = strangerSession({ clientName: 'unknown', reverseClientName: 'unknown' });
  assert.equal(outcomeOf(checkRcpt(policy, session, RCPT)), '554 5.7.1 <unknown>: Unverified Client host rejected: by network');
});

test('check_reverse_client_hostname_access: OK is not allowed (451 4.3.5); DUNNO is the exception', () => {
  const policy = compileRigPolicy({
    smtpd_client_restrictions: `check_reverse_client_hostname_access ${inlineTable({ 'good.example.net': 'OK', 'fine.example.net': 'DUNNO' })}, reject`,
  });
  const at = (name: string) => checkRcpt(policy, strangerSession({ reverseClientName: name }), RCPT);
  assert.equal(outcomeOf(at('mx.good.example.net')), '451 4.3.5 Server configuration error');
  assert.equal(warnings(at('mx.good.example.net')).length, 1);
  assert.equal(outcomeOf(at('mx.fine.example.net')), '554 5.7.1 <client.example.org[198.51.100.7]>: Client host rejected: Access denied');
});

// check_helo_access: the HELO name as sent, and its parent domains (spec/access-maps.md 2.2).
const HELO_TABLE = inlineTable({ 'helo.bad.example': 'REJECT bad helo', 'spam.example': 'REJECT parent of HELO', 'example.': 'REJECT dotted', '[192.0.2.1]': 'REJECT literal' });

const heloCases: { label: string; helo: string | null; want: string }[] = [
  { label: 'the HELO name (obs)', helo: 'helo.bad.example', want: '554 5.7.1 <helo.bad.example>: Helo command rejected: bad helo' },
  { label: 'keys are case-insensitive; NAME is as sent', helo: 'HELO.Bad.Example', want: '554 5.7.1 <HELO.Bad.Example>: Helo command rejected: bad helo' },
  { label: 'a parent domain', helo: 'mx1.spam.example', want: '554 5.7.1 <mx1.spam.example>: Helo command rejected: parent of HELO' },
  { label: 'a trailing dot is not removed: the dotted keys are tried', helo: 'helo.bad.example.', want: '554 5.7.1 <helo.bad.example.>: Helo command rejected: dotted' },
  { label: 'an address literal is one key, without parents', helo: '[192.0.2.1]', want: '554 5.7.1 <[192.0.2.1]>: Helo command rejected: literal' },
  { label: 'no HELO: not judged', helo: null, want: 'DUNNO' },
];

for (const c of heloCases) {
  test(`check_helo_access: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_helo_restrictions: `check_helo_access ${HELO_TABLE}` });
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: c.helo }), RCPT)), c.want);
  });
}

test('check_helo_access with pcre, OK then reject (recorded case check-helo-access--pcre-ok-then-reject)', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'check_helo_access pcre:{{/\\.trusted\\.example$/ OK}}, reject' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ helo: 'mx.trusted.example' }), 'b@example.net')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ helo: 'other.example' }), 'b@example.net')), '554 5.7.1 <other.example>: Helo command rejected: Access denied');
});

// check_sender_access: spec/access-maps.md section 6, the sender table, recipient_delimiter = +.
const SENDER_TABLE = inlineTable({
  'full@example.org': 'REJECT matched full address',
  'user@ext.example': 'REJECT matched address without extension',
  'example.com': 'REJECT matched domain or parent domain',
  'postmaster@': 'REJECT matched localpart@',
  'other+tag@': 'REJECT matched localpart+ext@',
  '<>': 'REJECT matched null sender key',
  'friend@spam.example': 'OK',
  'spam.example': 'REJECT whole domain',
  'alice@example.test': 'REJECT unqualified sender',
});

const senderCases: { sender: string; want: string }[] = [
  { sender: 'full@example.org', want: '554 5.7.1 <full@example.org>: Sender address rejected: matched full address' },
  { sender: 'user+foo@ext.example', want: '554 5.7.1 <user+foo@ext.example>: Sender address rejected: matched address without extension' },
  { sender: 'x@deep.sub.example.com', want: '554 5.7.1 <x@deep.sub.example.com>: Sender address rejected: matched domain or parent domain' },
  { sender: 'postmaster@anywhere.example', want: '554 5.7.1 <postmaster@anywhere.example>: Sender address rejected: matched localpart@' },
  { sender: 'other+tag@anywhere.example', want: '554 5.7.1 <other+tag@anywhere.example>: Sender address rejected: matched localpart+ext@' },
  { sender: 'other@anywhere.example', want: 'DUNNO' },
  { sender: 'friend@spam.example', want: 'DUNNO' },
  { sender: 'foe@spam.example', want: '554 5.7.1 <foe@spam.example>: Sender address rejected: whole domain' },
  { sender: 'FULL@Example.ORG', want: '554 5.7.1 <FULL@Example.ORG>: Sender address rejected: matched full address' },
  { sender: '', want: '554 5.7.1 <>: Sender address rejected: matched null sender key' },
  { sender: 'alice', want: '554 5.7.1 <alice>: Sender address rejected: unqualified sender' },
];

for (const c of senderCases) {
  test(`check_sender_access: <${c.sender}> (obs)`, () => {
    const policy = compileRigPolicy({ recipient_delimiter: '+', smtpd_sender_restrictions: `check_sender_access ${SENDER_TABLE}` });
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ sender: c.sender }), RCPT)), c.want);
  });
}

test('check_sender_access: without recipient_delimiter the extension is part of the local part', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_access ${SENDER_TABLE}` });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ sender: 'user+foo@ext.example' }), RCPT)), 'DUNNO');
});

test('check_sender_access: smtpd_null_access_lookup_key names the key of <>', () => {
  const policy = compileRigPolicy({
    smtpd_null_access_lookup_key: 'MAILER-DAEMON',
    smtpd_sender_restrictions: `check_sender_access ${inlineTable({ 'mailer-daemon': 'REJECT no bounces here' })}`,
  });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ sender: '' }), RCPT)), '554 5.7.1 <>: Sender address rejected: no bounces here');
});

test('check_sender_access: a domain entry (recorded case check-sender-access--hash-domain)', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_access ${inlineTable({ 'spam.example': 'REJECT' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'anyone@spam.example' }), 'r@example.net')), '554 5.7.1 <anyone@spam.example>: Sender address rejected: Access denied');
});

test('check_sender_access: OK ends the list, others meet the reject (recorded case check-sender-access--texthash-ok-overrides-reject)', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_access ${inlineTable({ 'vip@example.com': 'OK' })}, reject` });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'vip@example.com' }), 'r@example.net')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'other@example.com' }), 'r@example.net')), '554 5.7.1 <other@example.com>: Sender address rejected: Access denied');
});

// Pattern tables get the whole lowercased address (appendix-observed.md "Tables of other types").
const patternCases: { label: string; table: string; sender: string; want: string }[] = [
  {
    label: 'regexp: sender-specified routing',
    table: 'regexp:{{/[%!@].*[%!@]/ 550 Sender-specified routing rejected}}',
    sender: 'user%other@b.example',
    want: '550 5.7.1 <user%other@b.example>: Sender address rejected: Sender-specified routing rejected',
  },
  {
    label: 'regexp: $1 and $2 in the value',
    table: 'regexp:{{/^(.*)-outgoing@(.*)$/ 550 Use ${1}@${2} instead}}',
    sender: 'list-outgoing@lists.example',
    want: '550 5.7.1 <list-outgoing@lists.example>: Sender address rejected: Use list@lists.example instead',
  },
  { label: 'regexp: the key is lowercased, so a case-sensitive pattern misses', table: 'regexp:{{/^Exact@/i REJECT case}}', sender: 'Exact@b.example', want: 'DUNNO' },
  {
    label: 'pcre: if/endif',
    table: 'pcre:{{if /@example\\.net$/}, {/^sales@/ REJECT nested if match}, {endif}}',
    sender: 'sales@example.net',
    want: '554 5.7.1 <sales@example.net>: Sender address rejected: nested if match',
  },
  { label: 'regexp: the domain alone is never offered', table: 'regexp:{{/^b\\.example$/ REJECT domain key}}', sender: 'x@b.example', want: 'DUNNO' },
];

for (const c of patternCases) {
  test(`check_sender_access, ${c.label} (obs)`, () => {
    const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_access ${c.table}` });
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ sender: c.sender }), RCPT)), c.want);
  });
}

// check_recipient_access.
test('check_recipient_access: the recipient, CLASS Recipient address', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: `check_recipient_access ${inlineTable({ 'example.test': 'REJECT closed for maintenance' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'Bob@Example.Test')), '554 5.7.1 <Bob@Example.Test>: Recipient address rejected: closed for maintenance');
});

test('check_recipient_access: OK for an address with sender-specified routing counts as DUNNO', () => {
  const table = inlineTable({ 'relay.test': 'OK' });
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: `check_recipient_access ${table}, reject` });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'user@relay.test')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'user%elsewhere.org@relay.test')),
    '554 5.7.1 <user%elsewhere.org@relay.test>: Recipient address rejected: Access denied');
  const trusting = compileRigPolicy({ allow_untrusted_routing: 'yes', smtpd_recipient_restrictions: `check_recipient_access ${table}, reject` });
  assert.equal(outcomeOf(checkRcpt(trusting, rigSession(), 'user%elsewhere.org@relay.test')), 'DUNNO');
});

test('check_recipient_access: a REJECT for a routed address still rejects', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: `check_recipient_access ${inlineTable({ 'relay.test': 'REJECT no routing' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'user%elsewhere.org@relay.test')), '554 5.7.1 <user%elsewhere.org@relay.test>: Recipient address rejected: no routing');
});

test('check_recipient_access: a routed address through our own domain is looked up as it resolves, not under our domain', () => {
  // OK for mx.example.test must not open user%elsewhere.org@mx.example.test (smtpd_check.c
  // check_mail_access() looks up reply->recipient); relay control then refuses it.
  const table = inlineTable({ 'mx.example.test': 'OK', 'elsewhere.org': 'REJECT elsewhere' });
  const policy = compileRigPolicy({ smtpd_relay_restrictions: `check_recipient_access ${table}, reject_unauth_destination` });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'user@mx.example.test')), 'DUNNO');
  for (const routed of ['user%elsewhere.org@mx.example.test', 'elsewhere.org!user@mx.example.test', 'user@elsewhere.org@mx.example.test']) {
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), routed)), `554 5.7.1 <${routed}>: Recipient address rejected: elsewhere`);
  }
  const open = compileRigPolicy({ smtpd_relay_restrictions: `check_recipient_access ${inlineTable({ 'mx.example.test': 'OK' })}, reject_unauth_destination` });
  assert.equal(outcomeOf(checkRcpt(open, strangerSession(), 'user%elsewhere.org@mx.example.test')), '554 5.7.1 <user%elsewhere.org@mx.example.test>: Relay access denied');
});

test('check_sender_access: the sender is looked up as it resolves too', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_access ${inlineTable({ 'spam.example': 'REJECT spam source' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ sender: 'x%spam.example@mx.example.test' }), RCPT)),
    '554 5.7.1 <x%spam.example@mx.example.test>: Sender address rejected: spam source');
});

// check_etrn_access (appendix-observed.md, ETRN).
const etrnCases: { domain: string; want: string }[] = [
  { domain: 'relay.test', want: 'DUNNO' },
  { domain: 'forbidden.test', want: '554 5.7.1 <forbidden.test>: Etrn command rejected: no flushing for you' },
  { domain: 'other.test', want: '554 5.7.1 <other.test>: Etrn command rejected: Access denied' },
  { domain: 'sub.relay.test', want: 'DUNNO' },
];

for (const c of etrnCases) {
  test(`check_etrn_access, reject: ETRN ${c.domain} (obs)`, () => {
    const policy = compileRigPolicy({ smtpd_etrn_restrictions: `check_etrn_access ${inlineTable({ 'relay.test': 'OK', 'forbidden.test': 'REJECT no flushing for you' })}, reject` });
    assert.equal(outcomeOf(checkEtrn(policy, strangerSession({ sender: null }), c.domain)), c.want);
  });
}

// check_sasl_access: the login name exactly, CLASS SASL login name.
test('check_sasl_access: the login name, exactly, without parent domains', () => {
  const policy = compileRigPolicy({
    smtpd_sasl_auth_enable: 'yes',
    smtpd_client_restrictions: `check_sasl_access ${inlineTable({ alice: 'REJECT account suspended', 'example.test': 'REJECT domain key' })}`,
  });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ saslUsername: 'alice' }), RCPT)), '554 5.7.1 <alice>: SASL login name rejected: account suspended');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ saslUsername: 'bob@example.test' }), RCPT)), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), RCPT)), 'DUNNO');
});
