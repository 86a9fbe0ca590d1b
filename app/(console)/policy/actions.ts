'use server';
/**
 * Policy page actions. checkPolicyDraftAction is read-only (any signed-in user): what saving
 * the draft would be refused for, by the registry and the gateway's compiler in strict mode,
 * each error placed at its list and step. savePolicyAction (admin only) stores the changed
 * lists, classes and smtpd_delay_reject as one policy revision whose actor is the signed-in
 * user, then makes the gateway take it and says which revision it runs.
 */
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { canChangePolicy } from '../../../server/accounts/console-role.ts';
import { checkParameters, setParameters } from '../../../server/config/parameter-store.ts';
import { getParameterDefinition } from '../../../server/config/parameters.ts';
import { configurationCheck } from '../../../server/gateway/check-configuration.ts';
import { RESTRICTION_LIST_PARAMETERS } from '../../../server/policy/policy.ts';
import { getDataDir, getPrisma } from '../../_data/db.ts';
import { notifyGateway } from '../../_data/gateway.ts';
import { locateConfigurationErrors, type LocatedError } from '../../_data/policy.ts';
import { requireActionSession } from '../../_data/session.ts';
import type { ActionResult } from '../../_lib/action-result.ts';

// What this page edits: the lists, the classes (any name the registry does not have, which
// the store refuses unless smtpd_restriction_classes declares it) and the two knobs beside them.
const isPolicyParameter = (name: string): boolean =>
  (RESTRICTION_LIST_PARAMETERS as readonly string[]).includes(name) ||
  name === 'smtpd_delay_reject' || name === 'smtpd_restriction_classes' || getParameterDefinition(name) === undefined;

const ZPolicyValues = z.record(
  z.string().regex(/^[A-Za-z0-9_]+$/, 'bad parameter name').refine(isPolicyParameter, 'not a restriction list'),
  z.string().max(100_000),
);
const ZSavePolicy = z.object({ values: z.string() });

export type PolicyCheck = { ok: true; errors: LocatedError[] } | { ok: false; error: string };

/** checkPolicyDraftAction - the errors saving these values would give, without saving. */
export async function checkPolicyDraftAction(values: Record<string, string>): Promise<PolicyCheck> {
  const auth = await requireActionSession(null);
  if (!auth.ok) return auth;
  const parsed = ZPolicyValues.safeParse(values);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  if (Object.keys(parsed.data).length === 0) return { ok: true, errors: [] };
  const errors = await checkParameters(getPrisma(), parsed.data, configurationCheck(getDataDir()));
  return { ok: true, errors: locateConfigurationErrors(errors) };
}

/** savePolicyAction - one setParameters call for every changed value, then a gateway reload. */
export async function savePolicyAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const outer = ZSavePolicy.safeParse(Object.fromEntries(form));
  if (!outer.success) return { ok: false, error: 'nothing to save' };
  let json: unknown;
  try {
    json = JSON.parse(outer.data.values);
  } catch {
    return { ok: false, error: 'nothing to save' };
  }
  const parsed = ZPolicyValues.safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
  if (Object.keys(parsed.data).length === 0) return { ok: true, message: 'Nothing changed.' };
  const r = await setParameters(getPrisma(), parsed.data, auth.session.user.name, undefined, configurationCheck(getDataDir()));
  if (!r.ok) {
    const first = locateConfigurationErrors(r.errors)[0];
    return { ok: false, error: `not saved: ${first.parameter ? `${first.parameter}: ` : ''}${first.text}`, field: first.parameter ?? undefined };
  }
  if (r.revisionId === null) return { ok: true, message: 'Nothing changed: the stored policy already says this.' };
  const gateway = await notifyGateway();
  revalidatePath('/policy');
  return {
    ok: true,
    message: gateway.running
      ? `Saved as revision ${r.revisionId}; the gateway now runs revision ${gateway.revision}.`
      : `Saved as revision ${r.revisionId}; the gateway is not reachable (${gateway.error}) and takes it when it starts.`,
  };
}
