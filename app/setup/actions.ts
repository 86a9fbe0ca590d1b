'use server';
/** The first administrator, made with the one-time link `portcullis start` printed; then signed in. */
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { redeemSetupToken } from '../../server/accounts/setup-token.ts';
import { signIn } from '../../server/accounts/sign-in.ts';
import { getDataDir, getPrisma } from '../_data/db.ts';
import { getClientAddress, setSessionCookie } from '../_data/session-cookie.ts';
import type { ActionResult } from '../_lib/action-result.ts';

const ZSetup = z.object({
  token: z.string().min(1),
  name: z.string().trim().min(1, 'choose a user name').max(64),
  password: z.string().max(1024),
  again: z.string().max(1024),
});

export async function setupAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = ZSetup.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: issue.message, field: String(issue.path[0]) };
  }
  const { token, name, password, again } = parsed.data;
  if (password !== again) return { ok: false, error: 'the two passwords differ', field: 'again' };
  const prisma = getPrisma();
  const made = await redeemSetupToken(prisma, token, { name, password });
  if (!made.ok) return made;
  const session = await signIn(prisma, getDataDir(), { name, password, address: await getClientAddress() });
  if (!session.ok) return { ok: false, error: session.error };
  await setSessionCookie(session.cookie, session.expiresAt);
  redirect('/');
}
