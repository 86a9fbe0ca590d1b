/**
 * Prisma CLI configuration: SQLite through the better-sqlite3 driver adapter and the WASM
 * schema engine, so migrations run with no native engine download (shared/facts.md).
 * Reads: PORTCULLIS_DATA (data folder, default ./data) or DATABASE_URL.
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

const dataDir = path.resolve(process.env.PORTCULLIS_DATA ?? 'data');
const url = process.env.DATABASE_URL ?? `file:${path.join(dataDir, 'portcullis.db')}`;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
