// server/maps/exact-table.ts: hash-style tables, with the shared table cases and the postmap
// behaviour observed on Postfix 3.7.11 (spec/appendix-observed.md, "postmap behaviour").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileForTest, runTableCases } from './table-cases.ts';

runTableCases({
  type: 'hash',
  entry: (key, value) => `${key} ${value}`,
  badLine: { text: 'novalue', warning: 't, line 2: expected format: key whitespace value' },
});

test('hash: the first duplicate wins and the second gives "duplicate entry" (obs)', () => {
  const { table, warnings } = compileForTest('hash', 'dup.example REJECT first\ndup.example OK second\n', 'access');
  assert.deepEqual(table.lookup('dup.example'), { status: 'found', value: 'REJECT first', line: 1 });
  assert.deepEqual(warnings.map((w) => w.text), ['access, line 2: duplicate entry: "dup.example"']);
});

test('hash: keys are folded to lowercase at build and at lookup (obs: Mixed.Case.Example)', () => {
  const { table } = compileForTest('hash', 'Mixed.Case.Example REJECT case\n');
  for (const key of ['mixed.case.example', 'MIXED.CASE.EXAMPLE', 'Mixed.Case.Example']) {
    assert.deepEqual(table.lookup(key), { status: 'found', value: 'REJECT case', line: 1 });
  }
});

test('hash: duplicates are found after case folding', () => {
  const { warnings } = compileForTest('hash', 'Example.COM REJECT\nexample.com OK\n', 'access');
  assert.deepEqual(warnings.map((w) => w.text), ['access, line 2: duplicate entry: "example.com"']);
});

test('hash: a continued line keeps the continuation and its leading whitespace (obs)', () => {
  const { table } = compileForTest('hash', 'multi.example REJECT line one\n  continued here\n');
  assert.deepEqual(table.lookup('multi.example'), { status: 'found', value: 'REJECT line one  continued here', line: 1 });
});

test('hash: a key without a value is skipped with "expected format" naming the line (obs)', () => {
  const { table, warnings } = compileForTest('hash', 'ok.example OK\nlonely.example\n', 'access');
  assert.deepEqual(warnings.map((w) => w.text), ['access, line 2: expected format: key whitespace value']);
  assert.equal(table.lookup('lonely.example').status, 'notfound');
  assert.equal(table.lookup('ok.example').status, 'found');
});

test('hash: a key written as "key:" is kept with postmap\'s alias-file warning', () => {
  const { table, warnings } = compileForTest('hash', 'postmaster: root\n', 'access');
  assert.deepEqual(warnings.map((w) => w.text), ['access, line 1: record is in "key: value" format; is this an alias file?']);
  assert.equal(table.lookup('postmaster:').status, 'found');
});

test('hash: a key with quoted whitespace is refused, as the gateway has no such keys', () => {
  const { table, warnings } = compileForTest('hash', '"john doe"@example.com REJECT\n"unbalanced@example.com REJECT\n', 'access');
  assert.deepEqual(warnings.map((w) => w.text), [
    'access, line 1: key with whitespace is not supported: "john doe"@example.com -- ignoring this line',
    'access, line 2: unbalanced \'"\' in \'"unbalanced@example.com REJECT\' -- ignoring this line',
  ]);
  assert.equal(table.lookup('"john doe"@example.com').status, 'notfound');
});

test('hash: a quoted key without whitespace stays quoted, as postmap leaves it', () => {
  const { table } = compileForTest('hash', '"john"@example.com REJECT\n');
  assert.equal(table.lookup('"john"@example.com').status, 'found');
});

test('every exact type name (hash, btree, lmdb, cdb, texthash) has the same semantics', () => {
  for (const type of ['hash', 'btree', 'lmdb', 'cdb', 'texthash']) {
    const { table, warnings } = compileForTest(type, 'A.example REJECT\na.example OK\n');
    assert.equal(table.type, type);
    assert.equal(table.keyForm, 'fixed');
    assert.deepEqual(table.lookup('a.EXAMPLE'), { status: 'found', value: 'REJECT', line: 1 });
    assert.equal(warnings.length, 1);
  }
});

test('hash: the entries come back in source order, as postmap -s lists them', () => {
  const { table } = compileForTest('hash', 'b.example 2\na.example 1\nB.example 3\n');
  assert.deepEqual([...(table.entries?.() ?? [])].map(({ key, value }) => [key, value]), [['b.example', '2'], ['a.example', '1']]);
});
