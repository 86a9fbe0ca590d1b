import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { QUEUE_STATES, TEMPORARY_FOLDER, listQueue, openQueue } from '../../../server/queue/index.ts';
import { commitMessage } from './temporary-queue.ts';

function temporaryDirectory(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-queue-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('openQueue creates every state folder, tmp/ and spare/', async (t) => {
  const queue = await openQueue(path.join(temporaryDirectory(t), 'queue'));
  assert.deepEqual(fs.readdirSync(queue.directory).sort(), [...QUEUE_STATES, TEMPORARY_FOLDER, 'spare'].sort());
});

test('a temporary file left by a crash is removed when the queue is opened again', async (t) => {
  const dir = path.join(temporaryDirectory(t), 'queue');
  const first = await openQueue(dir);
  const id = first.createQueueId();
  const writer = await first.createQueueFile(id);
  await writer.writeContent(Buffer.from('Subject: never acknowledged\r\n'));
  // A crash: the writer is never committed nor aborted. Plus a leftover made by hand.
  fs.writeFileSync(path.join(dir, TEMPORARY_FOLDER, '0123456789ABCDEF'), 'half a message');

  const second = await openQueue(dir);
  assert.deepEqual(fs.readdirSync(path.join(dir, TEMPORARY_FOLDER)), []);
  assert.deepEqual(second.removedTemporaryFiles, ['0123456789ABCDEF', id].sort());
  for (const state of QUEUE_STATES) assert.deepEqual(await listQueue(second, state), [], state);
  await writer.abort(); // closes the crashed writer's descriptor; its file is already gone
});

test('opening the queue again keeps committed messages', async (t) => {
  const dir = path.join(temporaryDirectory(t), 'queue');
  const id = await commitMessage(await openQueue(dir), 'x\r\n');
  const again = await openQueue(dir);
  assert.deepEqual(await listQueue(again, 'incoming'), [id]);
});

test('a process that only looks leaves temporary files alone', async (t) => {
  const dir = path.join(temporaryDirectory(t), 'queue');
  await openQueue(dir);
  fs.writeFileSync(path.join(dir, TEMPORARY_FOLDER, '0123456789ABCDEF'), 'arriving');
  const looking = await openQueue(dir, { removeTemporaryFiles: false });
  assert.deepEqual(looking.removedTemporaryFiles, []);
  assert.deepEqual(fs.readdirSync(path.join(dir, TEMPORARY_FOLDER)), ['0123456789ABCDEF']);
});
