/**
 * The store of session transcripts of violations (table session_transcript, prisma/schema.prisma):
 * every session that earned a notify class is kept whatever notify_classes says, so the console
 * can show it. Writes go through better-sqlite3, batched on a timer, so the end of an SMTP
 * session never waits for the database (the SMTP path does no Prisma I/O).
 * Exports: openTranscriptStore, TranscriptStore.
 * Reads: transcript_retention_time, transcript_retention_limit (through the settings callback).
 * Logs: a failed batch or prune as a warning through the caller's hook; the batch is dropped.
 * XXX a batch lost to a crash before the timer fires is lost; the maillog still has the reject lines.
 */
import Database from 'better-sqlite3';
import type { SessionViolation } from '../smtp/session-transcript.ts';

export interface TranscriptRetention {
  seconds: number;   // transcript_retention_time: older rows are pruned (0 = keep none)
  limit: number;     // transcript_retention_limit: at most this many rows are kept
}

export interface TranscriptStore {
  /** add - queue a transcript for the next batch; never waits, never throws. */
  add(v: SessionViolation): void;
  /** flush - write what is queued now (tests, shutdown). */
  flush(): void;
  /** prune - delete rows past the retention time and over the row limit; answers the rows removed. */
  prune(now?: Date): number;
  close(): void;
}

const BATCH_DELAY_MS = 200;
const PRUNE_INTERVAL_MS = 3_600_000;

/** openTranscriptStore - open the database file; prunes at once and then every hour. */
export function openTranscriptStore(dbFile: string, retention: () => TranscriptRetention, warn: (text: string) => void): TranscriptStore {
  const db = new Database(dbFile, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(`INSERT INTO session_transcript
    (ended_at, client_address, client_name, helo, sender, recipients, classes, restriction, reply, lines)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let pending: SessionViolation[] = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    if (!batch.length || closed) return;
    try {
      db.transaction(() => {
        for (const v of batch) {
          insert.run(sqliteTime(new Date(v.endedAt)), v.clientAddress, v.clientName, v.helo, v.sender,
            JSON.stringify(v.recipients), JSON.stringify(v.classes), v.restriction, v.reply, JSON.stringify(v.lines));
        }
      })();
    } catch (err) {
      warn(`cannot store ${batch.length} session transcript(s): ${(err as Error).message}`);
    }
  };

  const prune = (now = new Date()): number => {
    if (closed) return 0;
    try {
      const r = retention();
      const cutoff = sqliteTime(new Date(now.getTime() - r.seconds * 1000));
      let removed = db.prepare('DELETE FROM session_transcript WHERE ended_at < ?').run(cutoff).changes;
      removed += db.prepare(`DELETE FROM session_transcript WHERE id NOT IN
        (SELECT id FROM session_transcript ORDER BY id DESC LIMIT ?)`).run(r.limit).changes;
      return removed;
    } catch (err) {
      warn(`cannot prune session transcripts: ${(err as Error).message}`);
      return 0;
    }
  };

  prune();
  const pruneTimer = setInterval(() => prune(), PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  return {
    add(v) {
      if (closed) return;
      pending.push(v);
      timer ??= setTimeout(flush, BATCH_DELAY_MS);
    },
    flush,
    prune,
    close() {
      flush();
      closed = true;
      clearInterval(pruneTimer);
      db.close();
    },
  };
}

/** sqliteTime - Prisma's DateTime text form in SQLite, so Prisma reads the rows back. */
function sqliteTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}
