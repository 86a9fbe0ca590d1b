// HELO syntax restrictions, run at RCPT with smtpd_delay_reject = yes, as observed on the rig
// (spec/appendix-observed.md, "Built-in restrictions").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, strangerSession } from '../policy-rig.ts';

const HELO_LIST = 'reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname, permit';

const cases: { label: string; helo: string; want: string }[] = [
  { label: 'bad characters are an invalid name', helo: 'bad_host!name', want: '501 5.5.2 <bad_host!name>: Helo command rejected: Invalid name' },
  { label: 'a malformed literal is an invalid ip address', helo: '[1.2.3]', want: '501 5.5.2 <[1.2.3]>: Helo command rejected: invalid ip address' },
  { label: 'a bare IP address passes the syntax test but is not fully qualified', helo: '192.0.2.1', want: '504 5.5.2 <192.0.2.1>: Helo command rejected: need fully-qualified hostname' },
  { label: 'a name without dots is not fully qualified', helo: 'nodots', want: '504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname' },
  { label: 'an address literal passes', helo: '[192.0.2.1]', want: 'DUNNO' },
  { label: 'a fully-qualified name passes', helo: 'helo.good.test', want: 'DUNNO' },
  { label: 'a name ending in one dot is judged without it', helo: 'helo.good.test.', want: 'DUNNO' },
  { label: 'a name ending in two dots is invalid', helo: 'helo.good.test..', want: '501 5.5.2 <helo.good.test..>: Helo command rejected: Invalid name' },
  { label: 'a label starting with a hyphen is invalid', helo: '-bad.example', want: '501 5.5.2 <-bad.example>: Helo command rejected: Invalid name' },
  { label: 'an IPv6 literal needs the IPv6: prefix', helo: '[::1]', want: '501 5.5.2 <[::1]>: Helo command rejected: invalid ip address' },
  { label: 'an IPv6 literal with the prefix passes', helo: '[IPv6:2001:db8::1]', want: 'DUNNO' },
  { label: 'words joined by spaces are an invalid name', helo: 'two words', want: '501 5.5.2 <two words>: Helo command rejected: Invalid name' },
];

for (const c of cases) {
  test(`HELO ${c.helo}: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_helo_restrictions: HELO_LIST });
    assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: c.helo }), 'alice@example.test')), c.want);
  });
}

test('the 1.1 names reject_invalid_hostname and reject_non_fqdn_hostname behave the same', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'reject_invalid_hostname, reject_non_fqdn_hostname' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: 'bad_host!name' }), 'alice@example.test')), '501 5.5.2 <bad_host!name>: Helo command rejected: Invalid name');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: 'nodots' }), 'alice@example.test')), '504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname');
});

test('HELO restrictions are skipped when the client sent no HELO', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'reject_non_fqdn_helo_hostname, reject' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: null }), 'alice@example.test')), 'DUNNO');
});

test('invalid_hostname_reject_code and non_fqdn_reject_code set the HELO reply codes', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: HELO_LIST, invalid_hostname_reject_code: '550', non_fqdn_reject_code: '450' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: 'bad_host!name' }), 'alice@example.test')), '550 5.5.2 <bad_host!name>: Helo command rejected: Invalid name');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: 'nodots' }), 'alice@example.test')), '450 4.5.2 <nodots>: Helo command rejected: need fully-qualified hostname');
});

test('permit_naked_ip_address permits a bare address and warns that it is deprecated', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'permit_naked_ip_address, reject' });
  const verdict = checkRcpt(policy, strangerSession({ helo: '192.0.2.1' }), 'alice@example.test');
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(verdict.events.map((e) => (e.kind === 'warning' ? e.code : e.kind)), ['DEPRECATED_RESTRICTION']);
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: 'helo.good.test' }), 'alice@example.test')), '554 5.7.1 <helo.good.test>: Helo command rejected: Access denied');
});
