/** A migrated SQLite file in a temporary folder and a Prisma client over it, for the accounts tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { createPrismaClient, type PrismaClient } from '../../../server/db/client.ts';
import { databasePath } from '../../../server/db/data-dir.ts';

export async function withAccountsDatabase(t: { after(fn: () => Promise<void> | void): void }): Promise<{ prisma: PrismaClient; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-accounts-'));
  applyMigrations(databasePath(dataDir));
  const prisma = createPrismaClient(dataDir);
  t.after(async () => {
    await prisma.$disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { prisma, dataDir };
}
