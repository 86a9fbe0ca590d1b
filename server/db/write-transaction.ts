/**
 * A Prisma transaction that reads and then writes, against a database other processes write to
 * at any moment (the gateway's traffic counters, table hits, transcripts, another postconf).
 * Prisma opens SQLite transactions deferred, and in WAL mode SQLite refuses the first write of a
 * transaction whose snapshot is older than the last commit (SQLITE_BUSY_SNAPSHOT): waiting cannot
 * mend that, so the whole transaction runs again, reading the new data. The table store takes
 * its write lock up front instead (better-sqlite3's immediate transactions).
 * Exports writeTransaction.
 */
import type { PrismaClient } from './client.ts';

const ATTEMPTS = 5;

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** writeTransaction - fn in one transaction, run again (at most ATTEMPTS times) while its snapshot is stale. */
export async function writeTransaction<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(fn);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isStaleSnapshot(error)) throw error;
    }
  }
}

// SQLITE_BUSY_SNAPSHOT as the driver adapter reports it, or Prisma's own write-conflict code.
function isStaleSnapshot(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY_SNAPSHOT' || code === 'P2034';
}
