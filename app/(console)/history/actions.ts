'use server';
/**
 * History page action (admin only): restore a revision (server/policy-files/restore-revision.ts),
 * then tell the gateway to take the restored policy now.
 */
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { canChangePolicy } from '../../../server/accounts/console-role.ts';
import { restoreRevision } from '../../../server/policy-files/restore-revision.ts';
import { getDataDir } from '../../_data/db.ts';
import { notifyGateway } from '../../_data/gateway.ts';
import { requireActionSession } from '../../_data/session.ts';
import type { ActionResult } from '../../_lib/action-result.ts';

const ZRestore = z.object({ revisionId: z.coerce.number().int().positive('no such revision') });

export async function restoreRevisionAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZRestore.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const { revisionId } = parsed.data;
  const restored = await restoreRevision(getDataDir(), revisionId, auth.session.user.name);
  if (!restored.ok) return { ok: false, error: restored.errors.join('; ') };
  revalidatePath('/history');
  if (restored.revisionId === null) return { ok: true, message: `the policy already is as revision ${revisionId} left it: nothing to restore` };
  const gateway = await notifyGateway();
  const taken = gateway.running ? `the gateway runs revision ${gateway.revision}` : `the gateway will take it when it runs (${gateway.error})`;
  return { ok: true, message: `restored as revision ${restored.revisionId}; ${taken}` };
}
