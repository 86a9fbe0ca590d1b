import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { QUEUE_STATES, SPARE_FOLDER, TEMPORARY_FOLDER, listQueue, queueFilePath, readQueueFile } from '../../../server/queue/index.ts';
import { commitMessage, openTemporaryQueue, sampleEnvelope } from './temporary-queue.ts';

// Queue files anywhere in the queue; the empty spare files made ahead of time hold no mail.
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && path.basename(e.parentPath ?? e.path) !== SPARE_FOLDER).map((e) => e.name);
}

test('a committed message is in incoming/ and reads back with the same envelope and content', async (t) => {
  const queue = await openTemporaryQueue(t);
  const content = 'Subject: hello\r\n\r\nbody line\r\n';
  const id = await commitMessage(queue, content);

  assert.deepEqual(await listQueue(queue, 'incoming'), [id]);
  const read = await readQueueFile(queueFilePath(queue.directory, 'incoming', id));
  assert.equal(read.ok, true);
  assert.ok(read.ok);
  assert.deepEqual(read.envelope, { ...sampleEnvelope(id), size: Buffer.byteLength(content) });
  assert.equal(read.content.toString(), content);
});

test('a message committed into hold/ is there and in no other queue state, so no queue manager can take it first', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.writeContent(Buffer.from('Subject: held\r\n\r\nbody\r\n'));
  await writer.commit({ ...sampleEnvelope(id), attributes: { hold: 'review' } }, 'hold');

  for (const state of QUEUE_STATES) assert.deepEqual(await listQueue(queue, state), state === 'hold' ? [id] : [], state);
  const read = await readQueueFile(queueFilePath(queue.directory, 'hold', id));
  assert.ok(read.ok);
  assert.equal(read.envelope.attributes.hold, 'review');
  assert.equal(queue.stats.commits, 1);
});

test('a multi-megabyte binary message written in many chunks reads back byte for byte', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  const chunks: Buffer[] = [];
  // Lines of every byte value, odd lengths so that chunks straddle record boundaries.
  for (let i = 0; i < 40000; i++) {
    const line = Buffer.alloc(70 + (i % 37));
    for (let j = 0; j < line.length; j++) line[j] = (i * 31 + j * 7) & 0xff;
    chunks.push(Buffer.concat([line, Buffer.from('\r\n')]));
  }
  chunks.push(Buffer.alloc(200_000, 0xa5)); // one chunk far larger than a record
  for (const chunk of chunks) await writer.writeContent(chunk);
  const expected = Buffer.concat(chunks);
  assert.ok(expected.length > 3_000_000);
  assert.equal(writer.size, expected.length);
  await writer.commit(sampleEnvelope(id));

  const read = await readQueueFile(queueFilePath(queue.directory, 'incoming', id));
  assert.ok(read.ok);
  assert.equal(read.envelope.size, expected.length);
  assert.ok(read.content.equals(expected));
});

test('an empty message commits and reads back empty', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.commit(sampleEnvelope(id));
  const read = await readQueueFile(queueFilePath(queue.directory, 'incoming', id));
  assert.ok(read.ok);
  assert.equal(read.content.length, 0);
  assert.equal(read.envelope.size, 0);
});

test('a file being written is in tmp/ only, invisible to every queue state', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.writeContent(Buffer.from('Subject: pending\r\n'));
  for (const state of QUEUE_STATES) assert.deepEqual(await listQueue(queue, state), [], state);
  assert.deepEqual(fs.readdirSync(path.join(queue.directory, TEMPORARY_FOLDER)), [id]);
  await writer.abort();
});

test('abort leaves no file anywhere in the queue', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.writeContent(Buffer.alloc(100_000, 0x41));
  await writer.abort();
  assert.deepEqual(filesUnder(queue.directory), []);
});

test('abort while a write is in progress waits for it and still leaves nothing', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  const writing = writer.writeContent(Buffer.alloc(1_000_000, 0x42));
  await writer.abort();
  await writing;
  assert.deepEqual(filesUnder(queue.directory), []);
});

test('abort after commit keeps the queued message', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.writeContent(Buffer.from('x\r\n'));
  await writer.commit(sampleEnvelope(id));
  await writer.abort();
  assert.deepEqual(await listQueue(queue, 'incoming'), [id]);
});

test('writing after commit is refused as a bug', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.commit(sampleEnvelope(id));
  await assert.rejects(writer.writeContent(Buffer.from('late\r\n')), /after it was committed/);
});

test('commit with the envelope of another queue ID is refused and the file stays uncommitted', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await assert.rejects(writer.commit(sampleEnvelope(queue.createQueueId())), /given the envelope of/);
  await writer.abort();
  assert.deepEqual(filesUnder(queue.directory), []);
});

test('queue files are mode 0600 and queue folders 0700', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = await commitMessage(queue, 'x\r\n');
  assert.equal(fs.statSync(queueFilePath(queue.directory, 'incoming', id)).mode & 0o777, 0o600);
  for (const folder of ['.', ...QUEUE_STATES, TEMPORARY_FOLDER]) {
    assert.equal(fs.statSync(path.join(queue.directory, folder)).mode & 0o777, 0o700, folder);
  }
});

test('a write that fails (file removed from under the writer) rejects with a queue file write error and leaves nothing', async (t) => {
  const queue = await openTemporaryQueue(t);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.writeContent(Buffer.from('x\r\n'));
  // Take tmp/ away: the rename at commit fails, as it would on a broken disk.
  fs.rmSync(path.join(queue.directory, TEMPORARY_FOLDER), { recursive: true });
  await assert.rejects(writer.commit(sampleEnvelope(id)), (error: Error & { code?: string; step?: string }) => {
    assert.equal(error.name, 'QueueFileWriteError');
    assert.equal(error.code, 'QUEUE_FILE_WRITE_ERROR');
    assert.equal(error.step, 'rename');
    assert.match(error.message, new RegExp(`^${id}: queue file write error: rename: `));
    return true;
  });
  await writer.abort();
  assert.deepEqual(filesUnder(queue.directory), []);
  assert.equal(queue.stats.commits, 0);
});
