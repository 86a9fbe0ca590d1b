import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { createReadBuffers, queueFilePath, readQueueFile } from '../../../server/queue/index.ts';
import { commitMessage, openTemporaryQueue } from './temporary-queue.ts';

test('a buffer given back is lent again for the next message of a similar size', () => {
  const buffers = createReadBuffers();
  const first = buffers.take(100_000);
  assert.equal(first.length, 100_000);
  buffers.give(first);
  const second = buffers.take(90_000);
  assert.equal(second.length, 90_000);
  assert.equal(second.buffer, first.buffer, 'the same memory');
  const third = buffers.take(90_000);
  assert.notEqual(third.buffer, second.buffer, 'a buffer lent out is not lent twice');
});

test('a buffer not given back is never lent again, and one given back twice is kept once', () => {
  const buffers = createReadBuffers();
  const held = buffers.take(70_000);
  const other = buffers.take(70_000);
  buffers.give(other);
  buffers.give(other);
  const next = [buffers.take(70_000), buffers.take(70_000)];
  assert.equal(next[0].buffer, other.buffer);
  assert.notEqual(next[1].buffer, other.buffer, 'given twice, lent once');
  for (const buffer of next) assert.notEqual(buffer.buffer, held.buffer);
});

test('only buffers the pool lent are kept, within its idle bound, and big files are never kept', () => {
  const buffers = createReadBuffers(256 * 1024);
  const foreign = Buffer.allocUnsafeSlow(100_000);
  buffers.give(foreign);
  assert.notEqual(buffers.take(100_000).buffer, foreign.buffer);
  const big = buffers.take(9 * 1024 * 1024);
  assert.equal(big.length, 9 * 1024 * 1024);
  buffers.give(big);
  assert.notEqual(buffers.take(9 * 1024 * 1024).buffer, big.buffer);
  const lent = [buffers.take(100_000), buffers.take(100_000), buffers.take(100_000)];
  for (const buffer of lent) buffers.give(buffer);
  const again = [buffers.take(100_000), buffers.take(100_000), buffers.take(100_000)];
  const reused = again.filter((b) => lent.some((l) => l.buffer === b.buffer));
  assert.equal(reused.length, 2, 'two of 128 KiB fit an idle bound of 256 KiB');
});

test('readQueueFile reads into a lent buffer: the content lies in it, byte for byte, message after message', async (t) => {
  const queue = await openTemporaryQueue(t);
  const buffers = createReadBuffers();
  const bodies = [Buffer.alloc(90_000, 0x61), Buffer.alloc(80_000, 0x62), Buffer.from('Subject: short\r\n\r\nhi\r\n')];
  let previous: ArrayBufferLike | null = null;
  for (const body of bodies) {
    const id = await commitMessage(queue, body);
    const read = await readQueueFile(queueFilePath(queue.directory, 'incoming', id), buffers);
    assert.ok(read.ok);
    assert.ok(read.content.equals(body));
    if (previous && body.length > 64 * 1024) assert.equal(read.content.buffer, previous, 'read into the buffer given back');
    previous = read.content.buffer;
    buffers.give(read.content);
  }
  const gone = await commitMessage(queue, 'x\r\n');
  fs.rmSync(queueFilePath(queue.directory, 'incoming', gone));
  const missing = await readQueueFile(queueFilePath(queue.directory, 'incoming', gone), buffers);
  assert.equal(missing.ok ? 'read' : missing.reason, 'QUEUE_FILE_MISSING');
});
