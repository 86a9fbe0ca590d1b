// What an access-table value means (server/policy/access-action.ts, Postfix's
// check_table_result()): the client table of spec/access-maps.md section 6 and the extra rows
// of spec/appendix-observed.md "Access tables", and the recorded dialogues
// test/conformance/cases/access-actions--*.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkClient, checkEod, checkEtrn, checkHelo, checkRcpt } from '../../../server/policy/smtpd-check.ts';
import type { CheckVerdict } from '../../../server/policy/smtpd-check.ts';
import { remapAddressDsn } from '../../../server/policy/access-action.ts';
import type { ReplyClass } from '../../../server/policy/restriction.ts';
import { compileRigPolicy, outcomeOf, strangerSession } from './policy-rig.ts';
import { whatsupLine } from './whatsup-line.ts';

/** inlineTable - `inline:{ {key = value}, ... }`: values may hold spaces and commas. */
function inlineTable(entries: Record<string, string>): string {
  return `inline:{${Object.entries(entries).map(([key, value]) => `{${key} = ${value}}`).join(', ')}}`;
}

/** The rig's clientN.example.org[198.51.100.N] after `EHLO helo.example.org` and `MAIL FROM:<s@example.org>`. */
function client(n: number, changes: Parameters<typeof strangerSession>[0] = {}) {
  const name = `client${n}.example.org`;
  return strangerSession({ clientAddress: `198.51.100.${n}`, clientName: name, reverseClientName: name, helo: 'helo.example.org', sender: 's@example.org', ...changes });
}

function eventLines(verdict: CheckVerdict): string[] {
  return verdict.events.map((e) => {
    switch (e.kind) {
      case 'warning': return `warning: ${e.text}`;
      case 'action': return `${e.action.verb}: ${e.action.logText}${e.action.argument ? ` [${e.action.argument}]` : ''}`;
      case 'reject_warning': return `reject_warning: ${e.reply.code} ${e.reply.enh} ${e.reply.text}`;
      case 'permit': return `permit: ${e.text}`;
    }
  });
}

const RCPT = 'alice@example.test';

