// Client restrictions without tables or DNS (spec/restrictions.md section 10.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';

const REFUSED = (namaddr: string): string => `554 5.7.1 <${namaddr}>: Client host rejected: Access denied`;

const cases: { label: string; list: string; changes?: Record<string, string>; session: Parameters<typeof rigSession>[0]; want: string }[] = [
  { label: 'permit_mynetworks permits 127.0.0.1 in 127.0.0.0/8', list: 'permit_mynetworks, reject', session: {}, want: 'DUNNO' },
  { label: 'permit_mynetworks leaves a stranger to the next step', list: 'permit_mynetworks, reject', session: { clientAddress: '198.51.100.7', clientName: 'client.example.org' }, want: REFUSED('client.example.org[198.51.100.7]') },
  { label: 'a host name in mynetworks matches the verified client name and its subdomains', list: 'permit_mynetworks, reject', changes: { mynetworks: 'example.org' }, session: { clientAddress: '198.51.100.7', clientName: 'client.example.org' }, want: 'DUNNO' },
  { label: 'a negated network excludes a client before a wider one', list: 'permit_mynetworks, reject', changes: { mynetworks: '!198.51.100.7, 198.51.100.0/24' }, session: { clientAddress: '198.51.100.7', clientName: 'unknown' }, want: REFUSED('unknown[198.51.100.7]') },
  { label: 'an IPv6 network in brackets matches an IPv6 client', list: 'permit_mynetworks, reject', changes: { mynetworks: '[2001:db8::]/32' }, session: { clientAddress: '2001:db8:1:2::5', clientName: 'unknown' }, want: 'DUNNO' },
  { label: 'permit_inet_interfaces permits a client on our own address', list: 'permit_inet_interfaces, reject', session: {}, want: 'DUNNO' },
  { label: 'permit_inet_interfaces leaves other addresses alone', list: 'permit_inet_interfaces, reject', session: { clientAddress: '127.0.0.2' }, want: REFUSED('localhost[127.0.0.2]') },
  { label: 'permit_sasl_authenticated permits a logged-in client', list: 'permit_sasl_authenticated, reject', session: { clientAddress: '198.51.100.7', saslUsername: 'alice' }, want: 'DUNNO' },
  { label: 'permit_sasl_authenticated leaves other clients alone', list: 'permit_sasl_authenticated, reject', session: { clientAddress: '198.51.100.7' }, want: REFUSED('localhost[198.51.100.7]') },
];

for (const c of cases) {
  test(c.label, () => {
    const policy = compileRigPolicy({ smtpd_client_restrictions: c.list, ...c.changes });
    assert.equal(outcomeOf(checkRcpt(policy, rigSession(c.session), 'alice@example.test')), c.want);
  });
}

test('smtpd_log_access_permit_actions logs the permit with the client as subject', () => {
  const policy = compileRigPolicy({ smtpd_log_access_permit_actions: 'permit_mynetworks' });
  const verdict = checkRcpt(policy, rigSession(), 'x@elsewhere.org');
  assert.deepEqual(
    verdict.events.map((e) => (e.kind === 'permit' ? e.text : e.kind)),
    ['action=permit_mynetworks for Client host=localhost[127.0.0.1]'],
  );
  assert.equal(checkRcpt(compileRigPolicy(), strangerSession(), 'y@relay.test').events.length, 0);
});
