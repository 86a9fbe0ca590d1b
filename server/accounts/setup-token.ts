/**
 * The first administrator: while no account exists, `portcullis start` makes a one-time setup
 * token (valid SETUP_TOKEN_LIFETIME_MS, kept as a SHA-256) and prints the console link that
 * carries it; redeeming it creates the first admin and ends every token. Once an account
 * exists no token is made or honoured. Exports issueSetupToken, redeemSetupToken, isSetupTokenValid.
 */
import crypto from 'node:crypto';
import type { PrismaClient } from '../db/client.ts';
import { addConsoleUser, type AccountChange } from './console-users.ts';

const SETUP_TOKEN_LIFETIME_MS = 24 * 3600_000;

function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** issueSetupToken - a fresh token when there is no account yet (older ones end), else null. */
export async function issueSetupToken(prisma: PrismaClient, now = new Date()): Promise<string | null> {
  if ((await prisma.consoleUser.count()) > 0) return null;
  const token = crypto.randomBytes(24).toString('base64url');
  await prisma.$transaction([
    prisma.consoleSetupToken.deleteMany({}),
    prisma.consoleSetupToken.create({ data: { tokenHash: tokenHash(token), expiresAt: new Date(now.getTime() + SETUP_TOKEN_LIFETIME_MS) }, select: { id: true } }),
  ]);
  return token;
}

/** isSetupTokenValid - the token is current and no account exists yet. */
export async function isSetupTokenValid(prisma: PrismaClient, token: string, now = new Date()): Promise<boolean> {
  if (!token || (await prisma.consoleUser.count()) > 0) return false;
  const row = await prisma.consoleSetupToken.findUnique({ where: { tokenHash: tokenHash(token) }, select: { expiresAt: true } });
  return row !== null && row.expiresAt > now;
}

/** redeemSetupToken - create the first administrator with a valid token; the token is spent. */
export async function redeemSetupToken(
  prisma: PrismaClient, token: string, input: { name: string; password: string },
): Promise<AccountChange> {
  if (!(await isSetupTokenValid(prisma, token))) {
    return { ok: false, error: 'this setup link is no longer valid: an account exists already, or the link expired (restart the gateway for a new one)' };
  }
  const added = await addConsoleUser(prisma, { name: input.name, role: 'admin', password: input.password });
  if (added.ok) await prisma.consoleSetupToken.deleteMany({});
  return added;
}
