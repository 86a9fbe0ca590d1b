/**
 * The console's one Prisma client and data folder (PORTCULLIS_DATA, set by `portcullis start`),
 * kept for the life of the process. Server-only: the data layer and actions use it, pages do not.
 */
import 'server-only';
import { createPrismaClient, type PrismaClient } from '../../server/db/client.ts';
import { resolveDataDir } from '../../server/db/data-dir.ts';

const kept = globalThis as unknown as { portcullisPrisma?: PrismaClient };

/** getDataDir - the data folder the gateway beside this console uses. */
export function getDataDir(): string {
  return resolveDataDir();
}

/** getPrisma - the process's client over the data folder's database. */
export function getPrisma(): PrismaClient {
  kept.portcullisPrisma ??= createPrismaClient(getDataDir());
  return kept.portcullisPrisma;
}
