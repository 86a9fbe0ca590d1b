// server/maps/access-key-order.ts: the keys smtpd tries for clients, hostnames, addresses and
// email addresses (spec/access-maps.md section 2), printed for several subjects and compared
// with golden/access-key-order.ref; the worked example and access rows of
// spec/appendix-observed.md played against real tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  accessKeys, accessLookup, DEFAULT_ACCESS_KEY_OPTIONS, type AccessKeyOptions, type AccessKind, type ClientIdentity,
} from '../../../server/maps/access-key-order.ts';
import type { LookupResult, LookupTable } from '../../../server/maps/lookup-table.ts';
import { compileForTest } from './table-cases.ts';

const PLUS: AccessKeyOptions = { ...DEFAULT_ACCESS_KEY_OPTIONS, recipientDelimiter: '+' };
const DOTTED: AccessKeyOptions = { ...PLUS, parentDomainMatches: false };

const SUBJECTS: { kind: AccessKind; subject: string | ClientIdentity; options: AccessKeyOptions; note: string }[] = [
  { kind: 'email', subject: 'User+Ext@Sub.Domain.TLD', options: PLUS, note: 'recipient_delimiter = +' },
  { kind: 'email', subject: 'user+ext@sub.domain.tld', options: DOTTED, note: 'recipient_delimiter = +, smtpd_access_maps not in parent_domain_matches_subdomains' },
  { kind: 'email', subject: 'user+ext@sub.domain.tld', options: DEFAULT_ACCESS_KEY_OPTIONS, note: 'recipient_delimiter empty (default)' },
  { kind: 'email', subject: 'postmaster@anywhere.example', options: PLUS, note: 'no extension' },
  { kind: 'email', subject: 'owner-list@lists.example', options: { ...PLUS, recipientDelimiter: '-' }, note: 'recipient_delimiter = -: owner- is never split' },
  { kind: 'email', subject: 'user@[192.0.2.1]', options: PLUS, note: 'address literal: no parent domains' },
  { kind: 'email', subject: '', options: PLUS, note: 'null sender (smtpd_null_access_lookup_key = <>)' },
  { kind: 'hostname', subject: 'helo.bad.example', options: PLUS, note: 'HELO name' },
  { kind: 'hostname', subject: 'helo.bad.example', options: DOTTED, note: 'HELO name, parent domains as .domain' },
  { kind: 'hostname', subject: 'trailing.dot.example.', options: PLUS, note: 'trailing dot kept' },
  { kind: 'hostname', subject: '[192.0.2.1]', options: PLUS, note: 'address literal HELO: no parent domains' },
  { kind: 'address', subject: '198.51.100.7', options: PLUS, note: 'IPv4' },
  { kind: 'address', subject: '2001:db8:1:2::5', options: PLUS, note: 'IPv6' },
  { kind: 'address', subject: '::ffff:198.51.100.7', options: PLUS, note: 'IPv4-mapped IPv6 is the IPv4 address' },
  { kind: 'client', subject: { name: 'host.sub.example.net', address: '192.0.2.51' }, options: PLUS, note: 'client with a verified name' },
  { kind: 'client', subject: { name: 'unknown', address: '2001:db8:1:2::5' }, options: PLUS, note: 'client without a name' },
];

function printKeyOrder(): string {
  let out = '';
  for (const { kind, subject, options, note } of SUBJECTS) {
    const shown = typeof subject === 'string' ? (subject === '' ? '<>' : subject) : `${subject.name}[${subject.address}]`;
    out += `${kind} ${shown}  (${note})\n`;
    const keys = kind === 'client' ? accessKeys(kind, subject as ClientIdentity, options) : accessKeys(kind, subject as string, options);
    for (const { key, form } of keys) out += `  ${form.padEnd(8)}${key}\n`;
  }
  return out;
}

test('the keys tried for addresses, hostnames, IP addresses and clients are as golden/access-key-order.ref shows', (t) => {
  const printed = printKeyOrder();
  t.diagnostic(`\n${printed}`);
  assert.equal(printed, fs.readFileSync(new URL('./golden/access-key-order.ref', import.meta.url), 'utf8'));
});

const valueFound = (result: ReturnType<typeof accessLookup>) => (result.status === 'found' ? [result.key, result.value] : result.status);

