/**
 * Administering queued messages, as Postfix's postsuper: hold (-h), release (-H), requeue (-r)
 * and delete (-d) by queue ID or ALL, plus finding which state a message is in. Pure file
 * operations by rename or unlink; the caller tells the queue manager (or there is none).
 * Exports QUEUE_OPERATIONS, QueueOperation, QueueOperationResult, findQueueState, operateQueue.
 * Reads no parameters. An active file is being delivered: it is never moved or removed here
 * (Postfix's postsuper works only with the queue manager stopped or through its locks).
 * Every named ID is checked before anything changes, so a bad ID changes nothing.
 */
import fs from 'node:fs/promises';
import { listQueue } from './list-queue.ts';
import { moveQueueFile } from './move-queue-file.ts';
import type { Queue } from './open-queue.ts';
import { isQueueIdOk, type QueueId } from './queue-id.ts';
import { QUEUE_STATES, queueFilePath, type QueueState } from './queue-state.ts';
import { removeQueueFile } from './remove-queue-file.ts';

export const QUEUE_OPERATIONS = ['hold', 'release', 'requeue', 'delete'] as const;
export type QueueOperation = (typeof QUEUE_OPERATIONS)[number];

// The states each operation takes messages from (never active/), as postsuper's defaults:
// -h from incoming and deferred, -H from hold, -r and -d from every queue but active.
const SOURCE_STATES: Record<QueueOperation, readonly QueueState[]> = {
  hold: ['incoming', 'deferred'],
  release: ['hold'],
  requeue: ['incoming', 'deferred', 'hold', 'corrupt'],
  delete: ['incoming', 'deferred', 'hold', 'corrupt'],
};

export type QueueOperationResult =
  | { ok: true; done: QueueId[]; skipped: Array<{ id: QueueId; state: QueueState }> } // skipped: in a state the operation leaves alone
  | { ok: false; error: string }; // nothing was changed

/** findQueueState - the state a queue ID is in now, or undefined; a snapshot a concurrent move can outdate. */
export async function findQueueState(queue: Queue, id: QueueId): Promise<QueueState | undefined> {
  if (!isQueueIdOk(id)) return undefined;
  for (const state of QUEUE_STATES) {
    try {
      await fs.access(queueFilePath(queue.directory, state, id));
      return state;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return undefined;
}

/**
 * operateQueue - hold, release, requeue or delete the named messages (or ALL); a message that
 * vanishes meanwhile was delivered or removed and is left out of `done`, not an error.
 */
export async function operateQueue(queue: Queue, operation: QueueOperation, ids: readonly string[] | 'ALL'): Promise<QueueOperationResult> {
  const located: Array<{ id: QueueId; state: QueueState }> = [];
  if (ids === 'ALL') {
    for (const state of QUEUE_STATES) for (const id of await listQueue(queue, state)) located.push({ id, state });
  } else {
    for (const id of ids) {
      if (!isQueueIdOk(id)) return { ok: false, error: `invalid queue ID: ${JSON.stringify(id)}` };
      const state = await findQueueState(queue, id);
      if (!state) return { ok: false, error: `${id}: no such queue file` };
      located.push({ id, state });
    }
  }
  const done: QueueId[] = [];
  const skipped: Array<{ id: QueueId; state: QueueState }> = [];
  for (const { id, state } of located) {
    if (!SOURCE_STATES[operation].includes(state)) {
      // ALL means "every message this applies to": only a named one is reported as left alone.
      if (ids !== 'ALL') skipped.push({ id, state });
      continue;
    }
    const r = operation === 'delete' ? await removeQueueFile(queue, state, id)
      : await moveQueueFile(queue, id, state, operation === 'hold' ? 'hold' : operation === 'release' ? 'deferred' : 'incoming');
    if (r.ok) done.push(id);
  }
  return { ok: true, done, skipped };
}
