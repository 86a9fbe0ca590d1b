// server/maps/regexp-table.ts with pattern-table.ts and replacement-text.ts: regexp_table(5)
// rules, flags, if/endif and $n substitution, with Postfix's warnings and the observed rows of
// spec/appendix-observed.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileForTest, runTableCases } from './table-cases.ts';

const escapeRegexp = (key: string): string => key.replace(/\./g, '\\.');

runTableCases({
  type: 'regexp',
  entry: (key, value) => `/^${escapeRegexp(key)}$/ ${value}`,
  badLine: { text: '/a(b/ REJECT', warning: 'regexp map t, line 2: Unmatched ( or \\(' },
});

const valueOf = (source: string, key: string): string => {
  const result = compileForTest('regexp', source).table.lookup(key);
  return result.status === 'found' ? result.value : result.status;
};

test('regexp: a pattern that does not compile is skipped with regerror()\'s text, other rules work (obs)', () => {
  const { table, warnings } = compileForTest('regexp', '/a(b/ REJECT\n/^ab$/ OK\n', 'sender.regexp');
  assert.deepEqual(warnings.map((w) => w.text), ['regexp map sender.regexp, line 1: Unmatched ( or \\(']);
  assert.deepEqual(table.lookup('ab'), { status: 'found', value: 'OK', line: 2 });
});

test('regexp: $2-$1 substitute groups and $$ is a literal dollar (obs: "REJECT got bar-foo and $1")', () => {
  assert.equal(valueOf('/^(foo)(bar)$/ REJECT got $2-$1 and $$1\n', 'foobar'), 'REJECT got bar-foo and $1');
});

test('regexp: ${1} and $(1) substitute like $1 (obs: "Use list@lists.example instead")', () => {
  const source = '/^(.*)-outgoing@(.*)$/ 550 Use ${1}@${2} instead\n/^(x)$/ $(1)y\n';
  assert.equal(valueOf(source, 'list-outgoing@lists.example'), '550 Use list@lists.example instead');
  assert.equal(valueOf(source, 'x'), 'xy');
});

test('regexp: the sender-specified routing rule of the appendix matches user%other@b.example (obs)', () => {
  assert.equal(valueOf('/[%!@].*[%!@]/ 550 Sender-specified routing rejected\n', 'user%other@b.example'), '550 Sender-specified routing rejected');
  assert.equal(valueOf('/[%!@].*[%!@]/ 550 Sender-specified routing rejected\n', 'user@b.example'), 'notfound');
});

test('regexp: patterns are case-insensitive by default and the i flag makes them case-sensitive', () => {
  assert.equal(valueOf('/^exact@/ FOUND\n', 'EXACT@b.example'), 'FOUND');
  assert.equal(valueOf('/^Exact@/i FOUND\n', 'exact@b.example'), 'notfound');
  assert.equal(valueOf('/^Exact@/i FOUND\n', 'Exact@b.example'), 'FOUND');
});

test('regexp: without m, . matches a newline and ^ $ anchor the whole string; with m, neither', () => {
  const folded = 'Subject: folded header\n\tthat is continued here';
  assert.equal(valueOf('/^Subject: folded.*continued/ HIT\n', folded), 'HIT');
  assert.equal(valueOf('/^Subject: folded.*continued/m HIT\n', folded), 'notfound');
  assert.equal(valueOf('/^\tthat/ HIT\n', folded), 'notfound');
  assert.equal(valueOf('/^\tthat/m HIT\n', folded), 'HIT');
});

test('regexp: the x flag turns extended syntax off: \\( \\) group and + is a literal', () => {
  assert.equal(valueOf('/^\\(a\\)+$/x got $1\n', 'a+'), 'got a');
  assert.equal(valueOf('/^\\(a\\)+$/x got $1\n', 'aa'), 'notfound');
});

test('regexp: !/pattern/ matches keys the pattern does not match', () => {
  const source = '!/@example\\.com$/ NOT_OURS\n';
  assert.equal(valueOf(source, 'a@example.org'), 'NOT_OURS');
  assert.equal(valueOf(source, 'a@example.com'), 'notfound');
});

