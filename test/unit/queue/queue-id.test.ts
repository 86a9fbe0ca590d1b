import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueueId, isQueueIdOk } from '../../../server/queue/index.ts';

test('isQueueIdOk refuses names that could be paths or are not upper-case hex', () => {
  const cases: Array<[label: string, name: unknown, ok: boolean]> = [
    ['Postfix short ID', '3EC0721AA32', true],
    ['created ID', '6253A1B2C3D4EF01', true],
    ['parent path', '../x', false],
    ['path inside an ID', '3EC0721AA32/../../etc', false],
    ['lower case', '3ec0721aa32', false],
    ['empty', '', false],
    ['too short', '3EC0721AA', false],
    ['too long', 'A'.repeat(33), false],
    ['dot file', '.3EC0721AA32', false],
    ['not a string', 0x3ec0721aa32, false],
  ];
  for (const [label, name, ok] of cases) assert.equal(isQueueIdOk(name), ok, label);
});

test('createQueueId gives 10000 distinct valid IDs', () => {
  const ids = Array.from({ length: 10000 }, () => createQueueId());
  assert.equal(new Set(ids).size, 10000);
  for (const id of ids) assert.ok(isQueueIdOk(id), id);
});

test('queue IDs created one after another sort in creation order', () => {
  const ids = Array.from({ length: 1000 }, () => createQueueId());
  assert.deepEqual([...ids].sort(), ids);
});
