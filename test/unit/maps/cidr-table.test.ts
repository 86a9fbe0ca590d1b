// server/maps/cidr-table.ts and cidr-prefix-trie.ts: cidr_table(5) semantics, Postfix's
// warnings, and the trie checked against a plain first-match scan on random tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileForTest, runTableCases } from './table-cases.ts';
import { parseCidrPattern } from '../../../server/maps/cidr-table.ts';
import { formatAddressBits, parseAddressBits } from '../../../server/maps/cidr-address.ts';
import { PrefixTrie } from '../../../server/maps/cidr-prefix-trie.ts';

runTableCases({
  type: 'cidr',
  entry: (key, value) => `${key} ${value}`,
  badLine: {
    text: '192.168.1.5/24 REJECT',
    warning: 'cidr map t, line 2: non-null host address bits in "192.168.1.5/24", perhaps you should use "192.168.1.0/24" instead: skipping this rule',
  },
});

const valueOf = (source: string, key: string): string => {
  const result = compileForTest('cidr', source).table.lookup(key);
  return result.status === 'found' ? result.value : result.status;
};

test('cidr: a /32 before its /24 shields that one address, first match in file order (obs)', () => {
  const source = '203.0.113.9/32 OK\n203.0.113.0/24 REJECT cidr /24 match\n';
  assert.equal(valueOf(source, '203.0.113.9'), 'OK');
  assert.equal(valueOf(source, '203.0.113.10'), 'REJECT cidr /24 match');
  assert.equal(valueOf(source, '203.0.114.1'), 'notfound');
});

test('cidr: a wider network earlier in the file wins over a narrower one later', () => {
  const source = '10.0.0.0/8 WIDE\n10.1.2.0/24 NARROW\n';
  assert.equal(valueOf(source, '10.1.2.3'), 'WIDE');
});

test('cidr: host bits under the prefix skip the rule with cidr_match\'s advice (obs)', () => {
  const { warnings } = compileForTest('cidr', '192.168.1.5/24 REJECT\n', 'client.cidr');
  assert.deepEqual(warnings.map((w) => w.text), [
    'cidr map client.cidr, line 1: non-null host address bits in "192.168.1.5/24", perhaps you should use "192.168.1.0/24" instead: skipping this rule',
  ]);
});

test('cidr: malformed patterns and missing results are skipped with dict_cidr\'s reasons', () => {
  const { warnings } = compileForTest('cidr', [
    '1.2.3.256 A', '1.2.3.0/33 B', '1.2.3.0/x C', '[2001:db8::1 D', '[2001:db8::1]x E', '1.2.3.4', '2001:db8::1/64 F', '01.2.3.4 G',
  ].join('\n'), 'c');
  assert.deepEqual(warnings.map((w) => w.text), [
    'cidr map c, line 1: bad address pattern: "1.2.3.256": skipping this rule',
    'cidr map c, line 2: bad net/mask pattern: "1.2.3.0/33": skipping this rule',
    'cidr map c, line 3: bad net/mask pattern: "1.2.3.0/x": skipping this rule',
    'cidr map c, line 4: missing \']\' character after "[2001:db8::1": skipping this rule',
    'cidr map c, line 5: garbage after "[2001:db8::1]": skipping this rule',
    'cidr map c, line 6: no lookup result: skipping this rule',
    'cidr map c, line 7: non-null host address bits in "2001:db8::1/64", perhaps you should use "2001:db8::/64" instead: skipping this rule',
    'cidr map c, line 8: bad address pattern: "01.2.3.4": skipping this rule',
  ]);
});

test('cidr: IPv6 patterns in every form cidr_table accepts, compared as binary addresses', () => {
  const source = '[2001:db8::1] ONE\n2001:db8:0:0::2 TWO\n[2001:db8:1::]/48 NET48\n2001:db8:2::/48 BARE48\n[2001:db8:3::/48] INSIDE\n';
  assert.equal(valueOf(source, '2001:db8::1'), 'ONE');
  assert.equal(valueOf(source, '2001:0db8:0000::0001'), 'ONE');
  assert.equal(valueOf(source, '2001:db8::2'), 'TWO');
  assert.equal(valueOf(source, '2001:db8:1:ffff::9'), 'NET48');
  assert.equal(valueOf(source, '2001:db8:2::9'), 'BARE48');
  assert.equal(valueOf(source, '2001:db8:3::9'), 'INSIDE');
  assert.equal(valueOf(source, '2001:db8:4::9'), 'notfound');
});

test('cidr: 0.0.0.0/0 is every IPv4 address and ::/0 every IPv6 address, never the other family', () => {
  assert.equal(valueOf('0.0.0.0/0 V4\n', '198.51.100.7'), 'V4');
  assert.equal(valueOf('0.0.0.0/0 V4\n', '2001:db8::1'), 'notfound');
  assert.equal(valueOf('::/0 V6\n', '2001:db8::1'), 'V6');
  assert.equal(valueOf('::/0 V6\n', '198.51.100.7'), 'notfound');
});

test('cidr: keys that are not addresses never match (obs)', () => {
  const source = '0.0.0.0/0 ANY4\n::/0 ANY6\n';
  for (const key of ['host.example.com', 'user@example.com', 'unknown', '[192.0.2.1]', '192.0.2.1/32', '', '192.0.2']) {
    assert.equal(valueOf(source, key), 'notfound', key);
  }
});

