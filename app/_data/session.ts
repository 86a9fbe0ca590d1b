/**
 * The console's session checks, server-side, for pages, actions and route handlers alike:
 * the signed cookie is verified and looked up in the database on every request; the role's
 * permission comes from server/accounts/console-role.ts. The client is never trusted.
 * Exports getSession, requirePageSession, requireActionSession, Permission.
 */
import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { findConsoleSession, SESSION_COOKIE, type ConsoleSessionView } from '../../server/accounts/console-session.ts';
import type { ConsoleRole } from '../../server/accounts/console-role.ts';
import { getDataDir, getPrisma } from './db.ts';

/** A permission predicate of console-role.ts, or null for "any signed-in user". */
export type Permission = ((role: ConsoleRole) => boolean) | null;

/** getSession - the signed-in user of this request, or null. */
export async function getSession(): Promise<ConsoleSessionView | null> {
  const jar = await cookies();
  return findConsoleSession(getPrisma(), getDataDir(), jar.get(SESSION_COOKIE)?.value);
}

/** requirePageSession - the session, or a redirect to the sign-in page; a role without the permission gets `forbidden: true`. */
export async function requirePageSession(permission: Permission = null): Promise<ConsoleSessionView & { forbidden: boolean }> {
  const session = await getSession();
  if (!session) redirect('/login');
  return { ...session, forbidden: permission !== null && !permission(session.user.role) };
}

/** requireActionSession - the session allowed to do this, or the refusal to return as the action's result. */
export async function requireActionSession(
  permission: Permission,
): Promise<{ ok: true; session: ConsoleSessionView } | { ok: false; error: string }> {
  const session = await getSession();
  if (!session) return { ok: false, error: 'your session has ended: sign in again' };
  if (permission !== null && !permission(session.user.role)) {
    return { ok: false, error: `forbidden: the ${session.user.role} role may not do this` };
  }
  return { ok: true, session };
}
