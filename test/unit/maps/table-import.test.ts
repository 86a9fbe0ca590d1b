// server/maps/table-import.ts: a pasted or uploaded postmap source read strictly for the
// console's bulk import (every line postmap would warn about is refused with its number),
// and merged into a table's lines by key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeTableLines, readTableImport } from '../../../server/maps/table-import.ts';

test('an exact table source becomes its lines, comments and continuations read as postmap reads them', () => {
  assert.deepEqual(readTableImport('clients', 'exact', '# blocked\n192.0.2.1 REJECT go\n  away\nSpam.Example\tOK\n'), {
    ok: true,
    lines: [{ key: '192.0.2.1', value: 'REJECT go  away' }, { key: 'Spam.Example', value: 'OK' }],
  });
});

test('every bad line is refused with its line number, a duplicate key naming the first', () => {
  assert.deepEqual(readTableImport('clients', 'exact', 'a.example OK\nlonely\nA.EXAMPLE REJECT\n b continues nothing\n'), {
    ok: false,
    errors: [
      { line: 2, text: 'clients, line 2: expected format: key whitespace value' },
      { line: 3, text: 'clients, line 3: duplicate entry: "a.example" (first on line 1)' },
    ],
  });
  const leading = readTableImport('clients', 'exact', ' a OK\n');
  assert.equal(leading.ok, false);
  assert.match((leading as { errors: { text: string }[] }).errors[0].text, /logical line must not start with whitespace/);
});

test('a rule the cidr, regexp or pcre reader would skip is refused with its line', () => {
  const cidr = readTableImport('networks', 'cidr', '192.0.2.0/24 OK\n192.0.2.300/24 REJECT\n');
  assert.equal(cidr.ok, false);
  assert.equal((cidr as { errors: { line: number | null }[] }).errors[0].line, 2);
  const regexp = readTableImport('header_checks', 'regexp', '/^Subject: ok/ DUNNO\n/unclosed(/ REJECT\n');
  assert.equal(regexp.ok, false);
  assert.equal((regexp as { errors: { line: number | null }[] }).errors[0].line, 2);
  assert.deepEqual(readTableImport('header_checks', 'pcre', 'if /^Subject:/\n/casino/ REJECT no casinos\nendif\n'), {
    ok: true,
    lines: [{ key: 'if /^Subject:/', value: '' }, { key: '/casino/', value: 'REJECT no casinos' }, { key: 'endif', value: '' }],
  });
});

test('merging replaces keys in place (any case for exact tables) and appends new ones in import order', () => {
  const current = [{ key: 'a.example', value: 'OK' }, { key: 'b.example', value: 'OK' }];
  assert.deepEqual(mergeTableLines('exact', current, [{ key: 'c.example', value: 'REJECT' }, { key: 'B.EXAMPLE', value: 'REJECT b' }]), [
    { key: 'a.example', value: 'OK' }, { key: 'B.EXAMPLE', value: 'REJECT b' }, { key: 'c.example', value: 'REJECT' },
  ]);
});

test('merging a rule table never merges if and endif lines', () => {
  const current = [{ key: 'if /^Subject:/', value: '' }, { key: '/x/', value: 'REJECT' }, { key: 'endif', value: '' }];
  const merged = mergeTableLines('regexp', current, [{ key: '/x/', value: 'DISCARD' }, { key: 'if /^From:/', value: '' }, { key: '/y/', value: 'HOLD' }, { key: 'endif', value: '' }]);
  assert.deepEqual(merged.map((l) => `${l.key} ${l.value}`.trim()), ['if /^Subject:/', '/x/ DISCARD', 'endif', 'if /^From:/', '/y/ HOLD', 'endif']);
});
