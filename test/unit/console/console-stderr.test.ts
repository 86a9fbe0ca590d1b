import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleStderr } from '../../../server/console/console-stderr.ts';

test('a message line reaches the maillog once it is complete, whatever the chunks, and stack frames stay out', () => {
  const stderr = new ConsoleStderr();
  assert.deepEqual(stderr.take(' ⨯ Error: SQLITE_BUSY: database is loc'), []);
  assert.deepEqual(stderr.take('ked\n    at Statement.run (node_modules/better-sqlite3/lib/methods/wrappers.js:9:14)\n'), [
    '⨯ Error: SQLITE_BUSY: database is locked',
  ]);
  assert.deepEqual(stderr.take('\n  digest: \'1234\'\nWarning: something else\n'), ['Warning: something else']);
});

test('colours and control characters cannot reach the maillog, and a long line is cut', () => {
  const stderr = new ConsoleStderr();
  assert.deepEqual(stderr.take('\x1b[31m⨯\x1b[39m failed\rforged line\n'), ['⨯ failed?forged line']);
  const [long] = stderr.take(`${'x'.repeat(2000)}\n`);
  assert.equal(long, `${'x'.repeat(500)}...`);
});

test('an endless line without a newline is held to a bounded length', () => {
  const stderr = new ConsoleStderr();
  for (let i = 0; i < 100; i++) stderr.take('y'.repeat(10_000));
  const [line] = stderr.take('\n');
  assert.equal(line, `${'y'.repeat(500)}...`);
});

test('the tail keeps the end of everything, stack frames included, for the exit message', () => {
  const stderr = new ConsoleStderr();
  stderr.take('a'.repeat(10_000));
  stderr.take('\nError: boom\n    at start (console-server.mjs:1:1)\n');
  assert.ok(stderr.tail().endsWith('Error: boom\n    at start (console-server.mjs:1:1)'));
  assert.ok(stderr.tail().length <= 4000);
});
