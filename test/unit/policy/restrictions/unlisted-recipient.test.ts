// Unknown recipients (server/policy/restrictions/unlisted-recipient.ts): reject_unlisted_recipient
// and the implicit smtpd_reject_unlisted_recipient check that smtpd-check.ts runs after the
// relay and recipient lists (spec/restrictions.md sections 7 and 10.5,
// spec/appendix-observed.md "Protocol basics" and "Relay and recipients", recorded dialogue
// reject-codes--unknown-local-recipient.json), with Postfix's check_rcpt_maps() key search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt, checkVrfy } from '../../../../server/policy/smtpd-check.ts';
import type { Policy } from '../../../../server/policy/policy.ts';
import type { LookupTable } from '../../../../server/maps/lookup-table.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';

// The rig's local_recipient_maps: alice, bob and postmaster@example.test.
const LOCAL = { local_recipient_maps: 'inline:{alice=x, bob=x, postmaster@example.test=x}' };
const unknown = (rcpt: string, table = 'local recipient table', code = 550, enh = '5.1.1') =>
  `${code} ${enh} <${rcpt}>: Recipient address rejected: User unknown in ${table}`;

const localCases: { label: string; rcpt: string; changes?: Record<string, string>; want: string }[] = [
  { label: 'an unknown local user (obs)', rcpt: 'nobody@example.test', want: unknown('nobody@example.test') },
  { label: 'a known local user', rcpt: 'alice@example.test', want: 'DUNNO' },
  { label: 'a local user of another local domain, by local part', rcpt: 'alice@localhost', want: 'DUNNO' },
  { label: 'an unqualified recipient gets @$myorigin', rcpt: 'nobody', want: unknown('nobody') },
  { label: 'user@[our address] is local (obs)', rcpt: 'user@[127.0.0.1]', want: unknown('user@[127.0.0.1]') },
  { label: 'local parts are case-insensitive; NAME is as sent', rcpt: 'Alice@Example.Test', want: 'DUNNO' },
  { label: 'an address extension is its own key without recipient_delimiter', rcpt: 'alice+tag@example.test', want: unknown('alice+tag@example.test') },
  { label: 'with recipient_delimiter, the address without extension', rcpt: 'alice+tag@example.test', changes: { recipient_delimiter: '+' }, want: 'DUNNO' },
  { label: 'postmaster of a local domain is always taken', rcpt: 'postmaster@localhost', want: 'DUNNO' },
  { label: 'MAILER-DAEMON of a local domain is always taken', rcpt: 'MAILER-DAEMON@example.test', want: 'DUNNO' },
  { label: 'the double-bounce sender of a local domain is always taken', rcpt: 'double-bounce@example.test', want: 'DUNNO' },
  { label: 'an @domain entry lists every user of that domain', rcpt: 'anyone@example.test', changes: { local_recipient_maps: 'inline:{@example.test=x}' }, want: 'DUNNO' },
  { label: 'an address that virtual_alias_maps rewrites is known', rcpt: 'sales@example.test', changes: { virtual_alias_maps: 'inline:{sales@example.test=alice}' }, want: 'DUNNO' },
  { label: 'unknown_local_recipient_reject_code = 450', rcpt: 'nobody@example.test', changes: { unknown_local_recipient_reject_code: '450' }, want: unknown('nobody@example.test', 'local recipient table', 450, '4.1.1') },
  { label: 'a pattern table sees the whole address', rcpt: 'alice@example.test', changes: { local_recipient_maps: 'regexp:{{/^alice@/ x}}' }, want: 'DUNNO' },
  { label: 'a pattern table is not offered the local part alone', rcpt: 'bob@example.test', changes: { local_recipient_maps: 'regexp:{{/^bob$/ x}}' }, want: unknown('bob@example.test') },
  { label: 'a foreign domain is not checked', rcpt: 'x@elsewhere.org', want: 'DUNNO' },
  { label: 'an empty local_recipient_maps checks nothing', rcpt: 'nobody@example.test', changes: { local_recipient_maps: '' }, want: 'DUNNO' },
  { label: 'smtpd_reject_unlisted_recipient = no checks nothing', rcpt: 'nobody@example.test', changes: { smtpd_reject_unlisted_recipient: 'no' }, want: 'DUNNO' },
];

