'use server';
/**
 * Users page actions (admin only): add, change role, disable or enable, reset password. Each
 * parses its form, checks the session and role on the server, and calls server/accounts.
 */
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { canManageUsers } from '../../../server/accounts/console-role.ts';
import {
  addConsoleUser, setConsoleUserDisabled, setConsoleUserPassword, setConsoleUserRole,
} from '../../../server/accounts/console-users.ts';
import { getPrisma } from '../../_data/db.ts';
import { requireActionSession } from '../../_data/session.ts';
import type { ActionResult } from '../../_lib/action-result.ts';

const ZAddUser = z.object({ name: z.string().trim(), role: z.string(), password: z.string() });
const ZUserRole = z.object({ name: z.string(), role: z.string() });
const ZUserState = z.object({ name: z.string(), disabled: z.enum(['yes', 'no']) });
const ZUserPassword = z.object({ name: z.string(), password: z.string() });

function invalid(error: z.ZodError): ActionResult {
  const issue = error.issues[0];
  return { ok: false, error: issue.message, field: String(issue.path[0]) };
}

export async function addUserAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canManageUsers);
  if (!auth.ok) return auth;
  const parsed = ZAddUser.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const r = await addConsoleUser(getPrisma(), parsed.data);
  if (!r.ok) return r;
  revalidatePath('/users');
  return { ok: true, message: `${parsed.data.role} ${parsed.data.name} added` };
}

export async function setUserRoleAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canManageUsers);
  if (!auth.ok) return auth;
  const parsed = ZUserRole.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const r = await setConsoleUserRole(getPrisma(), parsed.data.name, parsed.data.role);
  if (!r.ok) return r;
  revalidatePath('/users');
  return { ok: true, message: `${parsed.data.name} is now ${parsed.data.role}` };
}

export async function setUserDisabledAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canManageUsers);
  if (!auth.ok) return auth;
  const parsed = ZUserState.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const disabled = parsed.data.disabled === 'yes';
  const r = await setConsoleUserDisabled(getPrisma(), parsed.data.name, disabled);
  if (!r.ok) return r;
  revalidatePath('/users');
  return { ok: true, message: `${parsed.data.name} ${disabled ? 'disabled' : 'enabled'}` };
}

export async function resetUserPasswordAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canManageUsers);
  if (!auth.ok) return auth;
  const parsed = ZUserPassword.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const r = await setConsoleUserPassword(getPrisma(), parsed.data.name, parsed.data.password);
  if (!r.ok) return r;
  revalidatePath('/users');
  return { ok: true, message: `password of ${parsed.data.name} reset; their sessions ended` };
}
