/**
 * Queue requests on the control channel (`portcullis queue hold|release|requeue|delete` and
 * `portcullis flush`), answered inside the gateway so that its queue manager is told: moved or
 * requeued mail is looked at at once, as Postfix's postsuper and postqueue -f signal qmgr.
 * The CLI and the console call requestQueueOperation: through the gateway when it runs, else
 * runQueueRequest straight on the files.
 * Exports runQueueRequest, requestQueueOperation, QueueRequestServices. Reads no parameters.
 */
import path from 'node:path';
import { listQueue, moveQueueFile, openQueue, type Queue } from '../queue/index.ts';
import { operateQueue } from '../queue/queue-admin.ts';
import { readDeliveryState, removeDeliveryState, writeDeliveryState } from '../delivery/delivery-state.ts';
import { GATEWAY_NOT_RUNNING, sendControlRequest, type QueueControlReply, type QueueControlRequest } from './control-socket.ts';

/** What a queue request needs; without a gateway there is no flush and no queue manager to wake. */
export interface QueueRequestServices {
  queue: Queue;
  flush?: () => Promise<number>; // the gateway's flush: deferred back to incoming/, delivered now
  wake?: () => void; // tell the queue manager that incoming/ or deferred/ changed
}

/** runQueueRequest - act on the queue and tell the queue manager; a bad ID changes nothing. */
export async function runQueueRequest(services: QueueRequestServices, request: QueueControlRequest): Promise<QueueControlReply> {
  const { queue } = services;
  if (request.command === 'flush') {
    if (services.flush) return { ok: true, flushed: await services.flush() };
    // Without a gateway there is no queue manager: deferred mail moved to incoming/ is what the
    // next gateway start delivers first.
    let flushed = 0;
    for (const id of await listQueue(queue, 'deferred')) if ((await moveQueueFile(queue, id, 'deferred', 'incoming')).ok) flushed++;
    return { ok: true, flushed };
  }
  const result = await operateQueue(queue, request.operation, request.ids);
  if (!result.ok) return result;
  // The retry state beside a deleted file would otherwise outlive it (queue/defer/ID).
  if (request.operation === 'delete') for (const id of result.done) await removeDeliveryState(queue, id);
  // Out of hold by the administrator's hand: a HOLD action of the content checks must not take
  // it back there (the queue manager honours the action only for messages never released).
  if (request.operation === 'release' || request.operation === 'requeue') {
    for (const id of result.done) await writeDeliveryState(queue, id, { ...(await readDeliveryState(queue, id)), released: true });
  }
  if (result.done.length) services.wake?.();
  return result;
}

/** requestQueueOperation - to the running gateway of a data folder, or to its files when none runs. */
export async function requestQueueOperation(dataDir: string, request: QueueControlRequest): Promise<QueueControlReply> {
  const r = await sendControlRequest<QueueControlReply>(dataDir, request);
  if (r.ok || r.error !== GATEWAY_NOT_RUNNING) return r;
  // Without a gateway, tmp/ may still hold a message another process is receiving: leave it.
  return runQueueRequest({ queue: await openQueue(path.join(dataDir, 'queue'), { removeTemporaryFiles: false }) }, request);
}
