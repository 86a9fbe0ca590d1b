/**
 * Sign-in throttling: after LOGIN_FAILURES_PER_NAME failed sign-ins for one account name, or
 * LOGIN_FAILURES_PER_ADDRESS from one client address, within the window, further attempts are
 * refused until the oldest failure leaves the window. Failures are rows, so the limit holds
 * across console restarts. Exports checkLoginThrottle, recordLoginFailure.
 */
import type { PrismaClient } from '../db/client.ts';

const WINDOW_MS = 15 * 60_000;
const LOGIN_FAILURES_PER_NAME = 5;
const LOGIN_FAILURES_PER_ADDRESS = 20;

/** checkLoginThrottle - null when an attempt may go ahead, else how long to wait. */
export async function checkLoginThrottle(
  prisma: PrismaClient, name: string, address: string, now = new Date(),
): Promise<{ retryAfterSeconds: number } | null> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const limits = [
    { where: { name, at: { gt: since } }, limit: LOGIN_FAILURES_PER_NAME },
    { where: { address, at: { gt: since } }, limit: LOGIN_FAILURES_PER_ADDRESS },
  ];
  for (const { where, limit } of limits) {
    const recent = await prisma.consoleLoginFailure.findMany({ where, select: { at: true }, orderBy: { at: 'desc' }, take: limit });
    if (recent.length >= limit) {
      const oldest = recent[recent.length - 1].at.getTime();
      return { retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now.getTime()) / 1000)) };
    }
  }
  return null;
}

/** recordLoginFailure - count one failure; rows older than the window are dropped on the way. */
export async function recordLoginFailure(prisma: PrismaClient, name: string, address: string, now = new Date()): Promise<void> {
  await prisma.$transaction([
    prisma.consoleLoginFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - WINDOW_MS) } } }),
    prisma.consoleLoginFailure.create({ data: { name, address, at: now }, select: { id: true } }),
  ]);
}
