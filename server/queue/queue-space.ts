/**
 * Free space in the queue file system, as smtpd checks it at MAIL FROM (smtpd_check.c,
 * smtpd_check_queue; spec/smtpd-parameters.md queue_minfree): enough when the free bytes exceed
 * queue_minfree and are at least 1.5 x message_size_limit. The front answers
 * `452 4.3.1 Insufficient system storage` otherwise.
 * Exports checkQueueSpace, QueueSpace, QueueSpaceLimits. Reads queue_minfree and
 * message_size_limit (passed in; 0 turns that part of the check off).
 * The free space is measured at most once a second per queue: a statfs per MAIL was a
 * measurable share of a short transaction, and a disk that fills within that second still
 * refuses the queue file write (451).
 * XXX the MAIL FROM SIZE= estimate is not yet weighed against the free space.
 */
import fs from 'node:fs/promises';

const FREE_SPACE_MAX_AGE_MS = 1000;
const measured = new Map<string, { at: number; free: number }>(); // queue directory -> last statfs

export interface QueueSpaceLimits {
  queueMinfree: number; // queue_minfree, bytes; 0 = no minimum
  messageSizeLimit: number; // message_size_limit, bytes; 0 = unlimited, no 1.5x rule
}

export type QueueSpace =
  | { ok: true }
  | {
      ok: false;
      free: number; // bytes available to this (unprivileged) process
      needed: number; // the least free space that would pass
    };

/** checkQueueSpace - whether the queue file system has room for another message; counts only space this process may use. */
export async function checkQueueSpace(queueDir: string, limits: QueueSpaceLimits): Promise<QueueSpace> {
  const free = await freeSpace(queueDir);
  const needed = Math.max(
    limits.queueMinfree > 0 ? limits.queueMinfree + 1 : 0, // strictly more than queue_minfree
    limits.messageSizeLimit > 0 ? Math.ceil(1.5 * limits.messageSizeLimit) : 0,
  );
  return free >= needed ? { ok: true } : { ok: false, free, needed };
}

// bavail, not bfree: blocks reserved for root are no use to the gateway (Postfix's fsspace()).
async function freeSpace(queueDir: string): Promise<number> {
  const last = measured.get(queueDir);
  const now = Date.now();
  if (last && now - last.at < FREE_SPACE_MAX_AGE_MS) return last.free;
  const stats = await fs.statfs(queueDir);
  const free = stats.bavail * stats.bsize;
  measured.set(queueDir, { at: now, free });
  return free;
}