// One value per client address, as on the rig; the list ends in `reject`, so that a value that
// means DUNNO is told apart from one that means OK.
const valueCases: { label: string; n: number; value: string; want: string }[] = [
  { label: 'REJECT: access_map_reject_code and Access denied', n: 1, value: 'REJECT', want: '554 5.7.1 <client1.example.org[198.51.100.1]>: Client host rejected: Access denied' },
  { label: 'reject in lower case is the same action', n: 1, value: 'reject', want: '554 5.7.1 <client1.example.org[198.51.100.1]>: Client host rejected: Access denied' },
  { label: 'REJECT text: the text replaces Access denied', n: 2, value: 'REJECT Go away, spammer', want: '554 5.7.1 <client2.example.org[198.51.100.2]>: Client host rejected: Go away, spammer' },
  { label: 'REJECT with a leading DSN uses it', n: 2, value: 'REJECT 5.7.0 no', want: '554 5.7.0 <client2.example.org[198.51.100.2]>: Client host rejected: no' },
  { label: 'REJECT with a 4.x DSN gets the class of access_map_reject_code', n: 2, value: 'REJECT 4.7.0 no', want: '554 5.7.0 <client2.example.org[198.51.100.2]>: Client host rejected: no' },
  { label: 'REJECT with only a DSN keeps Access denied', n: 2, value: 'REJECT 5.7.9', want: '554 5.7.9 <client2.example.org[198.51.100.2]>: Client host rejected: Access denied' },
  { label: '450 text: that code, 4.7.1 (obs)', n: 3, value: '450 Try later from this host', want: '450 4.7.1 <client3.example.org[198.51.100.3]>: Client host rejected: Try later from this host' },
  { label: '550 DSN text: that code and DSN (obs)', n: 4, value: '550 5.7.0 Custom enhanced code', want: '550 5.7.0 <client4.example.org[198.51.100.4]>: Client host rejected: Custom enhanced code' },
  { label: 'a 4xx code with a 5.x DSN: the code wins', n: 4, value: '451 5.7.0 mixed classes', want: '451 4.7.0 <client4.example.org[198.51.100.4]>: Client host rejected: mixed classes' },
  { label: 'a code and a DSN without text: Access denied', n: 4, value: '550 5.7.0', want: '550 5.7.0 <client4.example.org[198.51.100.4]>: Client host rejected: Access denied' },
  { label: 'a bare code is all digits: OK (obs trap)', n: 5, value: '550', want: 'DUNNO' },
  { label: 'DEFER: access_map_defer_code and Access denied (obs)', n: 6, value: 'DEFER', want: '450 4.7.1 <client6.example.org[198.51.100.6]>: Client host rejected: Access denied' },
  { label: 'DEFER text (obs)', n: 8, value: 'DEFER Come back tomorrow', want: '450 4.7.1 <client8.example.org[198.51.100.8]>: Client host rejected: Come back tomorrow' },
  { label: '521 text (obs)', n: 11, value: '521 Bye bye botnet', want: '521 5.7.1 <client11.example.org[198.51.100.11]>: Client host rejected: Bye bye botnet' },
  { label: '421 text (obs)', n: 12, value: '421 Service shutting down', want: '421 4.7.1 <client12.example.org[198.51.100.12]>: Client host rejected: Service shutting down' },
  { label: 'all digits is OK (obs)', n: 13, value: '1234567890', want: 'DUNNO' },
  { label: 'RELAY is OK (obs)', n: 25, value: 'RELAY', want: 'DUNNO' },
  { label: 'OK ignores its text (obs)', n: 26, value: 'OK but this text is ignored', want: 'DUNNO' },
  { label: 'ok in lower case is OK', n: 26, value: 'ok', want: 'DUNNO' },
  { label: 'DUNNO goes on with the list', n: 9, value: 'DUNNO', want: '554 5.7.1 <client9.example.org[198.51.100.9]>: Client host rejected: Access denied' },
  { label: 'DUNNO ignores its text', n: 9, value: 'DUNNO whatever', want: '554 5.7.1 <client9.example.org[198.51.100.9]>: Client host rejected: Access denied' },
  { label: 'restrictions as a value run in place: permit_mynetworks, reject (obs)', n: 17, value: 'permit_mynetworks, reject', want: '554 5.7.1 <client17.example.org[198.51.100.17]>: Client host rejected: Access denied' },
  { label: 'restrictions as a value that permit end the list', n: 17, value: 'permit_auth_destination', want: 'DUNNO' },
  { label: 'DEFER_IF_PERMIT decides nothing: a later reject wins (obs)', n: 18, value: 'DEFER_IF_PERMIT Maybe later', want: '554 5.7.1 <client18.example.org[198.51.100.18]>: Client host rejected: Access denied' },
  { label: 'a 2xx code with text is no reply: it is read as restriction names', n: 27, value: '250 Fine', want: '451 4.3.5 Server configuration error' },
  { label: 'a value naming a lookup table is a configuration error (obs)', n: 28, value: 'hash:/etc/foo', want: '451 4.3.5 Server configuration error' },
  { label: 'an unknown word is an unknown restriction', n: 29, value: 'BLOCK this client', want: '451 4.3.5 Server configuration error' },
  { label: 'an empty value means OK', n: 30, value: '', want: 'DUNNO' },
];

for (const c of valueCases) {
  test(`client table value "${c.value}": ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ [`198.51.100.${c.n}`]: c.value })}, reject` });
    assert.equal(outcomeOf(checkRcpt(policy, client(c.n), RCPT)), c.want);
  });
}

test('an access table value without a following reject: DEFER_IF_PERMIT answers when the request would pass (obs)', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.18': 'DEFER_IF_PERMIT Maybe later' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, client(18), RCPT)), '450 4.7.1 <client18.example.org[198.51.100.18]>: Client host rejected: Maybe later');
});

