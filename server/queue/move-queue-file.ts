/**
 * Moving a queue file to another state, by rename only, as Postfix's qmgr_move() and
 * mail_queue_rename(): the file is in one state or the other at every moment, never in neither.
 * Exports moveQueueFile, QueueFileMove. Reads no parameters.
 * A missing file is a race (another actor moved or removed it): reported as a value, the caller
 * warns and goes on; any other error throws, as it is fatal in qmgr_move().
 * XXX no directory fsync after the rename: a crash may undo a move (the file reappears in its old
 * state and is handled again), which never loses mail but can undo a hold.
 */
import { renameSync } from 'node:fs';
import type { QueueId } from './queue-id.ts';
import type { Queue } from './open-queue.ts';
import { queueFilePath, type QueueState } from './queue-state.ts';

export type QueueFileMove = { ok: true } | { ok: false; reason: 'QUEUE_FILE_MISSING' }; // missing: no such file in `from`

/** moveQueueFile - rename a queue file from one state to another; a missing source is a race, not an error. */
export async function moveQueueFile(queue: Queue, id: QueueId, from: QueueState, to: QueueState): Promise<QueueFileMove> {
  const source = queueFilePath(queue.directory, from, id);
  const target = queueFilePath(queue.directory, to, id);
  try {
    // A rename takes microseconds, less than a round trip through libuv's thread pool.
    renameSync(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'QUEUE_FILE_MISSING' };
    throw error;
  }
  return { ok: true };
}
