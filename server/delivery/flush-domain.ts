/**
 * ETRN's effect on the queue (RFC 1985 as Postfix implements it, spec/protocol.md §3 ETRN):
 * deferred mail with a recipient in the domain is moved back to incoming/, where the queue
 * manager picks it up at once instead of waiting for its next retry time.
 * Exports flushDeferredDomain. A file that disappears meanwhile was delivered or removed: skipped.
 */
import { listQueue, moveQueueFile, queueFilePath, readQueueFile, type Queue } from '../queue/index.ts';

/** flushDeferredDomain - how many deferred messages were scheduled for immediate delivery. */
export async function flushDeferredDomain(queue: Queue, domain: string): Promise<number> {
  const wanted = domain.toLowerCase();
  let moved = 0;
  for (const id of await listQueue(queue, 'deferred')) {
    const file = await readQueueFile(queueFilePath(queue.directory, 'deferred', id));
    if (!file.ok) continue;
    const hit = file.envelope.recipients.some((r) => r.address.toLowerCase().endsWith('@' + wanted));
    if (hit && (await moveQueueFile(queue, id, 'deferred', 'incoming')).ok) moved++;
  }
  return moved;
}
