/**
 * The gateway's traffic recorder: counts every maillog event (count-maillog-event.ts), samples
 * the queue sizes each minute, and writes counters and table hit counts to the database every
 * FLUSH_INTERVAL_MS and at stop, off the SMTP path (timers, never a session's await).
 * Exports: TrafficRecorder, TrafficRecorderOptions, startTrafficRecorder.
 * Reads: traffic_statistics_retention_time (through the callback), pruned at start and hourly.
 * Logs: a batch that cannot be written (database locked by a long import, disk full) as one
 * warning per run of failures; the batch is kept and goes with the next one, up to
 * KEPT_ROW_LIMIT rows.
 * XXX what was counted since the last write is lost to a crash (the maillog still has it).
 */
import { listQueue, QUEUE_STATES, type Queue } from '../queue/index.ts';
import type { Maillog } from '../log/maillog.ts';
import { countMaillogEvent } from './count-maillog-event.ts';
import { createTrafficCounters, type TrafficCounters } from './traffic-counters.ts';
import type { TableHits } from './table-hits.ts';
import { openTrafficStore } from './traffic-store.ts';

export interface TrafficRecorderOptions {
  dbFile: string;                     // the gateway's database, migrated
  maillog: Maillog;                   // the events counted
  queue: Queue;                       // sampled for queue_messages
  hits: TableHits;                    // filled by the counting tables of the snapshot
  retentionSeconds: () => number;     // traffic_statistics_retention_time of the current snapshot
  warn: (text: string) => void;       // a maillog warning
  flushIntervalMs?: number;           // tests write sooner
}

export interface TrafficRecorder {
  counters: TrafficCounters;
  /** flush - write what was counted now; never throws. */
  flush(): void;
  /** sampleQueue - count the files of each queue state now (every minute on its own). */
  sampleQueue(): Promise<void>;
  /** stop - stop counting, write the rest and close the database. */
  stop(): Promise<void>;
}

const FLUSH_INTERVAL_MS = 10_000;
const SAMPLE_INTERVAL_MS = 60_000;
const PRUNE_INTERVAL_MS = 3_600_000;
// Rows kept in memory while the database refuses them; past this the batch is dropped, so a
// database that never comes back cannot grow the gateway's memory without bound.
const KEPT_ROW_LIMIT = 200_000;

/** startTrafficRecorder - subscribe to the maillog and start the timers. */
export function startTrafficRecorder(options: TrafficRecorderOptions): TrafficRecorder {
  const store = openTrafficStore(options.dbFile);
  const counters = createTrafficCounters();
  const unsubscribe = options.maillog.onEvent((e) => countMaillogEvent(counters, e));
  let failing = false;
  let stopped = false;

  const flush = (): void => {
    if (stopped) return;
    const rows = counters.take();
    const hits = options.hits.take();
    try {
      store.write(rows, hits);
      failing = false;
    } catch (err) {
      if (rows.length + hits.length > KEPT_ROW_LIMIT) {
        options.warn(`cannot store traffic statistics, dropping ${rows.length + hits.length} rows: ${(err as Error).message}`);
        return;
      }
      counters.restore(rows);
      options.hits.restore(hits);
      if (!failing) options.warn(`cannot store traffic statistics, keeping them for the next try: ${(err as Error).message}`);
      failing = true;
    }
  };

  const prune = (): void => {
    try {
      store.prune(options.retentionSeconds());
    } catch (err) {
      options.warn(`cannot prune traffic statistics: ${(err as Error).message}`);
    }
  };

  let sampling: Promise<void> | null = null;
  const sampleQueue = (): Promise<void> => (sampling ??= (async () => {
    try {
      const at = new Date();
      for (const state of QUEUE_STATES) counters.sample('queue_messages', state, at, (await listQueue(options.queue, state)).length);
    } catch (err) {
      options.warn(`cannot count the queue for traffic statistics: ${(err as Error).message}`);
    } finally {
      sampling = null;
    }
  })());

  prune();
  void sampleQueue();
  const timers = [
    setInterval(flush, options.flushIntervalMs ?? FLUSH_INTERVAL_MS),
    setInterval(() => void sampleQueue(), SAMPLE_INTERVAL_MS),
    setInterval(prune, PRUNE_INTERVAL_MS),
  ];
  for (const t of timers) t.unref();

  return {
    counters,
    flush,
    sampleQueue,
    async stop() {
      for (const t of timers) clearInterval(t);
      unsubscribe();
      await sampling;
      flush();
      stopped = true;
      store.close();
    },
  };
}
