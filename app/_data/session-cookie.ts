/** Setting the session cookie after a sign-in: httpOnly, SameSite=Strict, expiring with the session, Secure over HTTPS. */
import 'server-only';
import { cookies, headers } from 'next/headers';
import { SESSION_COOKIE } from '../../server/accounts/console-session.ts';

export async function setSessionCookie(value: string, expiresAt: Date): Promise<void> {
  const h = await headers();
  const secure = h.get('x-forwarded-proto') === 'https';
  (await cookies()).set(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: expiresAt });
}

/** The client address of this request as the console's own server saw it (for throttling). */
export async function getClientAddress(): Promise<string> {
  const h = await headers();
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
}
