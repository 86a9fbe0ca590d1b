'use server';
/** Sign out: the session row is removed on the server, then the cookie. */
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { endConsoleSession, SESSION_COOKIE } from '../../server/accounts/console-session.ts';
import { getDataDir, getPrisma } from '../_data/db.ts';

export async function signOut(): Promise<void> {
  const jar = await cookies();
  await endConsoleSession(getPrisma(), getDataDir(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  redirect('/login');
}
