// reject_non_fqdn_sender in smtpd_sender_restrictions (spec/restrictions.md section 10.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession } from '../policy-rig.ts';

const cases: { label: string; sender: string | null; want: string }[] = [
  { label: 'a domain without a dot is refused', sender: 's@nodomain', want: '504 5.5.2 <s@nodomain>: Sender address rejected: need fully-qualified address' },
  { label: 'a sender without domain is refused', sender: 'bareuser', want: '504 5.5.2 <bareuser>: Sender address rejected: need fully-qualified address' },
  { label: 'a domain with a dot passes', sender: 's@good.test', want: 'DUNNO' },
  { label: 'an address literal is not judged', sender: 's@[192.0.2.1]', want: 'DUNNO' },
  { label: 'the null sender is not judged', sender: '', want: 'DUNNO' },
  { label: 'without MAIL FROM (VRFY outside a transaction) nothing is judged', sender: null, want: 'DUNNO' },
  { label: 'an empty label is refused', sender: 's@bad..test', want: '504 5.5.2 <s@bad..test>: Sender address rejected: need fully-qualified address' },
];

for (const c of cases) {
  test(`reject_non_fqdn_sender: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_non_fqdn_sender' });
    assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: c.sender }), 'alice@example.test')), c.want);
  });
}

test('reject_non_fqdn_sender names the sender even in the recipient list', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject_non_fqdn_sender' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 's@nodomain' }), 'alice@example.test')), '504 5.5.2 <s@nodomain>: Sender address rejected: need fully-qualified address');
});
