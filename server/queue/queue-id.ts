/**
 * Queue IDs: the name of a message's queue file in every state, and the QUEUEID of log lines and
 * of `250 2.0.0 Ok: queued as QUEUEID` (Postfix's mail_queue.c: the short ID format and
 * mail_queue_id_ok()).
 * Exports QueueId, createQueueId, isQueueIdOk, queueIdTime. Reads no parameters, logs nothing.
 * Postfix builds a short ID from the microseconds and the queue file's inode number, unique while
 * the file exists. We name the file before it exists, so the ID is a microsecond clock (strictly
 * increasing within the process, hence unique in it) followed by 12 random bits, so that a clock
 * stepped back across a restart is very unlikely to repeat an ID still in the queue.
 * XXX enable_long_queue_ids (time-ordered IDs in base 52) is not implemented.
 */
import { randomInt } from 'node:crypto';

/**
 * A queue ID: upper-case hexadecimal, 10 to 32 characters. A plain string, so the front, logs and
 * the console pass it around freely; the paths built from it check it again (queue-state.ts).
 */
export type QueueId = string;

const QUEUE_ID_PATTERN = /^[0-9A-F]{10,32}$/;

// The last microsecond handed out; the next ID takes a later one even when the clock has not moved.
let lastMicroseconds = 0;

/** createQueueId - a new ID, unique within this process and, with high probability, across restarts. */
export function createQueueId(): QueueId {
  // performance.now() is monotonic, so a wall-clock step during the run cannot repeat an ID.
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastMicroseconds = Math.max(now, lastMicroseconds + 1);
  const time = lastMicroseconds.toString(16).toUpperCase().padStart(13, '0');
  const random = randomInt(0x1000).toString(16).toUpperCase().padStart(3, '0');
  return time + random;
}

/**
 * isQueueIdOk - whether a name is a queue ID, checked before it becomes part of any path: only
 * upper-case hex digits, so no `/`, `.` or empty name can reach the file system.
 */
export function isQueueIdOk(name: unknown): name is QueueId {
  return typeof name === 'string' && QUEUE_ID_PATTERN.test(name);
}

/**
 * queueIdTime - when an ID of createQueueId's form was made (its microsecond clock), or null for
 * IDs of another form; log search uses it to know how far back a message's lines can start.
 * The clock is monotonic from the process start, so it may stand apart from the wall clock by
 * however far the wall clock was stepped since.
 */
export function queueIdTime(id: QueueId): Date | null {
  if (!isQueueIdOk(id) || id.length !== 16) return null;
  const ms = parseInt(id.slice(0, 13), 16) / 1000;
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : null;
}
