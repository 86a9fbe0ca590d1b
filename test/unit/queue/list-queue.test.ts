import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { listQueue } from '../../../server/queue/index.ts';
import { commitMessage, openTemporaryQueue } from './temporary-queue.ts';

test('listQueue gives the queue IDs of a state in arrival order and skips other names', async (t) => {
  const queue = await openTemporaryQueue(t);
  const first = await commitMessage(queue, 'one\r\n');
  const second = await commitMessage(queue, 'two\r\n');
  fs.writeFileSync(path.join(queue.directory, 'incoming', '.nfs0001'), '');
  fs.writeFileSync(path.join(queue.directory, 'incoming', `${first}~`), '');
  assert.deepEqual(await listQueue(queue, 'incoming'), [first, second]);
  assert.deepEqual(await listQueue(queue, 'deferred'), []);
});
