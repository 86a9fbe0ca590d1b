'use server';
/**
 * Parameters page actions (admin only): set one parameter, checked by the registry and by the
 * gateway's compiler as `postconf -e` is, or revert it to its default as `postconf -X` does.
 * Each change is a policy revision with the signed-in user as actor; the gateway is told to
 * take it at once.
 */
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { canChangePolicy } from '../../../server/accounts/console-role.ts';
import { revertParameters, setParameters, type ParameterChange } from '../../../server/config/parameter-store.ts';
import { getParameterDefinition } from '../../../server/config/parameters.ts';
import { configurationCheck } from '../../../server/gateway/check-configuration.ts';
import { getDataDir, getPrisma } from '../../_data/db.ts';
import { notifyGateway } from '../../_data/gateway.ts';
import { requireActionSession } from '../../_data/session.ts';
import type { ActionResult } from '../../_lib/action-result.ts';

const ZParameterName = z.string().refine((name) => getParameterDefinition(name) !== undefined, 'unknown parameter name');
const ZSetParameter = z.object({ name: ZParameterName, value: z.string().max(100_000) });
const ZRevertParameter = z.object({ name: ZParameterName });

/** setParameterAction - store one value; refused values come back as the error of the value field. */
export async function setParameterAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZSetParameter.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message, field: 'value' };
  const { name, value } = parsed.data;
  const r = await setParameters(getPrisma(), { [name]: value }, auth.session.user.name, undefined, configurationCheck(getDataDir()));
  return finish(r, name, 'saved');
}

/** revertParameterAction - back to the default (the stored row goes). */
export async function revertParameterAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZRevertParameter.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  const { name } = parsed.data;
  const r = await revertParameters(getPrisma(), [name], auth.session.user.name, undefined, configurationCheck(getDataDir()));
  return finish(r, name, 'back to its default');
}

async function finish(r: ParameterChange, name: string, what: string): Promise<ActionResult> {
  if (!r.ok) return { ok: false, error: r.errors[0].error, field: 'value' };
  if (r.revisionId === null) return { ok: true, message: `${name}: nothing changed` };
  const gateway = await notifyGateway();
  revalidatePath('/parameters');
  return {
    ok: true,
    message: gateway.running
      ? `${name} ${what} as revision ${r.revisionId}; the gateway now runs revision ${gateway.revision}.`
      : `${name} ${what} as revision ${r.revisionId}; the gateway is not reachable (${gateway.error}) and takes it when it starts.`,
  };
}