// spec/access-maps.md section 6 and the "Access tables" rows of the appendix.
const CLIENT_ACCESS = `198.51.100.1      REJECT
198.51.100.9      DUNNO
198.51.100        REJECT whole /24 blocked
198.51.100.10     OK
example.net       REJECT parent domain match
unknown           REJECT no reverse DNS
198.51.100.3 450 Try later from this host
198.51.100.4 550 5.7.0 Custom enhanced code
198.51.100.5 550
198.51.100.6 DEFER
198.51.100.8 DEFER Come back tomorrow
198.51.100.11 521 Bye bye botnet
198.51.100.12 421 Service shutting down
198.51.100.13 1234567890
198.51.100.25 RELAY
198.51.100.26 OK but this text is ignored
198.51.100.15 WARN suspicious client
198.51.100.16 INFO noteworthy client
198.51.100.17 permit_mynetworks, reject
198.51.100.18 DEFER_IF_PERMIT Maybe later
198.51.100.19 HOLD held for review
198.51.100.20 DISCARD quietly dropped
198.51.100.21 PREPEND X-Client-Note: flagged by access map
198.51.100.22 REDIRECT quarantine@example.test
198.51.100.23 FILTER smtp:[127.0.0.1]:10025
198.51.100.24 550 5.1.1 Mapped DSN test
2001:db8:1:2 REJECT v6 four-group prefix
`;

test('client table of the appendix: each client finds the entry Postfix acted on', () => {
  const { table } = compileForTest('hash', CLIENT_ACCESS, 'client_access');
  const client = (name: string, address: string) => valueFound(accessLookup(table, 'client', { name, address }));
  assert.deepEqual(client('client1.example.org', '198.51.100.1'), ['198.51.100.1', 'REJECT']);
  assert.deepEqual(client('client7.example.org', '198.51.100.7'), ['198.51.100', 'REJECT whole /24 blocked']);
  assert.deepEqual(client('client10.example.org', '198.51.100.10'), ['198.51.100.10', 'OK']);
  assert.deepEqual(client('host.sub.example.net', '192.0.2.51'), ['example.net', 'REJECT parent domain match']);
  assert.deepEqual(client('unknown', '203.0.113.5'), ['unknown', 'REJECT no reverse DNS']);
  assert.deepEqual(client('client99.example.org', '192.0.2.99'), 'notfound');
  const rows: [number, string][] = [
    [3, '450 Try later from this host'], [4, '550 5.7.0 Custom enhanced code'], [5, '550'], [6, 'DEFER'],
    [8, 'DEFER Come back tomorrow'], [11, '521 Bye bye botnet'], [12, '421 Service shutting down'], [13, '1234567890'],
    [25, 'RELAY'], [26, 'OK but this text is ignored'], [15, 'WARN suspicious client'], [16, 'INFO noteworthy client'],
    [17, 'permit_mynetworks, reject'], [18, 'DEFER_IF_PERMIT Maybe later'], [19, 'HOLD held for review'],
    [20, 'DISCARD quietly dropped'], [21, 'PREPEND X-Client-Note: flagged by access map'],
    [22, 'REDIRECT quarantine@example.test'], [23, 'FILTER smtp:[127.0.0.1]:10025'], [24, '550 5.1.1 Mapped DSN test'],
  ];
  for (const [octet, value] of rows) {
    assert.deepEqual(client(`client${octet}.example.org`, `198.51.100.${octet}`), [`198.51.100.${octet}`, value]);
  }
});

test('a DUNNO entry for one address is found first and ends the search, shielding it from the /24 (obs)', () => {
  const { table } = compileForTest('hash', CLIENT_ACCESS);
  assert.deepEqual(accessLookup(table, 'client', { name: 'client9.example.org', address: '198.51.100.9' }), {
    status: 'found', value: 'DUNNO', key: '198.51.100.9', line: 2,
    keysTried: ['client9.example.org', 'example.org', 'org', '198.51.100.9'],
  });
});

test('an unnamed IPv6 client probes unknown, the address, then shorter groups (obs)', () => {
  const { table } = compileForTest('hash', CLIENT_ACCESS);
  const result = accessLookup(table, 'client', { name: 'unknown', address: '2001:db8:1:2::5' });
  assert.deepEqual(result, {
    status: 'found', value: 'REJECT no reverse DNS', key: 'unknown', line: 6, keysTried: ['unknown'],
  });
  const { table: v6only } = compileForTest('hash', '2001:db8:1:2 REJECT v6 four-group prefix\n');
  assert.deepEqual(accessLookup(v6only, 'client', { name: 'unknown', address: '2001:db8:1:2::5' }).keysTried,
    ['unknown', '2001:db8:1:2::5', '2001:db8:1:2:', '2001:db8:1:2']);
});

test('a value naming a lookup table is just a value to the table (policy makes it 451 4.3.5)', () => {
  const { table } = compileForTest('hash', 'badrhs@good.test hash:/etc/foo\n');
  assert.deepEqual(valueFound(accessLookup(table, 'email', 'badrhs@good.test')), ['badrhs@good.test', 'hash:/etc/foo']);
});

