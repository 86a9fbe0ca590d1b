/**
 * The mail queue for the console: listing and one message read from the queue files of the data
 * folder (as mailq and postcat read them, server/delivery/show-queue.ts); changes go through the
 * gateway's control channel (server/control/queue-control.ts), or to the files when no gateway
 * runs. Server-only. Exports getQueueListing, getQueueMessage, operateOnQueue, flushQueue.
 */
import 'server-only';
import path from 'node:path';
import { showQueue, showQueueMessage, type QueueListing } from '../../server/delivery/show-queue.ts';
import { requestQueueOperation } from '../../server/control/queue-control.ts';
import { openQueue, type QueueState } from '../../server/queue/index.ts';
import type { QueueOperation } from '../../server/queue/queue-admin.ts';
import { getDataDir } from './db.ts';

function openDataQueue() {
  // The console never cleans tmp/: files there are messages the gateway is receiving.
  return openQueue(path.join(getDataDir(), 'queue'), { removeTemporaryFiles: false });
}

/** getQueueListing - the messages of these states that match the text (queue ID, sender or recipient). */
export async function getQueueListing(filter: { states: readonly QueueState[]; text?: string }): Promise<QueueListing[]> {
  const all = await showQueue(await openDataQueue(), filter.states);
  const text = filter.text?.toLowerCase();
  if (!text) return all;
  return all.filter((m) => m.id.toLowerCase() === text || m.sender.toLowerCase().includes(text) || m.recipients.some((r) => r.address.toLowerCase().includes(text)));
}

/** getQueueMessage - envelope, deferral reasons and content of one message. */
export async function getQueueMessage(id: string) {
  return showQueueMessage(await openDataQueue(), id);
}

/** operateOnQueue - hold, release, requeue or delete these messages, as postsuper does. */
export function operateOnQueue(operation: QueueOperation, ids: string[] | 'ALL') {
  return requestQueueOperation(getDataDir(), { command: 'queue', operation, ids });
}

/** flushQueue - deliver all deferred mail now, as postqueue -f. */
export function flushQueue() {
  return requestQueueOperation(getDataDir(), { command: 'flush' });
}
