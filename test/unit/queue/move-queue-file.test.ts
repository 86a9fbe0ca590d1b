import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listQueue, moveQueueFile, queueFilePath, readQueueFile } from '../../../server/queue/index.ts';
import { commitMessage, openTemporaryQueue } from './temporary-queue.ts';

test('a queue file moves from state to state and still reads back', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = await commitMessage(queue, 'Subject: moving\r\n');
  assert.deepEqual(await moveQueueFile(queue, id, 'incoming', 'active'), { ok: true });
  assert.deepEqual(await moveQueueFile(queue, id, 'active', 'deferred'), { ok: true });
  assert.deepEqual(await moveQueueFile(queue, id, 'deferred', 'hold'), { ok: true });
  assert.deepEqual(await listQueue(queue, 'incoming'), []);
  assert.deepEqual(await listQueue(queue, 'hold'), [id]);
  const read = await readQueueFile(queueFilePath(queue.directory, 'hold', id));
  assert.ok(read.ok);
  assert.equal(read.content.toString(), 'Subject: moving\r\n');
});

test('moving a file that is not there reports the race as a value', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = await commitMessage(queue, 'x\r\n');
  assert.deepEqual(await moveQueueFile(queue, id, 'active', 'deferred'), { ok: false, reason: 'QUEUE_FILE_MISSING' });
  assert.deepEqual(await listQueue(queue, 'incoming'), [id]);
});

test('moving with an unchecked queue ID is refused before any path is built', async (t) => {
  const queue = await openTemporaryQueue(t);
  await assert.rejects(moveQueueFile(queue, '../../x', 'incoming', 'active'), /bad queue ID/);
});
