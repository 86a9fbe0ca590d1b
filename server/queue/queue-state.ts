/**
 * Queue states: one folder per state under the queue directory, as Postfix's incoming, active,
 * deferred, hold and corrupt queues, plus tmp/ where files are written before they are queued.
 * Exports QUEUE_STATES, QueueState, TEMPORARY_FOLDER, queueFilePath, temporaryFilePath.
 * Reads no parameters. Throws only when handed an unvalidated ID or an unknown state (a bug).
 * XXX no maildrop: every source enqueues through the queue file writer.
 */
import path from 'node:path';
import { isQueueIdOk, type QueueId } from './queue-id.ts';

/** The queue states, as Postfix names its queue directories. */
export const QUEUE_STATES = ['incoming', 'active', 'deferred', 'hold', 'corrupt'] as const;

export type QueueState = (typeof QUEUE_STATES)[number];

/**
 * Files being written live here, invisible to the queue manager, until commit renames them into
 * incoming/. Anything left here was never acknowledged, so openQueue may delete it.
 */
export const TEMPORARY_FOLDER = 'tmp';

/** queueFilePath - where the file of a queue ID lives in a state; refuses IDs not checked by isQueueIdOk. */
export function queueFilePath(queueDir: string, state: QueueState, id: QueueId): string {
  if (!(QUEUE_STATES as readonly string[]).includes(state)) throw new RangeError(`unknown queue state: ${String(state)}`);
  return path.join(queueDir, state, checkedId(id));
}

/** temporaryFilePath - where the file of a queue ID is written before commit. */
export function temporaryFilePath(queueDir: string, id: QueueId): string {
  return path.join(queueDir, TEMPORARY_FOLDER, checkedId(id));
}

// IDs reach here from the front, the queue manager and the console's URLs; a bad name here would
// be a path outside the queue, so it is a bug to stop, not a file to look for.
function checkedId(id: QueueId): QueueId {
  if (!isQueueIdOk(id)) throw new RangeError(`bad queue ID: ${JSON.stringify(id)}`);
  return id;
}
