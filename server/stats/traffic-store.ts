/**
 * Writing the traffic counters and table hit counts to the database (traffic_count,
 * traffic_total and table_hit in prisma/schema.prisma): one small transaction per batch, and
 * pruning by traffic_statistics_retention_time.
 * Exports: TrafficStore, openTrafficStore, sqliteTime.
 * Throws what better-sqlite3 throws (a locked or broken database); the recorder turns that into
 * a warning and keeps the batch. Writes go through better-sqlite3, as the other batched writers
 * of the gateway do: a batch is a few hundred rows, upserted.
 */
import Database from 'better-sqlite3';
import type { TrafficRow } from './traffic-counters.ts';
import type { TableHitRow } from './table-hits.ts';

export interface TrafficStore {
  /** write - add the rows to their minutes and totals, and the hits to their entries, in one transaction. */
  write(rows: readonly TrafficRow[], hits: readonly TableHitRow[], now?: Date): void;
  /** prune - remove minutes older than the retention and hit counts of tables no longer stored; answers rows removed. */
  prune(retentionSeconds: number, now?: Date): number;
  close(): void;
}

// A writer that waits longer than this for a lock gives up and keeps its batch for the next
// turn: better-sqlite3 waits on the event loop, which the SMTP sessions share.
const BUSY_TIMEOUT_MS = 100;

/** openTrafficStore - open the database file (migrated already). */
export function openTrafficStore(dbFile: string): TrafficStore {
  const db = new Database(dbFile, { fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const addCount = db.prepare(`INSERT INTO traffic_count (minute, counter, label, value) VALUES (?, ?, ?, ?)
    ON CONFLICT (minute, counter, label) DO UPDATE SET value = value + excluded.value`);
  const setCount = db.prepare(`INSERT INTO traffic_count (minute, counter, label, value) VALUES (?, ?, ?, ?)
    ON CONFLICT (minute, counter, label) DO UPDATE SET value = excluded.value`);
  const addTotal = db.prepare(`INSERT INTO traffic_total (counter, label, value, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (counter, label) DO UPDATE SET value = value + excluded.value, updated_at = excluded.updated_at`);
  const setTotal = db.prepare(`INSERT INTO traffic_total (counter, label, value, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (counter, label) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
    WHERE excluded.updated_at >= traffic_total.updated_at`);
  const addHit = db.prepare(`INSERT INTO table_hit (table_name, key, hits, last_hit_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (table_name, key) DO UPDATE SET hits = hits + excluded.hits,
      last_hit_at = max(last_hit_at, excluded.last_hit_at)`);
  const write = db.transaction((rows: readonly TrafficRow[], hits: readonly TableHitRow[], now: Date) => {
    for (const r of rows) {
      (r.gauge ? setCount : addCount).run(r.minute, r.counter, r.label, r.value);
      // Per-client rejects stay in the minutes only: one Prometheus series per address would not do.
      if (r.counter === 'client_rejects') continue;
      if (r.gauge) setTotal.run(r.counter, r.label, r.value, sqliteTime(new Date(r.minute * 60_000)));
      else addTotal.run(r.counter, r.label, r.value, sqliteTime(now));
    }
    for (const h of hits) addHit.run(h.tableName, h.key, h.hits, sqliteTime(new Date(h.lastHit)));
  });
  return {
    write(rows, hits, now = new Date()) {
      if (rows.length || hits.length) write(rows, hits, now);
    },
    prune(retentionSeconds, now = new Date()) {
      const oldest = Math.floor((now.getTime() - retentionSeconds * 1000) / 60_000);
      let removed = db.prepare('DELETE FROM traffic_count WHERE minute < ?').run(oldest).changes;
      removed += db.prepare('DELETE FROM table_hit WHERE table_name NOT IN (SELECT name FROM lookup_table)').run().changes;
      return removed;
    },
    close() {
      db.close();
    },
  };
}

/** sqliteTime - a DateTime as Prisma writes it to SQLite, so both read it back the same. */
export function sqliteTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}
