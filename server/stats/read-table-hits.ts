/**
 * Reading the hit counts of stored table entries, for the console's Tables page: how often the
 * gateway found each key of a page of a table, and when last.
 * Exports: TableEntryHits, readTableHits.
 * Keys are the entries' keys as stored (an exact table's key as written, a cidr network, a
 * regexp or pcre pattern). What the gateway counted in its last ten seconds is not written yet.
 */
import Database from 'better-sqlite3';
import { databasePath } from '../db/data-dir.ts';

export interface TableEntryHits {
  readonly key: string;
  readonly hits: number;               // 0: never found since counting began
  readonly lastHitAt: string | null;   // ISO time of the last hit
}

// Keys per query: well under SQLite's limit of bound parameters.
const KEYS_PER_QUERY = 500;

/** readTableHits - the hits of these keys of a stored table, in the order given; unknown keys answer 0. */
export function readTableHits(dataDir: string, tableName: string, keys: readonly string[]): TableEntryHits[] {
  if (!keys.length) return [];
  const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const found = new Map<string, { hits: number; lastHitAt: string }>();
    for (let at = 0; at < keys.length; at += KEYS_PER_QUERY) {
      const page = keys.slice(at, at + KEYS_PER_QUERY);
      const rows = db.prepare(`SELECT key, hits, last_hit_at AS lastHitAt FROM table_hit
        WHERE table_name = ? AND key IN (${page.map(() => '?').join(', ')})`).all(tableName, ...page) as { key: string; hits: number; lastHitAt: string }[];
      for (const r of rows) found.set(r.key, { hits: r.hits, lastHitAt: new Date(r.lastHitAt).toISOString() });
    }
    return keys.map((key) => ({ key, hits: found.get(key)?.hits ?? 0, lastHitAt: found.get(key)?.lastHitAt ?? null }));
  } finally {
    db.close();
  }
}
