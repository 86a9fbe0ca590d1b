// server/maps/postmap-source.ts: logical lines as readllines() joins them, entries as postmap
// splits them, and export text that reads back as the same entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkPostmapEntry, checkPostmapLine, formatPostmapLines, formatPostmapSource, parsePostmapSource, readPostmapLines, splitPostmapEntry,
} from '../../../server/maps/postmap-source.ts';

test('logical lines join continuations and are numbered by their first line', () => {
  const { lines, warnings } = readPostmapLines('a 1\n  more\n# note\n\nb 2\n\tc\n', 'f');
  assert.deepEqual(lines, [{ line: 1, text: 'a 1  more' }, { line: 5, text: 'b 2\tc' }]);
  assert.deepEqual(warnings, []);
});

test('a last line without a newline still counts', () => {
  assert.deepEqual(readPostmapLines('a 1\nb 2', 'f').lines, [{ line: 1, text: 'a 1' }, { line: 2, text: 'b 2' }]);
});

test('an indented # line is a comment, not a continuation', () => {
  assert.deepEqual(readPostmapLines('a 1\n  # not part of a\n', 'f').lines, [{ line: 1, text: 'a 1' }]);
});

test('postmap splits at the first whitespace and trims the value', () => {
  assert.deepEqual(splitPostmapEntry('key\t  value with  spaces  '), { ok: true, key: 'key', value: 'value with  spaces', warning: null });
  assert.deepEqual(splitPostmapEntry('key'), { ok: false, reason: 'expected format: key whitespace value' });
});

test('parsing folds keys, keeps the first duplicate, and numbers warnings by line', () => {
  const { entries, warnings } = parsePostmapSource('B.example 2\nlonely\nb.example 3\na.example 1\n', { name: 'access' });
  assert.deepEqual(entries, [{ key: 'b.example', value: '2', line: 1 }, { key: 'a.example', value: '1', line: 4 }]);
  assert.deepEqual(warnings, [
    { name: 'access', line: 2, text: 'access, line 2: expected format: key whitespace value' },
    { name: 'access', line: 3, text: 'access, line 3: duplicate entry: "b.example"' },
  ]);
});

test('export writes key<TAB>value lines that import reads back as the same entries', () => {
  const entries = [
    { key: 'client1.example.org', value: 'REJECT' },
    { key: '198.51.100', value: 'REJECT whole /24 blocked' },
    { key: 'postmaster@', value: 'REJECT matched localpart@ # not a comment' },
    { key: '<>', value: '550 5.7.1 null\tsender' },
    { key: '"john"@example.com', value: 'OK' },
  ];
  const text = formatPostmapSource(entries);
  assert.equal(text.split('\n')[0], 'client1.example.org\tREJECT');
  const back = parsePostmapSource(text, { name: 'export' });
  assert.deepEqual(back.warnings, []);
  assert.deepEqual(back.entries.map(({ key, value }) => ({ key, value })), entries);
});

test('entries that cannot be written as a line that reads back are named with the reason', () => {
  const cases: [string, string, string][] = [
    ['', 'OK', 'the key is empty'],
    ['a.example', '', 'the value is empty'],
    ['a b', 'OK', 'keys with whitespace are not supported'],
    ['#a', 'OK', 'a key that starts with "#" would read back as a comment'],
    ['a', 'line one\nline two', 'the value spans lines'],
    ['a', ' padded ', 'the value has leading or trailing whitespace'],
    ['"a', 'OK', 'the key would not read back as written (unbalanced double quote or trailing backslash)'],
    ['a\\', 'OK', 'the key would not read back as written (unbalanced double quote or trailing backslash)'],
  ];
  for (const [key, value, reason] of cases) assert.equal(checkPostmapEntry(key, value), reason, `${key} ${value}`);
  assert.equal(checkPostmapEntry('ok.example', 'REJECT go away'), null);
  assert.throws(() => formatPostmapSource([{ key: 'a b', value: 'OK' }]), /keys with whitespace/);
});

test('rule lines of pattern tables are written one per line and read back the same', () => {
  const rules = ['if /@example\\.net$/', '/^sales@/ REJECT nested if match', 'endif', '/a b/i  two  spaces', '!192.0.2.0/24 OK'];
  assert.deepEqual(readPostmapLines(formatPostmapLines(rules), 'x').lines.map(({ text }) => text), rules);
  assert.equal(checkPostmapLine('  /x/ y'), 'a line that starts with whitespace would continue the line before');
  assert.equal(checkPostmapLine('# /x/ y'), 'a line that starts with "#" would read back as a comment');
  assert.equal(checkPostmapLine('/x/ y\nz'), 'the line spans lines');
  assert.throws(() => formatPostmapLines(['']), /the line is empty/);
});