test('DEFER_IF_PERMIT without text says Service unavailable', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.18': 'DEFER_IF_PERMIT' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, client(18), RCPT)), '450 4.7.1 <client18.example.org[198.51.100.18]>: Client host rejected: Service unavailable');
});

test('DEFER_IF_PERMIT in the client list carries into the recipient decision, where a later reject wins', () => {
  const policy = compileRigPolicy({
    smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.18': 'DEFER_IF_PERMIT Maybe later' })}`,
    smtpd_recipient_restrictions: 'reject',
  });
  assert.equal(outcomeOf(checkRcpt(policy, client(18), RCPT)), '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied');
});

test('access_map_defer_code sets the DEFER_IF_PERMIT code', () => {
  const policy = compileRigPolicy({
    access_map_defer_code: '451',
    smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.18': 'DEFER_IF_PERMIT 4.7.0 Maybe later' })}`,
  });
  assert.equal(outcomeOf(checkRcpt(policy, client(18), RCPT)), '451 4.7.0 <client18.example.org[198.51.100.18]>: Client host rejected: Maybe later');
});

test('DEFER_IF_REJECT turns a later 5xx reject into its 450, default text Service unavailable', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.31': 'DEFER_IF_REJECT' })}, reject` });
  assert.equal(outcomeOf(checkRcpt(policy, client(31), RCPT)), '450 4.7.1 <client31.example.org[198.51.100.31]>: Client host rejected: Service unavailable');
});

test('DEFER_IF_REJECT changes nothing when the request passes', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.31': 'DEFER_IF_REJECT not now' })}, permit` });
  assert.equal(outcomeOf(checkRcpt(policy, client(31), RCPT)), 'DUNNO');
});

