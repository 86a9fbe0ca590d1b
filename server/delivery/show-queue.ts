/**
 * The mail queue as mailq and the console see it, as Postfix's showq reads it: every message of
 * the active, incoming, deferred and hold queues (and corrupt, on request) with its size,
 * arrival, sender, and the recipients still to deliver, each with the deferral reason that
 * applies to it (from the delivery state in queue/defer/). `portcullis queue` and the console's
 * Queue page both call these. Exports showQueue, showQueueMessage, QueueListing, QueueMessageView.
 * Reads no parameters. A file that moves or vanishes while it is read was delivered or moved on:
 * it is left out, not an error.
 * XXX each queue file is read whole, content too: an envelope-only read would list a queue of
 * large messages faster.
 */
import { findQueueState } from '../queue/queue-admin.ts';
import { isQueueIdOk, listQueue, queueFilePath, readQueueFile, type Envelope, type Queue, type QueueId, type QueueState } from '../queue/index.ts';
import { readDeliveryState, type DeliveryState } from './delivery-state.ts';

/** One message as mailq lists it. */
export interface QueueListing {
  id: QueueId;
  state: QueueState;
  size: number;                                            // message_size, bytes
  arrivalTime: number;                                     // ms since the epoch
  sender: string;                                          // '' for the null sender
  recipients: Array<{ address: string; reason?: string }>; // not yet delivered, in envelope order
  attempts: number;                                        // delivery attempts so far
  nextAttempt: number | null;                              // when deferred mail is tried again
}

/** One message whole, for postcat and the console's message view. */
export interface QueueMessageView {
  listing: QueueListing;
  envelope: Envelope;
  content: Buffer;
}

const LISTED_STATES: readonly QueueState[] = ['active', 'incoming', 'deferred', 'hold'];

function listingOf(id: QueueId, state: QueueState, envelope: Envelope, delivery: DeliveryState): QueueListing {
  return {
    id,
    state,
    size: envelope.size,
    arrivalTime: envelope.arrivalTime,
    sender: envelope.sender,
    recipients: envelope.recipients
      .filter((r) => !delivery.done.includes(r.address))
      .map((r) => (delivery.reasons[r.address] === undefined ? { address: r.address } : { address: r.address, reason: delivery.reasons[r.address] })),
    attempts: delivery.attempts,
    nextAttempt: state === 'deferred' && delivery.nextAttempt ? delivery.nextAttempt : null,
  };
}

/** showQueue - the messages of the listed states (active first, as mailq), in queue ID order within each. */
export async function showQueue(queue: Queue, states: readonly QueueState[] = LISTED_STATES): Promise<QueueListing[]> {
  const out: QueueListing[] = [];
  for (const state of states) {
    for (const id of await listQueue(queue, state)) {
      const file = await readQueueFile(queueFilePath(queue.directory, state, id));
      if (!file.ok) continue; // moved meanwhile, or damaged: the queue manager sends it to corrupt/
      out.push(listingOf(id, state, file.envelope, await readDeliveryState(queue, id)));
    }
  }
  return out;
}

/** showQueueMessage - one message by ID in whatever state it is now; why not, when it cannot be read. */
export async function showQueueMessage(queue: Queue, id: string): Promise<{ ok: true; message: QueueMessageView } | { ok: false; error: string }> {
  if (!isQueueIdOk(id)) return { ok: false, error: `invalid queue ID: ${JSON.stringify(id)}` };
  const state = await findQueueState(queue, id);
  if (!state) return { ok: false, error: `${id}: no such queue file` };
  const file = await readQueueFile(queueFilePath(queue.directory, state, id));
  if (!file.ok) return { ok: false, error: `${state}/${id}: ${file.reason}: ${file.detail}` };
  const listing = listingOf(id, state, file.envelope, await readDeliveryState(queue, id));
  return { ok: true, message: { listing, envelope: file.envelope, content: file.content } };
}