const SENDER_ACCESS = `full@example.org      REJECT matched full address
user@ext.example      REJECT matched address without extension
example.com           REJECT matched domain or parent domain
postmaster@           REJECT matched localpart@
other+tag@            REJECT matched localpart+ext@
<>                    REJECT matched null sender key
friend@spam.example   OK
spam.example          REJECT whole domain
`;

test('sender table of the appendix, recipient_delimiter = + (obs)', () => {
  const { table } = compileForTest('hash', SENDER_ACCESS);
  const sender = (address: string) => valueFound(accessLookup(table, 'email', address, PLUS));
  assert.deepEqual(sender('user+foo@ext.example'), ['user@ext.example', 'REJECT matched address without extension']);
  assert.deepEqual(sender('x@deep.sub.example.com'), ['example.com', 'REJECT matched domain or parent domain']);
  assert.deepEqual(sender('postmaster@anywhere.example'), ['postmaster@', 'REJECT matched localpart@']);
  assert.deepEqual(sender('other+tag@anywhere.example'), ['other+tag@', 'REJECT matched localpart+ext@']);
  assert.deepEqual(sender('other@anywhere.example'), 'notfound');
  assert.deepEqual(sender('friend@spam.example'), ['friend@spam.example', 'OK']);
  assert.deepEqual(sender('foe@spam.example'), ['spam.example', 'REJECT whole domain']);
  assert.deepEqual(sender('FULL@Example.ORG'), ['full@example.org', 'REJECT matched full address']);
  assert.deepEqual(sender(''), ['<>', 'REJECT matched null sender key']);
});

test('with parent domains as .domain, a bare parent domain no longer matches subdomains (obs)', () => {
  const { table } = compileForTest('hash', 'example.com REJECT bare\n.example.net REJECT dotted\n');
  assert.deepEqual(valueFound(accessLookup(table, 'email', 'x@deep.sub.example.com', DOTTED)), 'notfound');
  assert.deepEqual(valueFound(accessLookup(table, 'email', 'x@example.com', DOTTED)), ['example.com', 'REJECT bare']);
  assert.deepEqual(valueFound(accessLookup(table, 'email', 'x@deep.example.net', DOTTED)), ['.example.net', 'REJECT dotted']);
});

test('pattern tables see full keys only: the whole address, the name and the IP address', () => {
  const { table } = compileForTest('regexp', '/./ ANY\n');
  assert.deepEqual(accessLookup(compileForTest('regexp', '/^nothing$/ X\n').table, 'email', 'user+ext@sub.example.com', PLUS).keysTried,
    ['user+ext@sub.example.com']);
  assert.deepEqual(accessLookup(compileForTest('cidr', '').table, 'client', { name: 'host.sub.example.net', address: '192.0.2.51' }).keysTried,
    ['host.sub.example.net', '192.0.2.51']);
  assert.deepEqual(valueFound(accessLookup(table, 'email', '', PLUS)), ['<>', 'ANY']);
});

test('a case-sensitive regexp never sees the address in its original case (obs: /^Exact@/i)', () => {
  const { table } = compileForTest('regexp', '/^Exact@/i REJECT case\n');
  assert.equal(accessLookup(table, 'email', 'Exact@b.example').status, 'notfound');
});

test('cidr tables answer the client address; a /32 before its /24 (obs)', () => {
  const { table } = compileForTest('cidr', '203.0.113.9/32 OK\n203.0.113.0/24 REJECT cidr /24 match\n');
  assert.deepEqual(valueFound(accessLookup(table, 'client', { name: 'h.example.org', address: '203.0.113.9' })), ['203.0.113.9', 'OK']);
  assert.deepEqual(valueFound(accessLookup(table, 'client', { name: 'h.example.org', address: '203.0.113.10' })), ['203.0.113.10', 'REJECT cidr /24 match']);
});

test('a temporary failure stops the search and stays temporary', () => {
  const failing: LookupTable = {
    type: 'hash', name: 'flaky', keyForm: 'fixed',
    lookup(key: string): LookupResult {
      if (key === 'example.com') return { status: 'retry', reason: 'table flaky is being reloaded' };
      return key === 'com' ? { status: 'found', value: 'OK' } : { status: 'notfound' };
    },
  };
  assert.deepEqual(accessLookup(failing, 'email', 'x@sub.example.com', PLUS), {
    status: 'retry', reason: 'table flaky is being reloaded', key: 'example.com',
    keysTried: ['x@sub.example.com', 'sub.example.com', 'example.com'],
  });
});