test('access_map_reject_code = 550 sets the REJECT code (recorded case reject-codes--access-map-reject-code)', () => {
  const policy = compileRigPolicy({ access_map_reject_code: '550', smtpd_sender_restrictions: `check_sender_access ${inlineTable({ 'x@example.com': 'REJECT' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, client(1, { sender: 'x@example.com' }), 'b@example.net')), '550 5.7.1 <x@example.com>: Sender address rejected: Access denied');
});

test('a reject under warn_if_reject is logged as reject_warning and the list goes on', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `warn_if_reject check_client_access ${inlineTable({ '198.51.100.1': 'REJECT' })}` });
  const verdict = checkRcpt(policy, client(1), RCPT);
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(eventLines(verdict), ['reject_warning: 554 5.7.1 <client1.example.org[198.51.100.1]>: Client host rejected: Access denied']);
});

// Address DSNs X.1.Y are adapted to what is refused (spec/restrictions.md section 9, smtpd_dsn_fix()).
const dsnCases: { enh: string; replyClass: ReplyClass; want: string }[] = [
  { enh: '5.1.1', replyClass: 'Client host', want: '5.0.0' },
  { enh: '5.1.1', replyClass: 'Helo command', want: '5.0.0' },
  { enh: '5.1.9', replyClass: 'Etrn command', want: '5.0.0' },
  { enh: '5.1.1', replyClass: 'Sender address', want: '5.1.7' },
  { enh: '5.1.2', replyClass: 'Sender address', want: '5.1.8' },
  { enh: '5.1.3', replyClass: 'Sender address', want: '5.1.7' },
  { enh: '5.1.4', replyClass: 'Sender address', want: '5.1.7' },
  { enh: '5.1.5', replyClass: 'Sender address', want: '5.1.0' },
  { enh: '5.1.6', replyClass: 'Sender address', want: '5.1.7' },
  { enh: '5.1.7', replyClass: 'Sender address', want: '5.1.7' },
  { enh: '5.1.8', replyClass: 'Sender address', want: '5.1.8' },
  { enh: '5.1.10', replyClass: 'Sender address', want: '5.1.0' },
  { enh: '4.1.1', replyClass: 'Recipient address', want: '4.1.1' },
  { enh: '5.1.6', replyClass: 'Recipient address', want: '5.1.6' },
  { enh: '5.1.7', replyClass: 'Recipient address', want: '5.1.3' },
  { enh: '5.1.8', replyClass: 'Recipient address', want: '5.1.2' },
  { enh: '5.1.10', replyClass: 'Recipient address', want: '5.1.0' },
  { enh: '5.7.1', replyClass: 'Sender address', want: '5.7.1' },
  { enh: '5.2.1', replyClass: 'Client host', want: '5.2.1' },
];

for (const c of dsnCases) {
  test(`DSN ${c.enh} rejecting a ${c.replyClass} is sent as ${c.want}`, () => {
    assert.equal(remapAddressDsn(c.enh, c.replyClass), c.want);
  });
}

test('550 5.1.1 in a client table is sent as 5.0.0 (obs)', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.24': '550 5.1.1 Mapped DSN test' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, client(24), RCPT)), '550 5.0.0 <client24.example.org[198.51.100.24]>: Client host rejected: Mapped DSN test');
});

test('550 5.1.6 in a recipient table stays 5.1.6 (recorded case access-actions--numeric-550-enhanced)', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: `check_recipient_access ${inlineTable({ 'old@example.net': '550 5.1.6 Recipient has moved' })}, permit_mynetworks, reject_unauth_destination` });
  assert.equal(outcomeOf(checkRcpt(policy, client(1, { clientAddress: '127.0.0.1' }), 'old@example.net')),
    '550 5.1.6 <old@example.net>: Recipient address rejected: Recipient has moved');
});

test('REJECT 5.1.1 in a sender table is sent as 5.1.7', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: `check_sender_access ${inlineTable({ 'example.org': 'REJECT 5.1.1 no such sender' })}` });
  assert.equal(outcomeOf(checkRcpt(policy, client(1), RCPT)), '554 5.1.7 <s@example.org>: Sender address rejected: no such sender');
});

test('421 with a DSN in a recipient table (recorded case access-actions--numeric-421)', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: `check_recipient_access ${inlineTable({ 'bye@example.net': '421 4.7.0 Closing connection now' })}, permit_mynetworks, reject_unauth_destination` });
  assert.equal(outcomeOf(checkRcpt(policy, client(1, { clientAddress: '127.0.0.1' }), 'bye@example.net')),
    '421 4.7.0 <bye@example.net>: Recipient address rejected: Closing connection now');
});

test('DEFER_IF_PERMIT in a recipient table before permit (recorded case access-actions--defer-if-permit)', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: `check_recipient_access ${inlineTable({ 'dip@example.net': 'DEFER_IF_PERMIT Temporarily unavailable' })}, permit` });
  assert.equal(outcomeOf(checkRcpt(policy, client(1, { clientAddress: '127.0.0.1' }), 'dip@example.net')),
    '450 4.7.1 <dip@example.net>: Recipient address rejected: Temporarily unavailable');
});

test('a restriction class as a value: the class decides, an undecided class is DUNNO', () => {
  const policy = compileRigPolicy({
    smtpd_restriction_classes: 'strict, lenient',
    strict: `check_sender_access ${inlineTable({ 'boss@example.com': 'OK' })}, reject`,
    lenient: 'reject_non_fqdn_sender',
    smtpd_recipient_restrictions: `check_recipient_access ${inlineTable({ 'internal@example.net': 'strict', 'public@example.net': 'lenient' })}, permit_mynetworks, reject_unauth_destination`,
  });
  const local = (sender: string) => client(1, { clientAddress: '127.0.0.1', sender });
  assert.equal(outcomeOf(checkRcpt(policy, local('boss@example.com'), 'internal@example.net')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, local('other@example.com'), 'internal@example.net')),
    '554 5.7.1 <internal@example.net>: Recipient address rejected: Access denied');
  // lenient ends undecided: permit_mynetworks decides.
  assert.equal(outcomeOf(checkRcpt(policy, local('other@example.com'), 'public@example.net')), 'DUNNO');
});

test('a value naming a lookup table logs Postfix\'s advice', () => {
  const table = inlineTable({ 'badrhs@good.test': 'hash:/etc/foo' });
  const verdict = checkRcpt(compileRigPolicy({ smtpd_sender_restrictions: `check_sender_access ${table}` }), client(1, { sender: 'badrhs@good.test' }), RCPT);
  assert.equal(outcomeOf(verdict), '451 4.3.5 Server configuration error');
  assert.deepEqual(eventLines(verdict), [
    `warning: access table ${table} has entry with lookup table: hash:/etc/foo; ` +
      'do not specify lookup tables inside SMTPD access maps; define a restriction class and specify its name instead',
  ]);
});

// Actions that only log, or act on the message: the request goes on (DISCARD: it is accepted).
const actionCases: { label: string; n: number; value: string; events: string[] }[] = [
  { label: 'WARN logs its text (obs)', n: 15, value: 'WARN suspicious client', events: ['warn: suspicious client'] },
  { label: 'INFO logs its text (obs)', n: 16, value: 'INFO noteworthy client', events: ['info: noteworthy client'] },
  { label: 'WARN without text logs nothing more', n: 15, value: 'WARN', events: ['warn: '] },
  { label: 'HOLD text (obs)', n: 19, value: 'HOLD held for review', events: ['hold: <client19.example.org[198.51.100.19]>: Client host held for review'] },
  { label: 'HOLD without text', n: 19, value: 'HOLD', events: ['hold: <client19.example.org[198.51.100.19]>: Client host triggers HOLD action'] },
  { label: 'REDIRECT (obs)', n: 22, value: 'REDIRECT quarantine@example.test', events: ['redirect: <client22.example.org[198.51.100.22]>: Client host triggers REDIRECT quarantine@example.test [quarantine@example.test]'] },
  { label: 'FILTER (obs)', n: 23, value: 'FILTER smtp:[127.0.0.1]:10025', events: ['filter: <client23.example.org[198.51.100.23]>: Client host triggers FILTER smtp:[127.0.0.1]:10025 [smtp:[127.0.0.1]:10025]'] },
  { label: 'BCC', n: 32, value: 'BCC archive@example.test', events: ['bcc: <client32.example.org[198.51.100.32]>: Client host triggers BCC archive@example.test [archive@example.test]'] },
  { label: 'PREPEND carries its header and logs nothing of its own (obs)', n: 21, value: 'PREPEND X-Client-Note: flagged by access map', events: ['prepend:  [X-Client-Note: flagged by access map]'] },
  {
    label: 'FILTER without transport:destination is ignored with a warning',
    n: 23, value: 'FILTER nowhere',
    events: ['warning: access table inline:{{198.51.100.23 = FILTER nowhere}} entry "198.51.100.23" requires transport:destination'],
  },
  {
    label: 'FILTER without a value is ignored with a warning',
    n: 23, value: 'FILTER',
    events: ['warning: access table inline:{{198.51.100.23 = FILTER}} entry "198.51.100.23" has FILTER entry without value'],
  },
  {
    label: 'REDIRECT without user@domain is ignored with a warning',
    n: 22, value: 'REDIRECT quarantine',
    events: ['warning: access table inline:{{198.51.100.22 = REDIRECT quarantine}} entry "198.51.100.22" requires user@domain target'],
  },
  {
    label: 'BCC without user@domain is ignored with a warning',
    n: 32, value: 'BCC archive',
    events: ['warning: access table inline:{{198.51.100.32 = BCC archive}} entry "198.51.100.32" requires user@domain target'],
  },
  {
    label: 'PREPEND without a header is ignored with a warning',
    n: 21, value: 'PREPEND not a header',
    events: ['warning: access table inline:{{198.51.100.21 = PREPEND not a header}} entry "198.51.100.21" requires header: text'],
  },
];

for (const c of actionCases) {
  test(`client table value "${c.value}": ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ [`198.51.100.${c.n}`]: c.value })}` });
    const verdict = checkRcpt(policy, client(c.n), RCPT);
    assert.equal(outcomeOf(verdict), 'DUNNO');
    assert.deepEqual(eventLines(verdict), c.events);
  });
}

test('HOLD is logged as on the rig', () => {
  const session = client(19);
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.19': 'HOLD held for review' })}` });
  const [event] = checkRcpt(policy, session, RCPT).events;
  assert.equal(event.kind, 'action');
  if (event.kind !== 'action') return;
  assert.equal(whatsupLine(event.action.verb, event.action.logText, event.context, session),
    'NOQUEUE: hold: RCPT from client19.example.org[198.51.100.19]: <client19.example.org[198.51.100.19]>: Client host held for review; ' +
      'from=<s@example.org> to=<alice@example.test> proto=ESMTP helo=<helo.example.org>');
});

