/** `portcullis migrate`: apply pending database migrations (the gateway also does at start). */
import { applyMigrations } from '../db/migrate.ts';
import { databasePath } from '../db/data-dir.ts';
import type { CliIo } from './cli-io.ts';

export async function runMigrate(argv: string[], io: CliIo): Promise<number> {
  if (argv.length) {
    io.stderr(`portcullis: fatal: migrate takes no arguments\n`);
    return 1;
  }
  try {
    const r = applyMigrations(databasePath(io.dataDir));
    io.stdout(r.applied.length ? `applied: ${r.applied.join(', ')}\n` : 'database is up to date\n');
    return 0;
  } catch (err) {
    io.stderr(`portcullis: fatal: ${(err as Error).message}\n`);
    return 1;
  }
}
