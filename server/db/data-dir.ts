/**
 * The data folder: the SQLite database, the queue and the maillog live under it.
 * Reads: PORTCULLIS_DATA (default ./data, relative to the working directory).
 */
import path from 'node:path';

/** resolveDataDir - the absolute data folder; an explicit argument beats PORTCULLIS_DATA. */
export function resolveDataDir(explicit?: string): string {
  return path.resolve(/*turbopackIgnore: true*/ explicit ?? process.env.PORTCULLIS_DATA ?? 'data');
}

/** databasePath - where the embedded SQLite database of a data folder lives. */
export function databasePath(dataDir: string): string {
  return path.join(dataDir, 'portcullis.db');
}
