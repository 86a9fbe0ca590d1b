'use server';
/**
 * Queue actions (admin only): hold, release, requeue and delete by queue ID, one or many, and
 * flush; through the gateway's control channel so its queue manager is told at once.
 */
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { canActOnQueue } from '../../../server/accounts/console-role.ts';
import { isQueueIdOk } from '../../../server/queue/index.ts';
import { QUEUE_OPERATIONS } from '../../../server/queue/queue-admin.ts';
import { flushQueue, operateOnQueue } from '../../_data/queue.ts';
import { requireActionSession } from '../../_data/session.ts';
import type { ActionResult } from '../../_lib/action-result.ts';

const ZQueueOperation = z.object({
  operation: z.enum(QUEUE_OPERATIONS),
  ids: z.array(z.string().refine(isQueueIdOk, 'not a queue ID')).min(1, 'select at least one message').max(10_000),
});

const DONE: Record<(typeof QUEUE_OPERATIONS)[number], string> = {
  hold: 'Placed on hold', release: 'Released from hold', requeue: 'Requeued', delete: 'Deleted',
};

export async function queueOperationAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canActOnQueue);
  if (!auth.ok) return auth;
  const parsed = ZQueueOperation.safeParse({ operation: form.get('operation'), ids: form.getAll('id') });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const r = await operateOnQueue(parsed.data.operation, parsed.data.ids);
  if (!r.ok) return { ok: false, error: r.error };
  if (!('done' in r)) return { ok: false, error: 'unexpected reply from the gateway' };
  revalidatePath('/queue');
  // Deleted from its own page: that page is gone, so the queue says what happened.
  if (parsed.data.operation === 'delete' && form.get('from') === 'message' && r.done.length === 1) redirect(`/queue?deleted=${r.done[0]}`);
  const skipped = r.skipped.length ? `; ${r.skipped.length} left alone (${r.skipped.map((s) => `${s.id} in ${s.state}`).join(', ')})` : '';
  return { ok: true, message: `${DONE[parsed.data.operation]}: ${r.done.length} message${r.done.length === 1 ? '' : 's'}${skipped}` };
}

export async function flushAction(): Promise<ActionResult> {
  const auth = await requireActionSession(canActOnQueue);
  if (!auth.ok) return auth;
  const r = await flushQueue();
  if (!r.ok) return { ok: false, error: r.error };
  revalidatePath('/queue');
  return { ok: true, message: 'flushed' in r ? `Flushed: ${r.flushed} deferred message${r.flushed === 1 ? '' : 's'} scheduled for delivery now` : 'Flushed' };
}
