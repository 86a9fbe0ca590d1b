/**
 * Applies prisma/migrations to the embedded SQLite database, recording each in Prisma's own
 * `_prisma_migrations` table with the same checksum, so `prisma migrate deploy` and this
 * agree on what is applied. The gateway runs it at start-up and `portcullis migrate` on demand:
 * an appliance has no Prisma CLI engine to call (shared/facts.md).
 * Throws MIGRATION_FAILED with the migration's name when a script fails; that migration's
 * changes are rolled back and later ones are not attempted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface MigrationResult {
  applied: string[]; // names applied by this call, in order
  pending: number;   // always 0 after success; kept for status output
}

/** listMigrations - migration folder names in the order Prisma applies them (lexical). */
export function listMigrations(dir = MIGRATIONS_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

/** applyMigrations - bring the database file up to date; creates the file and its folder. */
export function applyMigrations(dbFile: string, dir = MIGRATIONS_DIR): MigrationResult {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true, mode: 0o750 });
  const db = new Database(dbFile);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const done = new Set(
      (db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as { migration_name: string }[])
        .map((r) => r.migration_name),
    );
    const applied: string[] = [];
    for (const name of listMigrations(dir)) {
      if (done.has(name)) continue;
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = crypto.createHash('sha256').update(sql).digest('hex');
      const started = new Date().toISOString();
      try {
        db.transaction(() => {
          db.exec(sql);
          db.prepare(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
                      VALUES (?, ?, ?, ?, ?, 1)`).run(crypto.randomUUID(), checksum, new Date().toISOString(), name, started);
        })();
      } catch (err) {
        const e = new Error(`MIGRATION_FAILED: ${name}: ${(err as Error).message}`);
        (e as Error & { code: string }).code = 'MIGRATION_FAILED';
        throw e;
      }
      applied.push(name);
    }
    return { applied, pending: 0 };
  } finally {
    db.close();
  }
}