test('cidr: an IPv4-mapped IPv6 key matches the IPv4 rules', () => {
  assert.equal(valueOf('192.0.2.0/24 V4NET\n', '::ffff:192.0.2.77'), 'V4NET');
  assert.equal(valueOf('::ffff:192.0.2.0/120 MAPPED\n', '192.0.2.77'), 'MAPPED');
});

test('cidr: !pattern matches addresses of the same family outside the network', () => {
  const source = '!10.0.0.0/8 NOT_TEN\n';
  assert.equal(valueOf(source, '11.0.0.1'), 'NOT_TEN');
  assert.equal(valueOf(source, '10.0.0.1'), 'notfound');
  assert.equal(valueOf(source, '2001:db8::1'), 'notfound');
});

test('cidr: if/endif blocks are entered only when their pattern holds, and nest', () => {
  const source = [
    'if 10.0.0.0/8',
    'if !10.1.0.0/16',
    '0.0.0.0/0 TEN_NOT_ONE',
    'endif',
    '10.1.2.0/24 TEN_ONE_TWO',
    'endif',
    '0.0.0.0/0 OTHER',
  ].join('\n');
  assert.equal(valueOf(source, '10.2.0.1'), 'TEN_NOT_ONE');
  assert.equal(valueOf(source, '10.1.2.3'), 'TEN_ONE_TWO');
  assert.equal(valueOf(source, '10.1.3.3'), 'OTHER');
  assert.equal(valueOf(source, '192.0.2.1'), 'OTHER');
});

test('cidr: an IPv4 condition skips its block for IPv6 keys, even when negated', () => {
  assert.equal(valueOf('if !10.0.0.0/8\n::/0 INSIDE\nendif\n::/0 AFTER\n', '2001:db8::1'), 'AFTER');
});

test('cidr: if and endif are case-insensitive; stray endif and unclosed if are reported', () => {
  const { table, warnings } = compileForTest('cidr', 'ENDIF\nIF 192.0.2.0/24\n192.0.2.1 ONE\nendif extra\n', 'c');
  assert.deepEqual(warnings.map((w) => w.text), [
    'cidr map c, line 1: ignoring ENDIF without matching IF: skipping this rule',
    'cidr map c, line 4: garbage after ENDIF: skipping this rule',
    'cidr map c, line 2: IF has no matching ENDIF',
  ]);
  assert.deepEqual(table.lookup('192.0.2.1'), { status: 'found', value: 'ONE', line: 3 });
});

test('cidr: the suggested network is written as inet_ntop() writes it', () => {
  assert.deepEqual(parseCidrPattern('2001:db8:0:0:1::/64'), {
    why: 'non-null host address bits in "2001:db8:0:0:1::/64", perhaps you should use "2001:db8::/64" instead',
  });
  assert.deepEqual(parseCidrPattern('[::ffff:192.0.2.1]/120'), {
    why: 'non-null host address bits in "::ffff:192.0.2.1/120", perhaps you should use "::ffff:192.0.2.0/120" instead',
  });
});

test('addresses are read as inet_pton() reads them and written as inet_ntop() writes them', () => {
  const cases: [string, string | null][] = [
    ['198.51.100.7', '198.51.100.7'], ['01.2.3.4', null], ['1.2.3', null], ['256.1.1.1', null],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'], ['2001:db8:1:0:0:1:0:0', '2001:db8:1::1:0:0'], ['::', '::'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'], ['1:2:3:4:5:6:7:8::', null], ['1::2::3', null], ['fe80::1%eth0', null], ['[::1]', null],
  ];
  for (const [text, expected] of cases) {
    const bits = parseAddressBits(text);
    assert.equal(bits === null ? null : formatAddressBits(bits), expected, text);
  }
});

// A deterministic pseudo-random sequence, so a failure can be replayed.
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

test('the prefix trie answers the lowest rule index, as a first-match scan of the same rules', () => {
  const next = randomSource(7);
  const rules: { words: number[]; length: number }[] = [];
  const trie = new PrefixTrie();
  for (let i = 0; i < 3000; i++) {
    const length = 8 + (next() % 25);
    const word = (next() & (length === 32 ? 0xffffffff : ~((1 << (32 - length)) - 1))) >>> 0;
    // Draw from a small part of the space, so networks overlap often.
    const words = [((word & 0x00ffffff) | 0x0a000000) >>> 0];
    const masked = [(words[0] & (length === 32 ? 0xffffffff : ~((1 << (32 - length)) - 1))) >>> 0];
    rules.push({ words: masked, length });
    trie.insert(masked, length, i);
  }
  const scan = (address: number): number => rules.findIndex(({ words, length }) =>
    length === 0 || (address >>> (32 - length)) === (words[0] >>> (32 - length)));
  for (let i = 0; i < 20000; i++) {
    const address = (((next() & 0x00ffffff) | 0x0a000000) >>> 0);
    assert.equal(trie.firstMatch([address], 32), scan(address), `address ${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`);
  }
});

test('cidr: a table of 100,000 networks compiles and answers like the file order says', () => {
  const lines: string[] = [];
  for (let i = 0; i < 100000; i++) lines.push(`10.${(i >> 8) & 255}.${i & 255}.0/24 NET${i}`);
  lines.push('10.0.0.0/8 WIDE');
  const { table } = compileForTest('cidr', lines.join('\n'));
  assert.deepEqual(table.lookup('10.1.2.3'), { status: 'found', value: 'NET258', line: 259 });
  assert.deepEqual(table.lookup('10.255.255.1'), { status: 'found', value: 'NET65535', line: 65536 });
  assert.equal(table.lookup('11.0.0.1').status, 'notfound');
});
