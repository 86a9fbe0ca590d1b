import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkQueueSpace } from '../../../server/queue/index.ts';
import { openTemporaryQueue } from './temporary-queue.ts';

test('a queue_minfree larger than any disk reports insufficient storage with the bytes needed', async (t) => {
  const queue = await openTemporaryQueue(t);
  const space = await checkQueueSpace(queue.directory, { queueMinfree: 2 ** 52, messageSizeLimit: 10240000 });
  assert.equal(space.ok, false);
  assert.ok(!space.ok);
  assert.equal(space.needed, 2 ** 52 + 1);
  assert.ok(space.free < space.needed);
});

test('a message_size_limit whose 1.5x exceeds the disk reports insufficient storage', async (t) => {
  const queue = await openTemporaryQueue(t);
  const space = await checkQueueSpace(queue.directory, { queueMinfree: 0, messageSizeLimit: 2 ** 51 });
  assert.ok(!space.ok);
  assert.equal(space.needed, 1.5 * 2 ** 51);
});

test('the default limits (queue_minfree 0, message_size_limit 10240000) pass on a disk with room', async (t) => {
  const queue = await openTemporaryQueue(t);
  assert.deepEqual(await checkQueueSpace(queue.directory, { queueMinfree: 0, messageSizeLimit: 10240000 }), { ok: true });
  assert.deepEqual(await checkQueueSpace(queue.directory, { queueMinfree: 0, messageSizeLimit: 0 }), { ok: true });
});
