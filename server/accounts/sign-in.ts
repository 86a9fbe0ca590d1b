/**
 * Sign-in to the console: throttled, constant work whether or not the account exists, and one
 * answer for every failure ("wrong user name or password") so names cannot be probed.
 * Exports signIn, SignInResult.
 */
import type { PrismaClient } from '../db/client.ts';
import { verifyPassword } from './password-hash.ts';
import { checkLoginThrottle, recordLoginFailure } from './login-throttle.ts';
import { createConsoleSession } from './console-session.ts';

export type SignInResult = { ok: true; cookie: string; expiresAt: Date } | { ok: false; error: string };

// A real hash of nothing anyone knows: unknown names cost as much as wrong passwords.
const DECOY_HASH = 'scrypt$32768$8$1$ZGVjb3ktc2FsdC0xMjM0NQ$Kq1x1n0fYJ8iYbQ6m2pXy2fZr8m7Vd3rU0cJw1oQe4A';

/** signIn - a session cookie for a right name and password, else why not. */
export async function signIn(
  prisma: PrismaClient, dataDir: string, input: { name: string; password: string; address: string },
): Promise<SignInResult> {
  const throttled = await checkLoginThrottle(prisma, input.name, input.address);
  if (throttled) {
    const minutes = Math.ceil(throttled.retryAfterSeconds / 60);
    return { ok: false, error: `too many failed sign-ins: try again in ${minutes} minute${minutes === 1 ? '' : 's'}` };
  }
  const user = await prisma.consoleUser.findUnique({ where: { name: input.name }, select: { id: true, passwordHash: true, disabled: true } });
  const matches = await verifyPassword(input.password, user?.passwordHash ?? DECOY_HASH);
  if (!user || !matches || user.disabled) {
    await recordLoginFailure(prisma, input.name, input.address);
    return { ok: false, error: user?.disabled && matches ? 'this account is disabled' : 'wrong user name or password' };
  }
  const session = await createConsoleSession(prisma, dataDir, user.id);
  return { ok: true, ...session };
}
