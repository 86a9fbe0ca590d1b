'use server';
/** Sign in: throttled and checked by server/accounts/sign-in.ts; a success sets the cookie and opens the console. */
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { signIn } from '../../server/accounts/sign-in.ts';
import { getDataDir, getPrisma } from '../_data/db.ts';
import { getClientAddress, setSessionCookie } from '../_data/session-cookie.ts';
import type { ActionResult } from '../_lib/action-result.ts';

const ZSignIn = z.object({
  name: z.string().trim().min(1, 'enter your user name').max(64),
  password: z.string().min(1, 'enter your password').max(1024),
  next: z.string().optional(),
});

export async function signInAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = ZSignIn.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: issue.message, field: String(issue.path[0]) };
  }
  const result = await signIn(getPrisma(), getDataDir(), { name: parsed.data.name, password: parsed.data.password, address: await getClientAddress() });
  if (!result.ok) return { ok: false, error: result.error };
  await setSessionCookie(result.cookie, result.expiresAt);
  // Only paths of this console: an absolute or protocol-relative URL would send the user away.
  const next = parsed.data.next && /^\/(?!\/)[^\s\\]*$/.test(parsed.data.next) ? parsed.data.next : '/';
  redirect(next);
}
