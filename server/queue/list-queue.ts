/**
 * Listing a queue state, as the queue manager's scan (qmgr_scan.c) and mailq read a queue
 * directory: the queue IDs of the files in it, in ID order (arrival order within a process).
 * Exports listQueue. Reads no parameters. Names that are not queue IDs (editor or backup
 * leftovers) are not queue files and are skipped. A missing state folder throws: openQueue made it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isQueueIdOk, type QueueId } from './queue-id.ts';
import type { Queue } from './open-queue.ts';
import { QUEUE_STATES, type QueueState } from './queue-state.ts';

/** listQueue - the queue IDs in a state, sorted; a snapshot that a concurrent move can outdate. */
export async function listQueue(queue: Queue, state: QueueState): Promise<QueueId[]> {
  if (!(QUEUE_STATES as readonly string[]).includes(state)) throw new RangeError(`unknown queue state: ${String(state)}`);
  const names = await fs.readdir(path.join(queue.directory, state));
  return names.filter(isQueueIdOk).sort();
}
