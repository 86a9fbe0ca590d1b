// permit_mx_backup and permit_mx_backup_networks (server/policy/restrictions/mx-backup.ts),
// with the zone of the observation rig (spec/appendix-observed.md "Built-in restrictions":
// backup.test, prim.test) and of the recorded dialogue permit-mx-backup--secondary-mx.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRcpt } from '../../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from '../policy-rig.ts';
import { settleDns, staticDns, type StaticZone } from '../static-dns.ts';

const ZONE: StaticZone = {
  // The rig: mx.example.test is myhostname (in mydestination) and 127.0.0.1.
  'MX backup.test': [{ exchange: 'primary.backup.test', priority: 10 }, { exchange: 'mx.example.test', priority: 20 }],
  'A primary.backup.test': ['192.0.2.20'],
  'A mx.example.test': ['127.0.0.1'],
  'MX prim.test': [{ exchange: 'mx.example.test', priority: 10 }],
  // Backup by address only: the host name is not ours, its address is.
  'MX byaddr.test': [{ exchange: 'primary.backup.test', priority: 10 }, { exchange: 'relay-host.example.net', priority: 30 }],
  'A relay-host.example.net': ['127.0.0.1'],
  // Backup through proxy_interfaces.
  'MX byproxy.test': [{ exchange: 'primary.backup.test', priority: 10 }, { exchange: 'nat.example.net', priority: 20 }],
  'A nat.example.net': ['203.0.113.1'],
  // Three preferences: only the best is primary.
  'MX three.test': [{ exchange: 'mx.example.test', priority: 30 }, { exchange: 'mid.three.test', priority: 20 }, { exchange: 'primary.backup.test', priority: 10 }],
  'A mid.three.test': ['198.51.100.21'],
  // Two primaries, one of them us.
  'MX twoprim.test': [{ exchange: 'primary.backup.test', priority: 10 }, { exchange: 'mx.example.test', priority: 10 }, { exchange: 'other.example.net', priority: 20 }],
  'A other.example.net': ['192.0.2.99'],
  // A primary that does not resolve, and a backup that is us.
  'MX ghostprim.test': [{ exchange: 'ghost.example.net', priority: 10 }, { exchange: 'mx.example.test', priority: 20 }],
  // A backup that does not resolve, and no host that is us.
  'MX ghostbackup.test': [{ exchange: 'primary.backup.test', priority: 10 }, { exchange: 'ghost.example.net', priority: 20 }],
  // A backup whose address lookup fails.
  'MX flakyhost.test': [{ exchange: 'primary.backup.test', priority: 10 }, { exchange: 'flaky.example.net', priority: 20 }],
  'SERVFAIL flaky.example.net': true,
  'SERVFAIL MX flaky.test': true,
  'MX nullmx.test': [{ exchange: '', priority: 0 }],
  'A aonly.test': ['192.0.2.27'],
};

const RELAY = 'permit_mx_backup, reject_unauth_destination';
const denied = (rcpt: string) => `554 5.7.1 <${rcpt}>: Relay access denied`;

function stranger() {
  return strangerSession({ dns: staticDns(ZONE) });
}

