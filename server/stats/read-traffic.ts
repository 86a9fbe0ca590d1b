/**
 * Reading the stored traffic counters for the console's dashboard and /metrics: series over
 * the last hour (per minute), day (per 30 minutes) and week (per 3 hours), totals, rejects by
 * restriction and by stage, the most rejected clients, the current queue sizes, and the
 * never-pruned totals /metrics exports. Plain objects; only the columns asked for are read.
 * Exports: TRAFFIC_RANGES, TrafficRange, SERIES_COUNTERS, SeriesCounter, TrafficSeries,
 * RejectCount, RejectedClient, QueueSizes, TrafficDashboard, TrafficTotalRow, TrafficReader,
 * openTrafficReader, readTrafficDashboard, readTrafficTotals.
 * Content rejects (header_checks, body_checks ...) are listed among the restrictions, at the
 * end-of-data stage, beside smtpd's own rejects. What the gateway counted in its last ten
 * seconds is not written yet and so not seen here.
 */
import Database from 'better-sqlite3';
import { databasePath } from '../db/data-dir.ts';
import { QUEUE_STATES, type QueueState } from '../queue/index.ts';
import { minuteOf, OTHER_CLIENTS, splitRejectLabel, type TrafficCounterName } from './traffic-counters.ts';

/** TRAFFIC_RANGES - how far back each range looks and how wide its buckets are, in minutes. */
export const TRAFFIC_RANGES = {
  hour: { minutes: 60, bucketMinutes: 1 },
  day: { minutes: 1440, bucketMinutes: 30 },
  week: { minutes: 10080, bucketMinutes: 180 },
} as const;

export type TrafficRange = keyof typeof TRAFFIC_RANGES;

/** SERIES_COUNTERS - the counters drawn over time (the labelled ones summed over their labels). */
export const SERIES_COUNTERS = [
  'connections', 'messages_accepted', 'rejects', 'content_rejects', 'recipients_delivered',
  'recipients_deferred', 'recipients_bounced', 'messages_held', 'messages_discarded',
] as const satisfies readonly TrafficCounterName[];

export type SeriesCounter = (typeof SERIES_COUNTERS)[number];

export interface TrafficSeries {
  readonly range: TrafficRange;
  readonly bucketMinutes: number;
  readonly bucketStarts: readonly string[];                        // ISO time each bucket starts, oldest first
  readonly counters: Readonly<Record<SeriesCounter, number[]>>;    // one sum per bucket
  readonly queues: Readonly<Record<QueueState, number[]>>;         // the largest sample per bucket
}

export interface RejectCount {
  readonly stage: string;        // connect, helo, mail, rcpt, data, end-of-data, etrn, vrfy
  readonly restriction: string;  // as written in the list (reject_rbl_client, hash:access ...) or a check's parameter
  readonly count: number;
}

export interface RejectedClient {
  readonly clientAddress: string;
  readonly count: number;
}

export interface QueueSizes {
  readonly sampledAt: string | null;                      // ISO time of the last sample; null before the first
  readonly messages: Readonly<Record<QueueState, number>>;
}

export interface TrafficDashboard {
  readonly series: TrafficSeries;
  readonly totals: Readonly<Record<SeriesCounter, number>>;
  readonly rejects: {
    readonly byStageAndRestriction: readonly RejectCount[];                   // largest first
    readonly byRestriction: readonly { restriction: string; count: number }[]; // largest first
    readonly byStage: readonly { stage: string; count: number }[];             // largest first
  };
  readonly topRejectedClients: readonly RejectedClient[];
  readonly queueSizes: QueueSizes;
}

/** One row of the never-pruned totals: what /metrics exports. */
export interface TrafficTotalRow {
  readonly counter: string;
  readonly label: string;
  readonly value: number;
}

export interface TrafficReader {
  series(range: TrafficRange, now?: Date): TrafficSeries;
  rejects(range: TrafficRange, now?: Date): RejectCount[];
  topRejectedClients(range: TrafficRange, limit: number, now?: Date): RejectedClient[];
  queueSizes(): QueueSizes;
  totals(): TrafficTotalRow[];
  close(): void;
}

