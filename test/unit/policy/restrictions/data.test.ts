// smtpd_data_restrictions = reject_unauth_pipelining, reject_multi_recipient_bounce, as observed
// on the rig (spec/appendix-observed.md, "Built-in restrictions").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkData, checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession } from '../policy-rig.ts';

const DATA_LIST = { smtpd_data_restrictions: 'reject_unauth_pipelining, reject_multi_recipient_bounce' };

const cases: { label: string; session: Parameters<typeof rigSession>[0]; want: string }[] = [
  {
    label: 'a client that pipelined HELO, MAIL, RCPT and DATA is refused',
    session: { improperPipelining: true, recipientCount: 1, recipient: 'alice@example.test' },
    want: '503 5.5.0 <DATA>: Data command rejected: Improper use of SMTP command pipelining',
  },
  {
    label: 'a null-sender message with two recipients is refused',
    session: { sender: '', recipientCount: 2, recipient: 'alice@example.test' },
    want: '550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce',
  },
  { label: 'a null-sender message with one recipient passes', session: { sender: '', recipientCount: 1, recipient: 'alice@example.test' }, want: 'DUNNO' },
  { label: 'an ordinary sender with two recipients passes', session: { recipientCount: 2, recipient: 'alice@example.test' }, want: 'DUNNO' },
];

for (const c of cases) {
  test(c.label, () => {
    assert.equal(outcomeOf(checkData(compileRigPolicy(DATA_LIST), rigSession(c.session))), c.want);
  });
}

test('multi_recipient_bounce_reject_code sets the code', () => {
  const policy = compileRigPolicy({ ...DATA_LIST, multi_recipient_bounce_reject_code: '554' });
  assert.equal(outcomeOf(checkData(policy, rigSession({ sender: '', recipientCount: 2 }))), '554 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce');
});

test('in the recipient list reject_multi_recipient_bounce refuses the second RCPT of a bounce', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject_multi_recipient_bounce' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: '', recipientCount: 0 }), 'alice@example.test')), 'DUNNO');
  assert.equal(
    outcomeOf(checkRcpt(policy, rigSession({ sender: '', recipientCount: 1, recipient: 'alice@example.test' }), 'bob@example.test')),
    '550 5.5.3 <bob@example.test>: Recipient address rejected: Multi-recipient bounce',
  );
});

test('recipient restrictions in the DATA list see the recipient only when there is one', () => {
  const policy = compileRigPolicy({ smtpd_data_restrictions: 'reject_non_fqdn_recipient' });
  assert.equal(outcomeOf(checkData(policy, rigSession({ recipientCount: 1, recipient: 'x@y' }))), '504 5.5.2 <x@y>: Recipient address rejected: need fully-qualified address');
  assert.equal(outcomeOf(checkData(policy, rigSession({ recipientCount: 2, recipient: 'x@y' }))), 'DUNNO');
});
