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

test('a queue file is made from a ready spare: the spare leaves spare/ and the message reads back whole', async (t) => {
  const queue = await openTemporaryQueue(t);
  await commitMessage(queue, 'Subject: first\r\n\r\n');
  const before = await sparesOf(queue.directory, 8);
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  const taken = before.filter((name) => !fs.existsSync(path.join(queue.directory, SPARE_FOLDER, name)));
  assert.equal(taken.length, 1);
  assert.equal(fs.statSync(path.join(queue.directory, TEMPORARY_FOLDER, id)).mode & 0o777, 0o600);
  await writer.writeContent(Buffer.from('Subject: second\r\n\r\nbody\r\n'));
  await writer.commit({ queueId: id, arrivalTime: 1, sender: '', recipients: [{ address: 'a@example.com' }], dsn: {}, client: { name: 'x', address: '127.0.0.1', helo: 'x', protocol: 'SMTP' }, attributes: {} });
  const read = await readQueueFile(queueFilePath(queue.directory, 'incoming', id));
  assert.ok(read.ok);
  assert.equal(read.content.toString('latin1'), 'Subject: second\r\n\r\nbody\r\n');
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
