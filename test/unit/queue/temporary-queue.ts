/**
 * Test fixtures for the queue: a queue opened in a fresh temporary directory (removed after the
 * test) and a complete envelope for a queue ID.
 * Exports openTemporaryQueue, sampleEnvelope, commitMessage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { openQueue, type Envelope, type Queue, type QueueId } from '../../../server/queue/index.ts';

/** openTemporaryQueue - a queue in its own temporary directory, removed when the test ends. */
export async function openTemporaryQueue(t: TestContext): Promise<Queue> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-queue-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return openQueue(path.join(dir, 'queue'));
}

/** sampleEnvelope - an envelope with every field used, as the front would pass to commit. */
export function sampleEnvelope(queueId: QueueId): Omit<Envelope, 'size'> {
  return {
    queueId,
    arrivalTime: 1767225600123,
    sender: 'alice@example.org',
    recipients: [
      { address: 'bob@example.com', orcpt: 'rfc822;bob@example.com', notify: ['SUCCESS', 'FAILURE'] },
      { address: 'carol@example.com' },
    ],
    dsn: { ret: 'HDRS', envid: 'QQ314159' },
    client: { name: 'client21.example.org', address: '198.51.100.21', port: 40123, helo: 'client21.example.org', protocol: 'ESMTP' },
    bodyType: '8BITMIME',
    smtputf8: false,
    attributes: { content_filter: 'smtp:[127.0.0.1]:10025' },
  };
}

/** commitMessage - write content in one chunk and commit; returns the queue ID. */
export async function commitMessage(queue: Queue, content: string | Buffer): Promise<QueueId> {
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  await writer.writeContent(Buffer.from(content));
  await writer.commit(sampleEnvelope(id));
  return id;
}
