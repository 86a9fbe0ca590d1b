// reject_*sender_login_mismatch with smtpd_sender_login_maps (spec/restrictions.md section 10.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession } from '../policy-rig.ts';

const MAPS = 'inline:{alice@corp.example=alice, {shared@corp.example = alice, bob}, @team.example=carol}';

const cases: { restriction: string; sender: string; login: string | null; want: string }[] = [
  { restriction: 'reject_sender_login_mismatch', sender: 'alice@corp.example', login: 'alice', want: 'DUNNO' },
  { restriction: 'reject_sender_login_mismatch', sender: 'alice@corp.example', login: 'bob', want: '553 5.7.1 <alice@corp.example>: Sender address rejected: not owned by user bob' },
  { restriction: 'reject_sender_login_mismatch', sender: 'x@corp.example', login: 'alice', want: '553 5.7.1 <x@corp.example>: Sender address rejected: not owned by user alice' },
  { restriction: 'reject_sender_login_mismatch', sender: 'alice@corp.example', login: null, want: '553 5.7.1 <alice@corp.example>: Sender address rejected: not logged in' },
  { restriction: 'reject_sender_login_mismatch', sender: 'x@other.example', login: null, want: 'DUNNO' },
  { restriction: 'reject_sender_login_mismatch', sender: 'shared@corp.example', login: 'Bob', want: 'DUNNO' },
  { restriction: 'reject_sender_login_mismatch', sender: 'anyone@team.example', login: 'carol', want: 'DUNNO' },
  { restriction: 'reject_sender_login_mismatch', sender: '', login: 'bob', want: 'DUNNO' },
  { restriction: 'reject_authenticated_sender_login_mismatch', sender: 'alice@corp.example', login: null, want: 'DUNNO' },
  { restriction: 'reject_authenticated_sender_login_mismatch', sender: 'x@other.example', login: 'bob', want: '553 5.7.1 <x@other.example>: Sender address rejected: not owned by user bob' },
  { restriction: 'reject_unauthenticated_sender_login_mismatch', sender: 'x@other.example', login: 'bob', want: 'DUNNO' },
  { restriction: 'reject_unauthenticated_sender_login_mismatch', sender: 'alice@corp.example', login: null, want: '553 5.7.1 <alice@corp.example>: Sender address rejected: not logged in' },
  { restriction: 'reject_known_sender_login_mismatch', sender: 'x@other.example', login: 'bob', want: 'DUNNO' },
  { restriction: 'reject_known_sender_login_mismatch', sender: 'alice@corp.example', login: 'bob', want: '553 5.7.1 <alice@corp.example>: Sender address rejected: not owned by user bob' },
];

for (const c of cases) {
  test(`${c.restriction}: ${c.sender || '<>'} ${c.login ? `logged in as ${c.login}` : 'not logged in'}`, () => {
    const policy = compileRigPolicy({ smtpd_sasl_auth_enable: 'yes', smtpd_sender_login_maps: MAPS, smtpd_sender_restrictions: c.restriction });
    assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: c.sender, saslUsername: c.login }), 'alice@example.test')), c.want);
  });
}

test('without SASL the login checks do nothing, and the compiler says so', () => {
  const policy = compileRigPolicy({ smtpd_sender_login_maps: MAPS, smtpd_sender_restrictions: 'reject_sender_login_mismatch' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'alice@corp.example' }), 'alice@example.test')), 'DUNNO');
});

test('reject_unlisted_sender: a sender of our own domain must be a known recipient there (5.1.0)', () => {
  const policy = compileRigPolicy({ local_recipient_maps: 'inline:{alice=x}', smtpd_sender_restrictions: 'reject_unlisted_sender' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'alice@example.test' }), 'bob@example.net')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'mallory@example.test' }), 'bob@example.net')),
    '550 5.1.0 <mallory@example.test>: Sender address rejected: User unknown in local recipient table');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'someone@elsewhere.example' }), 'bob@example.net')), 'DUNNO');
});

test('smtpd_reject_unlisted_sender = yes applies the same test after the lists', () => {
  const policy = compileRigPolicy({ local_recipient_maps: 'inline:{alice=x}', smtpd_reject_unlisted_sender: 'yes', smtpd_recipient_restrictions: 'permit' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 'mallory@example.test' }), 'bob@example.net')),
    '550 5.1.0 <mallory@example.test>: Sender address rejected: User unknown in local recipient table');
});
