/**
 * Removing a queue file, as Postfix's mail_queue_remove(): after the last recipient is delivered
 * or bounced, or when the administrator deletes a message (postsuper -d).
 * Exports removeQueueFile, QueueFileRemoval. Reads no parameters.
 * A missing file is a race, reported as a value; any other error throws.
 */
import fs from 'node:fs/promises';
import type { QueueId } from './queue-id.ts';
import type { Queue } from './open-queue.ts';
import { queueFilePath, type QueueState } from './queue-state.ts';

export type QueueFileRemoval = { ok: true } | { ok: false; reason: 'QUEUE_FILE_MISSING' }; // missing: no such file in that state

/** removeQueueFile - unlink a queue file in a state; a file already gone is a race, not an error. */
export async function removeQueueFile(queue: Queue, state: QueueState, id: QueueId): Promise<QueueFileRemoval> {
  try {
    // Through libuv's thread pool, unlike a rename: freeing a file's blocks waits on the
    // file system's journal, a fifth of a millisecond for 100 KB on ext4.
    await fs.unlink(queueFilePath(queue.directory, state, id));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'QUEUE_FILE_MISSING' };
    throw error;
  }
  return { ok: true };
}
