import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { openContentStream, queueFilePath, readQueueFile, type Queue, type QueueId } from '../../../server/queue/index.ts';
import { commitMessage, openTemporaryQueue } from './temporary-queue.ts';

// END is the last record: type, length, then endOffset u64, contentBytes u64, crc32 u32.
const END_RECORD_LENGTH = 5 + 20;

async function committedFile(queue: Queue, content: string | Buffer): Promise<{ id: QueueId; file: string; bytes: Buffer }> {
  const id = await commitMessage(queue, content);
  const file = queueFilePath(queue.directory, 'incoming', id);
  return { id, file, bytes: fs.readFileSync(file) };
}

test('a file cut short at any point is refused, never read as a shorter message', async (t) => {
  const queue = await openTemporaryQueue(t);
  const { file, bytes } = await committedFile(queue, Buffer.alloc(100_000, 0x61));
  const cuts = [0, 3, 8, 12, 100, 40_000, bytes.length - END_RECORD_LENGTH - 1, bytes.length - END_RECORD_LENGTH, bytes.length - 10, bytes.length - 1];
  for (const cut of cuts) {
    fs.writeFileSync(file, bytes.subarray(0, cut));
    const read = await readQueueFile(file);
    assert.equal(read.ok, false, `cut at ${cut}`);
    assert.ok(!read.ok);
    assert.equal(read.reason, 'QUEUE_FILE_TRUNCATED', `cut at ${cut}: ${read.detail}`);
  }
});

test('a file whose END record lies about its offset is refused as corrupt', async (t) => {
  const queue = await openTemporaryQueue(t);
  const { file, bytes } = await committedFile(queue, 'Subject: x\r\n\r\nbody\r\n');
  const damaged = Buffer.from(bytes);
  damaged.writeBigUInt64BE(1n, bytes.length - 20);
  fs.writeFileSync(file, damaged);
  const read = await readQueueFile(file);
  assert.deepEqual(read, { ok: false, reason: 'QUEUE_FILE_CORRUPT', detail: `END says offset 1, found at ${bytes.length - END_RECORD_LENGTH}` });
});

test('a file with one content byte changed fails the END checksum', async (t) => {
  const queue = await openTemporaryQueue(t);
  const { file, bytes } = await committedFile(queue, 'Subject: x\r\n\r\nbody\r\n');
  const damaged = Buffer.from(bytes);
  damaged[8 + 5 + 2] ^= 0x20; // inside the first content record
  fs.writeFileSync(file, damaged);
  assert.deepEqual(await readQueueFile(file), { ok: false, reason: 'QUEUE_FILE_CORRUPT', detail: 'checksum mismatch' });
});

test('a file with bytes after END is refused as corrupt', async (t) => {
  const queue = await openTemporaryQueue(t);
  const { file, bytes } = await committedFile(queue, 'x\r\n');
  fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from('more')]));
  const read = await readQueueFile(file);
  assert.ok(!read.ok);
  assert.equal(read.reason, 'QUEUE_FILE_CORRUPT');
  assert.match(read.detail, /^data after END/);
});

test('a record length beyond its limit is refused before anything is allocated', async (t) => {
  const queue = await openTemporaryQueue(t);
  const { file, bytes } = await committedFile(queue, 'x\r\n');
  const damaged = Buffer.from(bytes);
  damaged.writeUInt32BE(0xffffffff, 8 + 1); // first record's length
  fs.writeFileSync(file, damaged);
  const read = await readQueueFile(file);
  assert.deepEqual(read, { ok: false, reason: 'QUEUE_FILE_CORRUPT', detail: `record length ${0xffffffff} over ${1024 * 1024} at offset 8` });
});

test('a file that is not a queue file is refused as corrupt', async (t) => {
  const queue = await openTemporaryQueue(t);
  const { file } = await committedFile(queue, 'x\r\n');
  fs.writeFileSync(file, 'From alice@example.org Thu Jan  1 00:00:00 2026\nSubject: mbox\n');
  assert.deepEqual(await readQueueFile(file), { ok: false, reason: 'QUEUE_FILE_CORRUPT', detail: 'not a queue file (bad magic)' });
});

test('a checksummed file whose envelope is not an envelope is refused as corrupt', async (t) => {
  const queue = await openTemporaryQueue(t);
  const { file } = await committedFile(queue, 'x\r\n');
  // A well-formed file, correct END included, whose envelope JSON lacks the recipients.
  const header = Buffer.from([0x50, 0x43, 0x51, 0x46, 0, 0, 0, 1]);
  const json = Buffer.from(JSON.stringify({ queueId: '0123456789ABCDEF', sender: '' }));
  const xtra = Buffer.concat([Buffer.from([0x58, 0, 0, 0, 0]), json]);
  xtra.writeUInt32BE(json.length, 1);
  const body = Buffer.concat([header, xtra]);
  const end = Buffer.alloc(END_RECORD_LENGTH);
  end[0] = 0x45;
  end.writeUInt32BE(20, 1);
  end.writeBigUInt64BE(BigInt(body.length), 5);
  end.writeUInt32BE(crc32(body), 21);
  fs.writeFileSync(file, Buffer.concat([body, end]));
  assert.deepEqual(await readQueueFile(file), { ok: false, reason: 'QUEUE_FILE_CORRUPT', detail: 'unreadable envelope at offset 8' });
});

test('reading a file that was moved away meanwhile reports the race', async (t) => {
  const queue = await openTemporaryQueue(t);
  const file = queueFilePath(queue.directory, 'active', queue.createQueueId());
  const read = await readQueueFile(file);
  assert.deepEqual(read, { ok: false, reason: 'QUEUE_FILE_MISSING', detail: `${file}: no such file` });
  const stream = await openContentStream(file);
  assert.equal(stream.ok, false);
});

test('readQueueFile gives back the content of a message of many records byte for byte', async (t) => {
  const queue = await openTemporaryQueue(t);
  const content = Buffer.alloc(150_001);
  for (let i = 0; i < content.length; i++) content[i] = (i * 7 + (i >> 8)) & 0xff;
  const { file } = await committedFile(queue, content);
  const read = await readQueueFile(file);
  assert.ok(read.ok);
  assert.ok(read.content.equals(content));
});

test('openContentStream streams the content of a big message after checking the whole file', async (t) => {
  const queue = await openTemporaryQueue(t);
  const content = Buffer.alloc(2_500_000);
  for (let i = 0; i < content.length; i++) content[i] = (i * 13) & 0xff;
  const { id, file } = await committedFile(queue, content);
  const opened = await openContentStream(file);
  assert.ok(opened.ok);
  assert.equal(opened.envelope.queueId, id);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.content) chunks.push(chunk as Buffer);
  assert.ok(Buffer.concat(chunks).equals(content));
});

test('openContentStream refuses a truncated file before streaming anything', async (t) => {
  const queue = await openTemporaryQueue(t);
  const { file, bytes } = await committedFile(queue, Buffer.alloc(200_000, 0x62));
  fs.writeFileSync(file, bytes.subarray(0, 150_000));
  const opened = await openContentStream(file);
  assert.ok(!opened.ok);
  assert.equal(opened.reason, 'QUEUE_FILE_TRUNCATED');
});
