/**
 * A data folder holding a stored policy and nothing running: a migrated SQLite file in a
 * temporary folder, tables stored through the table store and parameters through the
 * parameter store (each a policy revision, as `postmap`-style imports and `postconf -e` make
 * them). For tests of what reads the stored policy (simulator, history) without a gateway.
 * Exports: PolicyDataFolder, createPolicyDataFolder, storeTable.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../server/db/migrate.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { databasePath } from '../../server/db/data-dir.ts';
import { setParameters } from '../../server/config/parameter-store.ts';
import { openTableStore, splitTableLine, type TableKind } from '../../server/maps/table-store.ts';
import { readPostmapLines } from '../../server/maps/postmap-source.ts';

export interface PolicyDataFolder {
  dataDir: string;
  remove(): void;
}

/** createPolicyDataFolder - tables first (one revision each), then the parameters (one revision). */
export async function createPolicyDataFolder(
  parameters: Record<string, string>,
  tables: Record<string, { kind: TableKind; source: string }> = {},
): Promise<PolicyDataFolder> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-policy-'));
  applyMigrations(databasePath(dataDir));
  for (const [name, { kind, source }] of Object.entries(tables)) storeTable(dataDir, name, kind, source);
  if (Object.keys(parameters).length) {
    const prisma = createPrismaClient(dataDir);
    try {
      const r = await setParameters(prisma, parameters, 'test');
      if (!r.ok) throw new Error(`test parameters refused: ${JSON.stringify(r.errors)}`);
    } finally {
      await prisma.$disconnect();
    }
  }
  return { dataDir, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** storeTable - replace a stored table with postmap source text; answers the revision written. */
export function storeTable(dataDir: string, name: string, kind: TableKind, source: string, actor = 'test'): number | null {
  const store = openTableStore(dataDir);
  try {
    const { lines } = readPostmapLines(source, name);
    const r = store.replace(name, kind, lines.map((l) => splitTableLine(kind, l.text)), actor);
    if (!r.ok) throw new Error(`test table ${name} refused: ${r.errors.join('; ')}`);
    return r.revisionId;
  } finally {
    store.close();
  }
}