test('WARN is logged as on the rig', () => {
  const session = client(15);
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.15': 'WARN suspicious client' })}` });
  const [event] = checkRcpt(policy, session, RCPT).events;
  assert.equal(event.kind === 'action' && whatsupLine(event.action.verb, event.action.logText, event.context, session),
    'NOQUEUE: warn: RCPT from client15.example.org[198.51.100.15]: suspicious client; from=<s@example.org> to=<alice@example.test> proto=ESMTP helo=<helo.example.org>');
});

test('HOLD does not end the list: a later reject still refuses', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.19': 'HOLD' })}, reject` });
  assert.equal(outcomeOf(checkRcpt(policy, client(19), RCPT)), '554 5.7.1 <client19.example.org[198.51.100.19]>: Client host rejected: Access denied');
});

test('DISCARD accepts and ends the whole request: later lists do not run (obs: 250)', () => {
  const policy = compileRigPolicy({
    smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.20': 'DISCARD quietly dropped' })}, reject`,
    smtpd_recipient_restrictions: 'reject',
  });
  // Without the DISCARD, the relay list would refuse x@elsewhere.org from this stranger.
  const verdict = checkRcpt(policy, client(20), 'x@elsewhere.org');
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(eventLines(verdict), ['discard: <client20.example.org[198.51.100.20]>: Client host quietly dropped']);
});