const cases: { label: string; rcpt: string; changes?: Record<string, string>; want: string }[] = [
  { label: 'a backup MX by host name is permitted (obs)', rcpt: 'x@backup.test', want: 'DUNNO' },
  { label: 'a primary MX does not qualify (obs)', rcpt: 'x@prim.test', want: denied('x@prim.test') },
  { label: 'permit_mx_backup_networks without the primary: denied (obs)', rcpt: 'x@backup.test', changes: { permit_mx_backup_networks: '10.0.0.0/8' }, want: denied('x@backup.test') },
  { label: 'permit_mx_backup_networks with the primary: permitted (obs)', rcpt: 'x@backup.test', changes: { permit_mx_backup_networks: '192.0.2.0/24' }, want: 'DUNNO' },
  { label: 'a backup MX by address (inet_interfaces) is permitted', rcpt: 'x@byaddr.test', want: 'DUNNO' },
  { label: 'a backup MX by proxy_interfaces is permitted', rcpt: 'x@byproxy.test', changes: { proxy_interfaces: '203.0.113.1' }, want: 'DUNNO' },
  { label: 'an address that is neither ours nor a proxy does not count', rcpt: 'x@byproxy.test', want: denied('x@byproxy.test') },
  {
    label: 'with three preferences only the best ones must lie in permit_mx_backup_networks',
    rcpt: 'x@three.test', changes: { permit_mx_backup_networks: '192.0.2.20/32' }, want: 'DUNNO',
  },
  {
    label: 'permit_mx_backup_networks may name hosts, matched with the MX host name',
    rcpt: 'x@backup.test', changes: { permit_mx_backup_networks: 'backup.test' }, want: 'DUNNO',
  },
  { label: 'being one of two primaries does not qualify', rcpt: 'x@twoprim.test', want: denied('x@twoprim.test') },
  { label: 'a primary that does not resolve does not stop a backup MX', rcpt: 'x@ghostprim.test', want: 'DUNNO' },
  {
    label: 'a backup host that does not resolve turns the relay reject into 450',
    rcpt: 'x@ghostbackup.test',
    want: '450 4.4.4 <x@ghostbackup.test>: Recipient address rejected: Unable to look up mail exchanger host ghost.example.net: Name or service not known',
  },
  {
    label: 'a backup host whose lookup fails turns the relay reject into 450',
    rcpt: 'x@flakyhost.test',
    want: '450 4.4.4 <x@flakyhost.test>: Recipient address rejected: Unable to look up mail exchanger host flaky.example.net: Temporary failure in name resolution',
  },
  {
    label: 'an MX lookup that fails turns the relay reject into 450',
    rcpt: 'x@flaky.test',
    want: '450 4.4.4 <x@flaky.test>: Recipient address rejected: Unable to look up mail exchanger information: Host not found, try again',
  },
  { label: 'a domain without MX records does not qualify', rcpt: 'x@aonly.test', want: denied('x@aonly.test') },
  { label: 'a domain with a null MX does not qualify', rcpt: 'x@nullmx.test', want: denied('x@nullmx.test') },
  { label: 'sender-specified routing never qualifies', rcpt: 'user%elsewhere.org@backup.test', want: denied('user%elsewhere.org@backup.test') },
  { label: 'an address literal never qualifies', rcpt: 'x@[192.0.2.20]', want: denied('x@[192.0.2.20]') },
  { label: 'our own domain is permitted (as permit_auth_destination)', rcpt: 'alice@example.test', want: 'DUNNO' },
  { label: 'relay_domains are permitted', rcpt: 'y@relay.test', want: 'DUNNO' },
];

for (const c of cases) {
  test(`permit_mx_backup: ${c.label}`, () => {
    const policy = compileRigPolicy({ smtpd_relay_restrictions: RELAY, ...c.changes });
    assert.equal(outcomeOf(checkRcpt(policy, stranger(), c.rcpt)), c.want);
  });
}

test('permit_mx_backup: a lookup failure changes nothing when the request is permitted later', () => {
  const policy = compileRigPolicy({ smtpd_relay_restrictions: 'permit_mx_backup, permit_mynetworks, reject_unauth_destination' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ dns: staticDns(ZONE) }), 'x@flaky.test')), 'DUNNO');
});

test('permit_mx_backup: a 4xx relay reject is not changed by the deferral', () => {
  const policy = compileRigPolicy({ smtpd_relay_restrictions: 'permit_mx_backup, defer_unauth_destination' });
  assert.equal(outcomeOf(checkRcpt(policy, stranger(), 'x@flaky.test')), '454 4.7.1 <x@flaky.test>: Relay access denied');
});

test('permit_mx_backup: a secondary MX (recorded case permit-mx-backup--secondary-mx)', () => {
  const policy = compileRigPolicy({
    myhostname: 'mx.ref.test', mydestination: 'mx.ref.test, localhost.ref.test, localhost', mynetworks: '10.0.0.0/8',
    smtpd_relay_restrictions: 'permit_mynetworks, permit_mx_backup, reject_unauth_destination',
  });
  const dns = staticDns({
    'MX backup2.example.com': [{ exchange: 'mx.ref.test', priority: 20 }, { exchange: 'mx.example.com', priority: 10 }],
    'A mx.example.com': ['192.0.2.25'],
    'A mx.ref.test': ['127.0.0.1'],
    'A example.org': ['192.0.2.27'],
  });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ dns }), 'u@backup2.example.com')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ dns }), 'u@example.org')), '554 5.7.1 <u@example.org>: Relay access denied');
});

test('permit_mx_backup asks the MX records, then the addresses of the hosts not ours by name', () => {
  const policy = compileRigPolicy({ smtpd_relay_restrictions: RELAY });
  const { verdict, rounds } = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ dns }), 'x@backup.test'));
  assert.deepEqual(rounds, [['MX backup.test'], ['A primary.backup.test', 'AAAA primary.backup.test']]);
  assert.equal(outcomeOf(verdict), 'DUNNO');
  const ours = settleDns(ZONE, (dns) => checkRcpt(policy, strangerSession({ dns }), 'alice@example.test'));
  assert.deepEqual(ours.rounds, []);
});

test('permit_mx_backup logs its permit under smtpd_log_access_permit_actions with the recipient', () => {
  const policy = compileRigPolicy({ smtpd_relay_restrictions: RELAY, smtpd_log_access_permit_actions: 'permit_mx_backup' });
  const verdict = checkRcpt(policy, stranger(), 'x@backup.test');
  assert.deepEqual(verdict.events.map((e) => (e.kind === 'permit' ? e.text : e.kind)), ['action=permit_mx_backup for Recipient address=x@backup.test']);
});
