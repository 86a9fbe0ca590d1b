/**
 * Console sessions: a random token in an httpOnly, SameSite=Strict cookie, signed with
 * HMAC-SHA256 under the data folder's console.key (mode 0600, made on first use), and kept in
 * the database as its SHA-256 with an expiry, so sessions can be ended from the server (sign
 * out, password change, disabled account) and a copy of the database signs nobody in.
 * Exports SESSION_COOKIE, SESSION_LIFETIME_MS, createConsoleSession, findConsoleSession,
 * endConsoleSession, ConsoleSessionView.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '../db/client.ts';
import { isConsoleRole, type ConsoleRole } from './console-role.ts';

export const SESSION_COOKIE = 'portcullis_session';
export const SESSION_LIFETIME_MS = 12 * 3600_000;

/** Who a valid cookie belongs to. */
export interface ConsoleSessionView {
  sessionId: string;  // SHA-256 of the token, the row's id
  expiresAt: Date;
  user: { id: number; name: string; role: ConsoleRole };
}

// The signing key, made once per data folder; never logged, never sent anywhere.
function consoleKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'console.key');
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file);
}

function sign(dataDir: string, token: string): string {
  return crypto.createHmac('sha256', consoleKey(dataDir)).update(token).digest('base64url');
}

function sessionId(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

// The token of a cookie whose signature holds, else null.
function verifiedToken(dataDir: string, cookie: string): string | null {
  const dot = cookie.indexOf('.');
  if (dot <= 0) return null;
  const token = cookie.slice(0, dot);
  const given = Buffer.from(cookie.slice(dot + 1));
  const expected = Buffer.from(sign(dataDir, token));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? token : null;
}

/** createConsoleSession - a new session for the user: the cookie value and when it expires. */
export async function createConsoleSession(
  prisma: PrismaClient, dataDir: string, userId: number, now = new Date(),
): Promise<{ cookie: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await prisma.$transaction([
    prisma.consoleSession.deleteMany({ where: { expiresAt: { lt: now } } }),
    prisma.consoleSession.create({ data: { id: sessionId(token), userId, expiresAt }, select: { id: true } }),
    prisma.consoleUser.update({ where: { id: userId }, data: { lastLoginAt: now }, select: { id: true } }),
  ]);
  return { cookie: `${token}.${sign(dataDir, token)}`, expiresAt };
}

/** findConsoleSession - the session of a cookie; null when unsigned, unknown, expired or disabled. */
export async function findConsoleSession(
  prisma: PrismaClient, dataDir: string, cookie: string | undefined, now = new Date(),
): Promise<ConsoleSessionView | null> {
  const token = cookie ? verifiedToken(dataDir, cookie) : null;
  if (token === null) return null;
  const row = await prisma.consoleSession.findUnique({
    where: { id: sessionId(token) },
    select: { id: true, expiresAt: true, user: { select: { id: true, name: true, role: true, disabled: true } } },
  });
  if (!row || row.expiresAt <= now || row.user.disabled || !isConsoleRole(row.user.role)) return null;
  return { sessionId: row.id, expiresAt: row.expiresAt, user: { id: row.user.id, name: row.user.name, role: row.user.role } };
}

/** endConsoleSession - sign out: the row goes, so the cookie is worthless even if kept. */
export async function endConsoleSession(prisma: PrismaClient, dataDir: string, cookie: string | undefined): Promise<void> {
  const token = cookie ? verifiedToken(dataDir, cookie) : null;
  if (token !== null) await prisma.consoleSession.deleteMany({ where: { id: sessionId(token) } });
}