test('DISCARD in the recipient table accepts that recipient (recorded case access-actions--discard)', () => {
  const policy = compileRigPolicy({
    smtpd_recipient_restrictions: `check_recipient_access ${inlineTable({ 'trash@example.net': 'DISCARD' })}, permit_mynetworks, reject_unauth_destination`,
  });
  const verdict = checkRcpt(policy, client(1, { clientAddress: '127.0.0.1' }), 'trash@example.net');
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(eventLines(verdict), ['discard: <trash@example.net>: Recipient address triggers DISCARD action']);
});

test('DISCARD also skips the implicit unknown-recipient check', () => {
  const policy = compileRigPolicy({
    local_recipient_maps: 'inline:{alice=x}',
    smtpd_recipient_restrictions: `check_recipient_access ${inlineTable({ 'nobody@example.test': 'DISCARD' })}`,
  });
  assert.equal(outcomeOf(checkRcpt(policy, client(1), 'nobody@example.test')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, client(1), 'other@example.test')),
    '550 5.1.1 <other@example.test>: Recipient address rejected: User unknown in local recipient table');
});

// Delegated actions need a mail transaction: with smtpd_delay_reject = no the client and HELO
// lists run before MAIL FROM, and ETRN never has one (can_delegate_action(), not_in_client_helo()).
test('smtpd_delay_reject = no: HOLD in the client list is skipped with Postfix\'s warning', () => {
  const table = inlineTable({ '198.51.100.19': 'HOLD' });
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_client_restrictions: `check_client_access ${table}` });
  const verdict = checkClient(policy, client(19, { helo: null, sender: null }));
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(eventLines(verdict), [
    `warning: access table ${table}: with smtpd_delay_reject=no, action HOLD is always skipped in Client host or Helo command restrictions`,
  ]);
});

