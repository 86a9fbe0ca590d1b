import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listQueue, removeQueueFile } from '../../../server/queue/index.ts';
import { commitMessage, openTemporaryQueue } from './temporary-queue.ts';

test('a removed queue file is gone from its state', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = await commitMessage(queue, 'x\r\n');
  assert.deepEqual(await removeQueueFile(queue, 'incoming', id), { ok: true });
  assert.deepEqual(await listQueue(queue, 'incoming'), []);
});

test('removing a file already gone reports the race as a value', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = await commitMessage(queue, 'x\r\n');
  assert.deepEqual(await removeQueueFile(queue, 'deferred', id), { ok: false, reason: 'QUEUE_FILE_MISSING' });
});
