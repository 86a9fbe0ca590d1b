// server/maps/pcre-table.ts: pcre_table(5) flags and defaults, the observed nested-if row of
// spec/appendix-observed.md, and the warning for constructs JavaScript cannot express.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileForTest, runTableCases } from './table-cases.ts';

const escapeRegexp = (key: string): string => key.replace(/\./g, '\\.');

runTableCases({
  type: 'pcre',
  entry: (key, value) => `/^${escapeRegexp(key)}$/ ${value}`,
  badLine: { text: '/a(b/ REJECT', warning: 'pcre map t, line 2: error in regex at offset 3: missing closing parenthesis' },
});

const valueOf = (source: string, key: string): string => {
  const result = compileForTest('pcre', source).table.lookup(key);
  return result.status === 'found' ? result.value : result.status;
};

test('pcre: a rule inside if /@example\\.net$/ fires for sales@example.net (obs: "nested if match")', () => {
  const source = 'if /@example\\.net$/\n/^sales@/ REJECT nested if match\nendif\n';
  assert.equal(valueOf(source, 'sales@example.net'), 'REJECT nested if match');
  assert.equal(valueOf(source, 'sales@example.org'), 'notfound');
});

test('pcre: caseless by default, the i flag makes a pattern case-sensitive', () => {
  assert.equal(valueOf('/^sales@/ HIT\n', 'SALES@x'), 'HIT');
  assert.equal(valueOf('/^sales@/i HIT\n', 'SALES@x'), 'notfound');
});

test('pcre: dot matches newline by default (s is on), the s flag turns it off', () => {
  assert.equal(valueOf('/a.b/ HIT\n', 'a\nb'), 'HIT');
  assert.equal(valueOf('/a.b/s HIT\n', 'a\nb'), 'notfound');
});

test('pcre: $ also matches before a final newline unless E is given', () => {
  assert.equal(valueOf('/net$/ HIT\n', 'example.net\n'), 'HIT');
  assert.equal(valueOf('/net$/E HIT\n', 'example.net\n'), 'notfound');
});

test('pcre: m makes ^ and $ match at embedded newlines', () => {
  assert.equal(valueOf('/^b$/ HIT\n', 'a\nb\nc'), 'notfound');
  assert.equal(valueOf('/^b$/m HIT\n', 'a\nb\nc'), 'HIT');
});

test('pcre: A anchors the match at the start of the key', () => {
  assert.equal(valueOf('/b/A HIT\n', 'ab'), 'notfound');
  assert.equal(valueOf('/b/A HIT\n', 'ba'), 'HIT');
  const { table } = compileForTest('pcre', '/b/A HIT\n');
  assert.equal(table.lookup('ba').status, 'found');
  assert.equal(table.lookup('ba').status, 'found'); // the sticky regex starts over for every key
});

test('pcre: x ignores whitespace and # comments in the pattern', () => {
  assert.equal(valueOf('/ ^ab  c # a comment/x HIT\n', 'abc'), 'HIT');
});

test('pcre: U swaps greedy and lazy quantifiers', () => {
  assert.equal(valueOf('/^(a+)/ $1\n', 'aaa'), 'aaa');
  assert.equal(valueOf('/^(a+)/U $1\n', 'aaa'), 'a');
  assert.equal(valueOf('/^(a+?)/U $1\n', 'aaa'), 'aaa');
});

test('pcre: X is obsolete with PCRE2 and ignored with a warning; unknown flags skip the rule', () => {
  const { table, warnings } = compileForTest('pcre', '/x/X HIT\n/y/Q MISS\n', 'p');
  assert.deepEqual(warnings.map((w) => w.text), [
    'pcre map p, line 1: ignoring obsolete regexp option "X"',
    'pcre map p, line 2: unknown regexp option "Q": skipping this rule',
  ]);
  assert.equal(table.lookup('x').status, 'found');
});

test('pcre: a missing closing delimiter is "ignoring this rule", as dict_pcre words it', () => {
  const { warnings } = compileForTest('pcre', '/unclosed REJECT\n', 'p');
  assert.deepEqual(warnings.map((w) => w.text), ['pcre map p, line 1: no closing regexp delimiter "/": ignoring this rule']);
});

test('pcre: constructs JavaScript cannot express skip their rule with a clear warning', () => {
  const { table, warnings } = compileForTest('pcre', '/(?>a+)b/ ATOMIC\n/a++b/ POSSESSIVE\n/\\p{Lu}/ PROPERTY\n/(a)(?1)/ RECURSION\n/^ok$/ OK\n', 'p');
  assert.deepEqual(warnings.map((w) => w.text), [
    'pcre map p, line 1: unsupported PCRE feature at offset 0: atomic group "(?>": skipping this rule',
    'pcre map p, line 2: unsupported PCRE feature at offset 1: possessive quantifier "++": skipping this rule',
    'pcre map p, line 3: unsupported PCRE feature at offset 0: "\\p": skipping this rule',
    'pcre map p, line 4: unsupported PCRE feature at offset 3: recursion or subroutine call: skipping this rule',
  ]);
  assert.equal(table.lookup('ok').status, 'found');
});

test('pcre: $1 substitution and the prescan checks are the same as regexp tables\'', () => {
  assert.equal(valueOf('/^(foo)(bar)$/ got $2-$1 and $$1\n', 'foobar'), 'got bar-foo and $1');
  const { warnings } = compileForTest('pcre', '/(a)/ $2\n/b/ $0\n', 'p');
  assert.deepEqual(warnings.map((w) => w.text), [
    'pcre map p, line 1: out of range replacement index "2": skipping this rule',
    'pcre map p, line 2: out of range replacement index "0"',
    'pcre map p, line 2: bad replacement syntax: skipping this rule',
  ]);
});

test('pcre: named groups and back-references work as in PCRE', () => {
  assert.equal(valueOf('/^(?P<user>\\w+)@(?P=user)\\./ SAME\n', 'bob@bob.example'), 'SAME');
  assert.equal(valueOf('/^(\\w+)@\\1\\./ SAME\n', 'bob@alice.example'), 'notfound');
});
