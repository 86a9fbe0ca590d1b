/**
 * The Prisma client over the embedded SQLite database (better-sqlite3 driver adapter).
 * The SMTP hot path never calls it: it reads the compiled snapshot (design.md, "Policy").
 */
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { databasePath } from './data-dir.ts';

export type { PrismaClient };

/** createPrismaClient - a client for the database of a data folder; the caller disconnects it. */
export function createPrismaClient(dataDir: string): PrismaClient {
  const adapter = new PrismaBetterSQLite3({ url: `file:${databasePath(dataDir)}` });
  return new PrismaClient({ adapter });
}
