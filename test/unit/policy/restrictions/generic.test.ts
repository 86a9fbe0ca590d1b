// Generic restrictions in smtpd_recipient_restrictions, as observed on the rig
// (spec/appendix-observed.md, "Built-in restrictions"), and their reply-code parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';

const cases: { label: string; changes: Record<string, string>; want: string }[] = [
  { label: 'defer answers 450 4.3.2 Try again later', changes: { smtpd_recipient_restrictions: 'defer' }, want: '450 4.3.2 <alice@example.test>: Recipient address rejected: Try again later' },
  { label: 'reject answers 554 5.7.1 Access denied', changes: { smtpd_recipient_restrictions: 'reject' }, want: '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied' },
  { label: 'defer_if_permit then permit defers', changes: { smtpd_recipient_restrictions: 'defer_if_permit, permit' }, want: '450 4.7.0 <alice@example.test>: Recipient address rejected: defer_if_permit requested' },
  { label: 'defer_if_permit then reject rejects', changes: { smtpd_recipient_restrictions: 'defer_if_permit, reject' }, want: '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied' },
  { label: 'defer_if_reject then reject defers', changes: { smtpd_recipient_restrictions: 'defer_if_reject, reject' }, want: '450 4.7.0 <alice@example.test>: Recipient address rejected: defer_if_reject requested' },
  { label: 'defer_if_reject then permit accepts', changes: { smtpd_recipient_restrictions: 'defer_if_reject, permit' }, want: 'DUNNO' },
  { label: 'defer_if_permit at the end of a list defers', changes: { smtpd_recipient_restrictions: 'defer_if_permit' }, want: '450 4.7.0 <alice@example.test>: Recipient address rejected: defer_if_permit requested' },
  { label: 'reject_code = 550 changes the reject reply', changes: { smtpd_recipient_restrictions: 'reject', reject_code: '550' }, want: '550 5.7.1 <alice@example.test>: Recipient address rejected: Access denied' },
  { label: 'reject_code = 450 makes reject temporary, DSN class following', changes: { smtpd_recipient_restrictions: 'reject', reject_code: '450' }, want: '450 4.7.1 <alice@example.test>: Recipient address rejected: Access denied' },
  { label: 'defer_code = 451 changes the defer reply', changes: { smtpd_recipient_restrictions: 'defer', defer_code: '451' }, want: '451 4.3.2 <alice@example.test>: Recipient address rejected: Try again later' },
  { label: 'defer_code = 550 makes defer permanent, DSN class following', changes: { smtpd_recipient_restrictions: 'defer', defer_code: '550' }, want: '550 5.3.2 <alice@example.test>: Recipient address rejected: Try again later' },
  { label: 'reject_code = 250 is a configuration error: 450 4.7.1 Service unavailable', changes: { smtpd_recipient_restrictions: 'reject', reject_code: '250' }, want: '450 4.7.1 Service unavailable' },
  { label: 'reject_code = 600 is a configuration error: 450 4.7.1 Service unavailable', changes: { smtpd_recipient_restrictions: 'reject', reject_code: '600' }, want: '450 4.7.1 Service unavailable' },
  { label: 'reject_plaintext_session refuses a session without TLS', changes: { smtpd_recipient_restrictions: 'reject_plaintext_session' }, want: '450 4.7.1 Session encryption is required' },
  { label: 'plaintext_reject_code = 530 changes that reply', changes: { smtpd_recipient_restrictions: 'reject_plaintext_session', plaintext_reject_code: '530' }, want: '530 5.7.1 Session encryption is required' },
];

for (const c of cases) {
  test(c.label, () => {
    assert.equal(outcomeOf(checkRcpt(compileRigPolicy(c.changes), rigSession(), 'alice@example.test')), c.want);
  });
}

test('a reply code outside 400..599 is logged as a configuration warning', () => {
  const verdict = checkRcpt(compileRigPolicy({ smtpd_recipient_restrictions: 'reject', reject_code: '250' }), rigSession(), 'alice@example.test');
  assert.deepEqual(verdict.events, [
    {
      kind: 'warning',
      code: 'REPLY_CODE_CONFIGURATION',
      text: 'SMTP reply code configuration error: 250 5.7.1 <alice@example.test>: Recipient address rejected: Access denied',
    },
  ]);
});

test('reject_plaintext_session lets a TLS session through', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject_plaintext_session' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ tls: true }), 'alice@example.test')), 'DUNNO');
});

test('permit ends the list and later steps never run', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'permit, reject' });
  const verdict = checkRcpt(policy, strangerSession(), 'alice@example.test');
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(verdict.events.map((e) => (e.kind === 'warning' ? e.text : e.kind)), ["restriction `reject' after `permit' is ignored"]);
});

test('permit in one list does not skip the next list', () => {
  // smtpd_relay_restrictions permits (mynetworks); smtpd_recipient_restrictions still runs.
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'x@elsewhere.org')), '554 5.7.1 <x@elsewhere.org>: Recipient address rejected: Access denied');
});

test('sleep adds its seconds to the verdict and goes on', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'sleep 2, sleep 1' });
  const verdict = checkRcpt(policy, rigSession(), 'alice@example.test');
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.equal(verdict.sleepSeconds, 3);
});