test('regexp: /pattern1/!/pattern2/ matches when the first matches and the second does not', () => {
  const source = '/@example\\.com$/!/^postmaster@/ REJECT\n';
  assert.equal(valueOf(source, 'a@example.com'), 'REJECT');
  assert.equal(valueOf(source, 'postmaster@example.com'), 'notfound');
});

test('regexp: any non-alphanumeric character may delimit the pattern, which may hold spaces', () => {
  assert.equal(valueOf('%^/path/x y$% SLASHES\n', '/path/x y'), 'SLASHES');
  assert.equal(valueOf('|a\\|b| ESCAPED\n', 'a|b'), 'ESCAPED');
});

test('regexp: if/endif blocks nest, and rules after a failed block still run', () => {
  const source = ['if /@example\\.net$/', 'if !/^sales@/', '/./ NET_NOT_SALES', 'endif', '/^sales@/ NET_SALES', 'endif', '/./ ANY'].join('\n');
  assert.equal(valueOf(source, 'bob@example.net'), 'NET_NOT_SALES');
  assert.equal(valueOf(source, 'sales@example.net'), 'NET_SALES');
  assert.equal(valueOf(source, 'sales@example.org'), 'ANY');
});

test('regexp: an if without endif runs to the end of the table and is reported at its line', () => {
  const { table, warnings } = compileForTest('regexp', '/^a/ A\nif /^b/\n/^bb/ BB\n', 'r');
  assert.deepEqual(warnings.map((w) => w.text), ['regexp map r, line 2: IF has no matching ENDIF']);
  assert.equal(table.lookup('bb').status, 'found');
  assert.equal(table.lookup('cc').status, 'notfound');
});

test('regexp: rule problems give dict_regexp\'s warnings, each at its line', () => {
  const source = [
    '/x/q bad option',
    '/y/ $1a',
    '!/z/ $1',
    '/(w)/ $2',
    'endif',
    '/unclosed REJECT',
    'garbage here',
    '/empty/',
    '/d/ $',
    'if /c/ extra',
    'endif trailing',
    '!',
  ].join('\n');
  const { warnings } = compileForTest('regexp', source, 'r');
  assert.deepEqual(warnings.map((w) => w.text), [
    'regexp map r, line 1: unknown regexp option "q": skipping this rule',
    'regexp map r, line 2: non-numeric replacement index "1a"',
    'regexp map r, line 2: bad replacement syntax: skipping this rule',
    'regexp map r, line 3: $number found in negative match replacement text: skipping this rule',
    'regexp map r, line 4: out of range replacement index "2": skipping this rule',
    'regexp map r, line 5: ignoring ENDIF without matching IF',
    'regexp map r, line 6: no closing regexp delimiter "/": skipping this rule',
    'regexp map r, line 7: ignoring unrecognized request',
    'regexp map r, line 8: no replacement text: using empty string',
    'empty macro name: "$"',
    'regexp map r, line 9: bad replacement syntax: skipping this rule',
    'regexp map r, line 10: ignoring extra text after IF statement: "extra"',
    'regexp map r, line 10: do not prepend whitespace to statements between IF and ENDIF',
    'regexp map r, line 11: ignoring extra text after ENDIF',
    'regexp map r, line 12: no regexp: skipping this rule',
  ]);
});

test('regexp: a rule without result text finds the empty string', () => {
  assert.deepEqual(compileForTest('regexp', '/empty/\n').table.lookup('empty'), { status: 'found', value: '', line: 1 });
});

test('regexp: a group that took no part in the match substitutes nothing', () => {
  assert.equal(valueOf('/^(a)|(b)$/ [$1][$2]\n', 'b'), '[][b]');
});

test('regexp: rules are offered full keys only (pattern key form)', () => {
  assert.equal(compileForTest('regexp', '').table.keyForm, 'pattern');
});
