import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { SPARE_FOLDER, TEMPORARY_FOLDER, listQueue, openQueue, readQueueFile, queueFilePath } from '../../../server/queue/index.ts';
import { commitMessage, openTemporaryQueue } from './temporary-queue.ts';

async function sparesOf(queueDir: string, atLeast: number): Promise<string[]> {
  // The pool refills in the background; wait (bounded) until it has made what is asked.
  for (let i = 0; i < 100; i++) {
    const names = fs.readdirSync(path.join(queueDir, SPARE_FOLDER));
    if (names.length >= atLeast) return names;
    await new Promise((r) => setTimeout(r, 20));
  }
  return fs.readdirSync(path.join(queueDir, SPARE_FOLDER));
}

test('after the first queue file, empty spare files are made ahead of time in spare/', async (t) => {
  const queue = await openTemporaryQueue(t);
  await commitMessage(queue, 'Subject: first\r\n\r\n');
  const spares = await sparesOf(queue.directory, 1);
  assert.ok(spares.length > 0);
  for (const name of spares) assert.equal(fs.statSync(path.join(queue.directory, SPARE_FOLDER, name)).size, 0);
});

test('a queue file is written into a ready spare where it lies, and at commit the spare leaves spare/ as the message', async (t) => {
  const queue = await openTemporaryQueue(t);
  await commitMessage(queue, 'Subject: first\r\n\r\n');
  const before = await sparesOf(queue.directory, 8);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.writeContent(Buffer.alloc(70_000, 0x41));
  const written = before.filter((name) => fs.statSync(path.join(queue.directory, SPARE_FOLDER, name), { throwIfNoEntry: false })?.size);
  assert.equal(written.length, 1, 'one spare holds the message being written');
  assert.equal(fs.statSync(path.join(queue.directory, SPARE_FOLDER, written[0])).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(path.join(queue.directory, TEMPORARY_FOLDER)), []);
  await writer.writeContent(Buffer.from('\r\nSubject: second\r\n\r\nbody\r\n'));
  await writer.commit({ queueId: id, arrivalTime: 1, sender: '', recipients: [{ address: 'a@example.com' }], dsn: {}, client: { name: 'x', address: '127.0.0.1', helo: 'x', protocol: 'SMTP' }, attributes: {} });
  assert.equal(fs.existsSync(path.join(queue.directory, SPARE_FOLDER, written[0])), false);
  const read = await readQueueFile(queueFilePath(queue.directory, 'incoming', id));
  assert.ok(read.ok);
  assert.equal(read.content.toString('latin1'), 'A'.repeat(70_000) + '\r\nSubject: second\r\n\r\nbody\r\n');
});

test('a spare being written when the gateway died is removed at the next start and reported as unfinished', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-queue-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const first = await openQueue(path.join(dir, 'queue'));
  await commitMessage(first, 'x\r\n');
  await sparesOf(first.directory, 8);
  const writer = await first.createQueueFile(first.createQueueId());
  await writer.writeContent(Buffer.alloc(70_000, 0x41));
  const second = await openQueue(path.join(dir, 'queue'));
  assert.equal(second.removedTemporaryFiles.length, 1);
  assert.match(second.removedTemporaryFiles[0], /^spare\//);
  assert.deepEqual(fs.readdirSync(path.join(second.directory, SPARE_FOLDER)), []);
});

test('spare files of an earlier run are removed when the queue is opened again, and not reported as crash leftovers', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-queue-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const first = await openQueue(path.join(dir, 'queue'));
  const id = await commitMessage(first, 'x\r\n');
  await sparesOf(first.directory, 8);
  const second = await openQueue(path.join(dir, 'queue'));
  assert.deepEqual(second.removedTemporaryFiles, []);
  assert.deepEqual(fs.readdirSync(path.join(second.directory, SPARE_FOLDER)), []);
  assert.deepEqual(await listQueue(second, 'incoming'), [id]);
});
