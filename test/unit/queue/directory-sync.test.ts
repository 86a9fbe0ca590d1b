import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DirectorySync } from '../../../server/queue/directory-sync.ts';
import { listQueue, queueFilePath, readQueueFile } from '../../../server/queue/index.ts';
import { openTemporaryQueue, sampleEnvelope } from './temporary-queue.ts';

test('200 concurrent commits all succeed and share far fewer than 200 fsyncs of incoming/', async (t) => {
  const queue = await openTemporaryQueue(t);
  const sessions = Array.from({ length: 200 }, async (_, n) => {
    const id = queue.createQueueId();
    const writer = await queue.createQueueFile(id);
    await writer.writeContent(Buffer.from(`Subject: message ${n}\r\n\r\n`));
    await writer.writeContent(Buffer.alloc(5000 + n, 0x30 + (n % 10)));
    await writer.commit(sampleEnvelope(id));
    return { id, n };
  });
  const committed = await Promise.all(sessions);

  assert.equal(queue.stats.commits, 200);
  assert.ok(queue.stats.dirSyncs >= 1);
  assert.ok(queue.stats.dirSyncs < 50, `${queue.stats.dirSyncs} directory fsyncs for 200 commits`);
  assert.equal((await listQueue(queue, 'incoming')).length, 200);
  for (const { id, n } of committed) {
    const read = await readQueueFile(queueFilePath(queue.directory, 'incoming', id));
    assert.ok(read.ok, id);
    assert.equal(read.content.length, `Subject: message ${n}\r\n\r\n`.length + 5000 + n);
  }
});

test('a commit alone still gets its own fsync of incoming/', async (t) => {
  const queue = await openTemporaryQueue(t);
  for (let i = 0; i < 3; i++) {
    const id = queue.createQueueId();
    const writer = await queue.createQueueFile(id);
    await writer.commit(sampleEnvelope(id));
    assert.equal(queue.stats.dirSyncs, i + 1);
  }
});

test('a caller arriving while an fsync runs waits for the next one, shared with the other latecomers', async (t) => {
  const queue = await openTemporaryQueue(t);
  const sync = new DirectorySync(queue.directory);
  const first = sync.sync(); // starts round 1 at once
  const late = [sync.sync(), sync.sync(), sync.sync()]; // round 1 may predate their renames
  assert.equal(sync.rounds, 1);
  await first;
  assert.equal(sync.rounds, 2); // round 2 started as round 1 ended, for all three latecomers
  await Promise.all(late);
  assert.equal(sync.rounds, 2);
});