test('smtpd_delay_reject = no: DISCARD in the HELO list is skipped and does not accept', () => {
  const table = inlineTable({ 'helo.example.org': 'DISCARD' });
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_helo_restrictions: `check_helo_access ${table}, reject` });
  const verdict = checkHelo(policy, client(20, { sender: null }));
  assert.equal(outcomeOf(verdict), '554 5.7.1 <helo.example.org>: Helo command rejected: Access denied');
  assert.deepEqual(eventLines(verdict), [
    `warning: access table ${table}: with smtpd_delay_reject=no, action DISCARD is always skipped in Client host or Helo command restrictions`,
  ]);
});

test('smtpd_delay_reject = no: WARN in the client list is still logged', () => {
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.15': 'WARN suspicious client' })}` });
  assert.deepEqual(eventLines(checkClient(policy, client(15, { helo: null, sender: null }))), ['warn: suspicious client']);
});

test('smtpd_delay_reject = yes: HOLD in the client list takes effect at RCPT', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${inlineTable({ '198.51.100.19': 'HOLD' })}` });
  assert.equal(checkClient(policy, client(19)).events.length, 0);
  assert.deepEqual(eventLines(checkRcpt(policy, client(19), RCPT)), ['hold: <client19.example.org[198.51.100.19]>: Client host triggers HOLD action']);
});

test('ETRN: FILTER from check_etrn_access is skipped with Postfix\'s warning', () => {
  const table = inlineTable({ 'relay.test': 'FILTER smtp:[127.0.0.1]:10025' });
  const policy = compileRigPolicy({ smtpd_etrn_restrictions: `check_etrn_access ${table}` });
  const verdict = checkEtrn(policy, client(1, { sender: null }), 'relay.test');
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(eventLines(verdict), [`warning: access table ${table}: action FILTER is unavailable in smtpd_etrn_restrictions`]);
});

test('ETRN: a HOLD reached through the client list is skipped too', () => {
  const table = inlineTable({ '198.51.100.19': 'HOLD' });
  const policy = compileRigPolicy({ smtpd_client_restrictions: `check_client_access ${table}` });
  assert.deepEqual(eventLines(checkEtrn(policy, client(19, { sender: null }), 'relay.test')), [
    `warning: access table ${table}: action HOLD is unavailable in smtpd_etrn_restrictions`,
  ]);
});

test('ETRN: REJECT from check_etrn_access names the domain (obs)', () => {
  const policy = compileRigPolicy({ smtpd_etrn_restrictions: `check_etrn_access ${inlineTable({ 'forbidden.test': 'REJECT no flushing for you' })}, reject` });
  assert.equal(outcomeOf(checkEtrn(policy, client(1, { sender: null }), 'forbidden.test')), '554 5.7.1 <forbidden.test>: Etrn command rejected: no flushing for you');
  assert.equal(outcomeOf(checkEtrn(policy, client(1, { sender: null }), 'other.test')), '554 5.7.1 <other.test>: Etrn command rejected: Access denied');
});

test('PREPEND at end of data is skipped with Postfix\'s warning', () => {
  const table = inlineTable({ 's@example.org': 'PREPEND X-Note: late' });
  const policy = compileRigPolicy({ smtpd_end_of_data_restrictions: `check_sender_access ${table}` });
  const verdict = checkEod(policy, client(1, { recipientCount: 1, recipient: RCPT }));
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(eventLines(verdict), [`warning: access table ${table}: action PREPEND must be used before smtpd_end_of_data_restrictions`]);
});