/** openTrafficReader - a read-only connection to a data folder's counters (the database must be migrated). */
export function openTrafficReader(dataDir: string): TrafficReader {
  const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return {
    series(range, now = new Date()) {
      const { first, last, bucketMinutes, buckets } = window(range, now);
      const counters = Object.fromEntries(SERIES_COUNTERS.map((c) => [c, new Array<number>(buckets).fill(0)])) as Record<SeriesCounter, number[]>;
      const queues = Object.fromEntries(QUEUE_STATES.map((q) => [q, new Array<number>(buckets).fill(0)])) as Record<QueueState, number[]>;
      const summed = db.prepare(`SELECT CAST((minute - ?) / ? AS INTEGER) AS bucket, counter, SUM(value) AS value FROM traffic_count
        WHERE counter IN (${SERIES_COUNTERS.map(() => '?').join(', ')}) AND minute >= ? AND minute <= ?
        GROUP BY bucket, counter`).all(first, bucketMinutes, ...SERIES_COUNTERS, first, last) as { bucket: number; counter: SeriesCounter; value: number }[];
      for (const r of summed) counters[r.counter][r.bucket] = r.value;
      const sampled = db.prepare(`SELECT CAST((minute - ?) / ? AS INTEGER) AS bucket, label, MAX(value) AS value FROM traffic_count
        WHERE counter = 'queue_messages' AND minute >= ? AND minute <= ?
        GROUP BY bucket, label`).all(first, bucketMinutes, first, last) as { bucket: number; label: string; value: number }[];
      for (const r of sampled) if (r.label in queues) queues[r.label as QueueState][r.bucket] = r.value;
      const bucketStarts = Array.from({ length: buckets }, (_, i) => new Date((first + i * bucketMinutes) * 60_000).toISOString());
      return { range, bucketMinutes, bucketStarts, counters, queues };
    },
    rejects(range, now = new Date()) {
      const { first, last } = window(range, now);
      const rows = db.prepare(`SELECT counter, label, SUM(value) AS count FROM traffic_count
        WHERE counter IN ('rejects', 'content_rejects') AND minute >= ? AND minute <= ?
        GROUP BY counter, label`).all(first, last) as { counter: string; label: string; count: number }[];
      return rows.map((r) => (r.counter === 'rejects'
        ? { ...splitRejectLabel(r.label), count: r.count }
        : { stage: 'end-of-data', restriction: r.label, count: r.count }))
        .sort((a, b) => b.count - a.count || a.restriction.localeCompare(b.restriction));
    },
    topRejectedClients(range, limit, now = new Date()) {
      const { first, last } = window(range, now);
      return (db.prepare(`SELECT label, SUM(value) AS count FROM traffic_count
        WHERE counter = 'client_rejects' AND minute >= ? AND minute <= ? AND label <> ?
        GROUP BY label ORDER BY count DESC, label LIMIT ?`).all(first, last, OTHER_CLIENTS, limit) as { label: string; count: number }[])
        .map((r) => ({ clientAddress: r.label, count: r.count }));
    },
    queueSizes() {
      const rows = db.prepare(`SELECT label, value, updated_at AS updatedAt FROM traffic_total WHERE counter = 'queue_messages'`)
        .all() as { label: string; value: number; updatedAt: string }[];
      const messages = Object.fromEntries(QUEUE_STATES.map((q) => [q, 0])) as Record<QueueState, number>;
      let sampledAt: string | null = null;
      for (const r of rows) {
        if (r.label in messages) messages[r.label as QueueState] = r.value;
        const at = new Date(r.updatedAt).toISOString();
        if (sampledAt === null || at > sampledAt) sampledAt = at;
      }
      return { sampledAt, messages };
    },
    totals() {
      return db.prepare('SELECT counter, label, value FROM traffic_total ORDER BY counter, label').all() as TrafficTotalRow[];
    },
    close() {
      db.close();
    },
  };
}

/** readTrafficDashboard - everything the dashboard shows for one range, in one connection. */
export function readTrafficDashboard(dataDir: string, range: TrafficRange, now = new Date(), clientLimit = 10): TrafficDashboard {
  const reader = openTrafficReader(dataDir);
  try {
    const series = reader.series(range, now);
    const totals = Object.fromEntries(SERIES_COUNTERS.map((c) => [c, series.counters[c].reduce((a, b) => a + b, 0)])) as Record<SeriesCounter, number>;
    const byStageAndRestriction = reader.rejects(range, now);
    return {
      series,
      totals,
      rejects: {
        byStageAndRestriction,
        byRestriction: sumBy(byStageAndRestriction, 'restriction').map(([restriction, count]) => ({ restriction, count })),
        byStage: sumBy(byStageAndRestriction, 'stage').map(([stage, count]) => ({ stage, count })),
      },
      topRejectedClients: reader.topRejectedClients(range, clientLimit, now),
      queueSizes: reader.queueSizes(),
    };
  } finally {
    reader.close();
  }
}

/** readTrafficTotals - the never-pruned totals, for /metrics. */
export function readTrafficTotals(dataDir: string): TrafficTotalRow[] {
  const reader = openTrafficReader(dataDir);
  try {
    return reader.totals();
  } finally {
    reader.close();
  }
}

// The minutes a range covers: whole buckets aligned to UTC, the last one holding `now`.
function window(range: TrafficRange, now: Date): { first: number; last: number; bucketMinutes: number; buckets: number } {
  const { minutes, bucketMinutes } = TRAFFIC_RANGES[range];
  const buckets = minutes / bucketMinutes;
  const current = minuteOf(now);
  const first = Math.floor(current / bucketMinutes) * bucketMinutes - (buckets - 1) * bucketMinutes;
  return { first, last: current, bucketMinutes, buckets };
}

function sumBy(rows: readonly RejectCount[], field: 'stage' | 'restriction'): [string, number][] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r[field], (sums.get(r[field]) ?? 0) + r.count);
  return [...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
