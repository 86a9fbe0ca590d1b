/**
 * Hit counts of stored table entries, in memory: every lookup that a stored table answers
 * found (an access table's key, a cidr network, a header_checks pattern ...) counts one hit and
 * the time for the entry as stored, until the recorder writes them (traffic-store.ts); the
 * console's Tables page shows them beside each entry.
 * Exports: TableHitCount, TableHitRow, TableHits, createTableHits, countTableHits.
 * Reads no parameters. On the SMTP path a hit is one Map update; a miss costs nothing more
 * than the lookup.
 */
import type { LookupTable } from '../maps/lookup-table.ts';
import { observeLookups } from '../maps/observe-lookups.ts';

export interface TableHitCount {
  hits: number;     // since the last take
  lastHit: number;  // epoch milliseconds
}

export interface TableHitRow {
  readonly tableName: string; // the stored table's name (`access`, not `hash:access`)
  readonly key: string;       // the entry's key as stored
  readonly hits: number;
  readonly lastHit: number;   // epoch milliseconds
}

export interface TableHits {
  /** entriesOf - the live counts of one table, for its counting wrapper to update. */
  entriesOf(tableName: string): Map<string, TableHitCount>;
  /** take - every count since the last take, as rows; the counts start again at zero. */
  take(): TableHitRow[];
  /** restore - put rows that could not be written back, to go with the next take. */
  restore(rows: readonly TableHitRow[]): void;
}

/** createTableHits - no hits yet. */
export function createTableHits(): TableHits {
  const tables = new Map<string, Map<string, TableHitCount>>();
  const entriesOf = (tableName: string): Map<string, TableHitCount> => {
    let entries = tables.get(tableName);
    if (entries === undefined) tables.set(tableName, (entries = new Map()));
    return entries;
  };
  return {
    entriesOf,
    take() {
      const rows: TableHitRow[] = [];
      // The maps are emptied in place: the counting wrappers hold them.
      for (const [tableName, entries] of tables) {
        for (const [key, c] of entries) rows.push({ tableName, key, hits: c.hits, lastHit: c.lastHit });
        entries.clear();
      }
      return rows;
    },
    restore(rows) {
      for (const r of rows) {
        const entries = entriesOf(r.tableName);
        const c = entries.get(r.key);
        if (c === undefined) entries.set(r.key, { hits: r.hits, lastHit: r.lastHit });
        else {
          c.hits += r.hits;
          c.lastHit = Math.max(c.lastHit, r.lastHit);
        }
      }
    },
  };
}

/**
 * countTableHits - the stored table `tableName` with its found answers counted: `lineKeys`
 * gives the stored key of each source line, as the table's found results name their line.
 * A found result without a line (a table type that does not say) is not counted.
 */
export function countTableHits(table: LookupTable, tableName: string, lineKeys: readonly string[], hits: TableHits): LookupTable {
  const entries = hits.entriesOf(tableName);
  return observeLookups(table, (_key, result) => {
    if (result.status !== 'found' || result.line === undefined) return;
    const stored = lineKeys[result.line - 1];
    if (stored === undefined) return;
    const c = entries.get(stored);
    if (c === undefined) entries.set(stored, { hits: 1, lastHit: Date.now() });
    else {
      c.hits++;
      c.lastHit = Date.now();
    }
  });
}