for (const c of localCases) {
  test(`unknown local recipients: ${c.label}`, () => {
    const policy = compileRigPolicy({ ...LOCAL, ...c.changes });
    assert.equal(outcomeOf(checkRcpt(policy, rigSession(), c.rcpt)), c.want);
  });
}

test('the stranger on the rig: user@[127.0.0.1] passes relay control and is then unknown (obs)', () => {
  const policy = compileRigPolicy(LOCAL);
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'user@[127.0.0.1]')), unknown('user@[127.0.0.1]'));
});

test('the unknown-recipient check runs even when a list said OK', () => {
  const policy = compileRigPolicy({ ...LOCAL, smtpd_recipient_restrictions: 'permit' });
  const verdict = checkRcpt(policy, rigSession(), 'nobody@example.test');
  assert.equal(outcomeOf(verdict), unknown('nobody@example.test'));
  assert.deepEqual(verdict.kind === 'reject' && [verdict.restriction, verdict.parameter, verdict.errorClass],
    ['smtpd_reject_unlisted_recipient', 'smtpd_reject_unlisted_recipient', 'bounce']);
});

test('the unknown-recipient check does not run when a list rejected', () => {
  const policy = compileRigPolicy({ ...LOCAL, smtpd_recipient_restrictions: 'reject' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'nobody@example.test')), '554 5.7.1 <nobody@example.test>: Recipient address rejected: Access denied');
});

test('VRFY of an unknown local user (obs)', () => {
  const policy = compileRigPolicy(LOCAL);
  assert.equal(outcomeOf(checkVrfy(policy, rigSession({ sender: null }), 'nobody@example.test')), unknown('nobody@example.test'));
});

test('reject_unlisted_recipient in a list, with the implicit check off', () => {
  const policy = compileRigPolicy({ ...LOCAL, smtpd_reject_unlisted_recipient: 'no', smtpd_recipient_restrictions: 'reject_unlisted_recipient, permit' });
  const verdict = checkRcpt(policy, rigSession(), 'nobody@example.test');
  assert.equal(outcomeOf(verdict), unknown('nobody@example.test'));
  assert.deepEqual(verdict.kind === 'reject' && [verdict.restriction, verdict.parameter], ['reject_unlisted_recipient', 'smtpd_recipient_restrictions']);
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'bob@example.test')), 'DUNNO');
});

test('check_recipient_maps is the 2.0 name of reject_unlisted_recipient', () => {
  const policy = compileRigPolicy({ ...LOCAL, smtpd_reject_unlisted_recipient: 'no', smtpd_recipient_restrictions: 'check_recipient_maps' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'nobody@example.test')), unknown('nobody@example.test'));
});

test('reject_unlisted_recipient under warn_if_reject is logged, and the implicit check still refuses', () => {
  const policy = compileRigPolicy({ ...LOCAL, smtpd_recipient_restrictions: 'warn_if_reject reject_unlisted_recipient, permit' });
  const verdict = checkRcpt(policy, rigSession(), 'nobody@example.test');
  assert.equal(outcomeOf(verdict), unknown('nobody@example.test'));
  assert.deepEqual(verdict.events.map((e) => (e.kind === 'reject_warning' ? e.reply.text : e.kind)),
    ['<nobody@example.test>: Recipient address rejected: User unknown in local recipient table']);
});

test('unknown local recipient codes and keys (recorded case reject-codes--unknown-local-recipient)', () => {
  const policy = compileRigPolicy({
    myhostname: 'mx.ref.test', myorigin: 'ref.test', mydestination: 'mx.ref.test, localhost.ref.test, localhost', mynetworks: '127.0.0.0/8',
    local_recipient_maps: 'inline:{alice@mx.ref.test=x, bob=x}', unknown_local_recipient_reject_code: '550',
  });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'alice@mx.ref.test')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'bob@localhost')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'carol@mx.ref.test')), unknown('carol@mx.ref.test'));
});

// The other address classes.
const classCases: { label: string; changes: Record<string, string>; rcpt: string; want: string }[] = [
  { label: 'relay_recipient_maps: an unknown user', changes: { relay_recipient_maps: 'inline:{y@relay.test=x}' }, rcpt: 'z@relay.test', want: unknown('z@relay.test', 'relay recipient table') },
  { label: 'relay_recipient_maps: a known user', changes: { relay_recipient_maps: 'inline:{y@relay.test=x}' }, rcpt: 'y@relay.test', want: 'DUNNO' },
  { label: 'relay_recipient_maps: the local part alone is no key outside local domains', changes: { relay_recipient_maps: 'inline:{y=x}' }, rcpt: 'y@relay.test', want: unknown('y@relay.test', 'relay recipient table') },
  { label: 'relay_recipient_maps: an @domain entry', changes: { relay_recipient_maps: 'inline:{@relay.test=x}' }, rcpt: 'z@relay.test', want: 'DUNNO' },
  { label: 'unknown_relay_recipient_reject_code', changes: { relay_recipient_maps: 'inline:{y@relay.test=x}', unknown_relay_recipient_reject_code: '551' }, rcpt: 'z@relay.test', want: unknown('z@relay.test', 'relay recipient table', 551) },
  { label: 'no relay_recipient_maps: every relay recipient is taken', changes: {}, rcpt: 'z@relay.test', want: 'DUNNO' },
  { label: 'virtual_mailbox_maps: an unknown user', changes: { virtual_mailbox_domains: 'virt.test', virtual_mailbox_maps: 'inline:{carol@virt.test=x}' }, rcpt: 'dave@virt.test', want: unknown('dave@virt.test', 'virtual mailbox table') },
  { label: 'virtual_mailbox_maps: a known user', changes: { virtual_mailbox_domains: 'virt.test', virtual_mailbox_maps: 'inline:{carol@virt.test=x}' }, rcpt: 'carol@virt.test', want: 'DUNNO' },
  { label: 'virtual_alias_maps: an unknown user of a virtual alias domain', changes: { virtual_alias_domains: 'alias.test', virtual_alias_maps: 'inline:{info@alias.test=alice@example.test}' }, rcpt: 'sales@alias.test', want: unknown('sales@alias.test', 'virtual alias table') },
  { label: 'virtual_alias_maps: a known user of a virtual alias domain', changes: { virtual_alias_domains: 'alias.test', virtual_alias_maps: 'inline:{info@alias.test=alice@example.test}' }, rcpt: 'info@alias.test', want: 'DUNNO' },
  { label: 'virtual_alias_maps: a relay recipient it rewrites is known', changes: { relay_recipient_maps: 'inline:{y@relay.test=x}', virtual_alias_maps: 'inline:{z@relay.test=y@relay.test}' }, rcpt: 'z@relay.test', want: 'DUNNO' },
];

for (const c of classCases) {
  test(`unknown recipients: ${c.label}`, () => {
    assert.equal(outcomeOf(checkRcpt(compileRigPolicy(c.changes), rigSession(), c.rcpt)), c.want);
  });
}

test('a recipient table that fails gives 451 4.3.0 Temporary lookup failure', () => {
  const compiled = compileRigPolicy(LOCAL);
  const broken: LookupTable = { type: 'hash', name: '/etc/postfix/local_rcpts', keyForm: 'fixed', lookup: () => ({ status: 'retry', reason: 'database locked' }) };
  const policy: Policy = { ...compiled, unlistedRecipient: { ...compiled.unlistedRecipient, local: [broken] } };
  const verdict = checkRcpt(policy, rigSession(), 'nobody@example.test');
  assert.equal(outcomeOf(verdict), '451 4.3.0 <nobody@example.test>: Temporary lookup failure');
  assert.notEqual(verdict.kind === 'reject' && verdict.errorClass, 'policy');
});
