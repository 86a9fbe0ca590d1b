/**
 * Per-message delivery state kept beside the immutable queue file, as Postfix keeps defer logs
 * in defer/: recipients done, attempts, next attempt time, last reason per recipient, whether
 * the delay warning went out. Written atomically (tmp, fsync, rename) under queue/defer/ID.
 * Exports DeliveryState, readDeliveryState, writeDeliveryState, removeDeliveryState.
 * Reads no parameters. A missing or unreadable file is a fresh state: at worst a recipient is
 * delivered twice, never lost (design.md, "Never lose mail").
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Queue, QueueId } from '../queue/index.ts';

export interface DeliveryState {
  done: string[];                  // recipients delivered or bounced (no more attempts)
  attempts: number;                // delivery attempts so far
  nextAttempt: number;             // ms since the epoch: not before this from deferred/
  reasons: Record<string, string>; // last deferral reason per recipient, for mailq
  warned: boolean;                 // the delay_warning_time notice went out
  released: boolean;               // released (or requeued) from hold: its HOLD action is spent
}

/** The folder of the sidecar files. */
export const DEFER_FOLDER = 'defer';

/** readDeliveryState - the saved state, or a fresh one. */
export async function readDeliveryState(queue: Queue, id: QueueId): Promise<DeliveryState> {
  // Most messages have none: asking first spares the error of a failed open, which costs more
  // than the read at thousands of messages a second.
  if (!existsSync(statePath(queue, id))) return freshState();
  try {
    const parsed = JSON.parse(await fs.readFile(statePath(queue, id), 'utf8')) as Partial<DeliveryState>;
    return {
      done: Array.isArray(parsed.done) ? parsed.done : [],
      attempts: Number(parsed.attempts) || 0,
      nextAttempt: Number(parsed.nextAttempt) || 0,
      reasons: parsed.reasons ?? {},
      warned: parsed.warned === true,
      released: parsed.released === true,
    };
  } catch {
    return freshState();
  }
}

function freshState(): DeliveryState {
  return { done: [], attempts: 0, nextAttempt: 0, reasons: {}, warned: false, released: false };
}

/** writeDeliveryState - replace the state in one rename, after an fsync of its content. */
export async function writeDeliveryState(queue: Queue, id: QueueId, state: DeliveryState): Promise<void> {
  const target = statePath(queue, id);
  const tmp = `${target}.tmp`;
  // Other writers (the queue command's hold and requeue) may come before the queue manager made it.
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, target);
}

/** removeDeliveryState - forget a message's state; a missing file is fine. */
export async function removeDeliveryState(queue: Queue, id: QueueId): Promise<void> {
  // unlink, not rm({ force }): rm walks the path with lstat first, a third of a millisecond per
  // message; and only when there is one, as the read above.
  if (!existsSync(statePath(queue, id))) return;
  await fs.unlink(statePath(queue, id)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

function statePath(queue: Queue, id: QueueId): string {
  return path.join(queue.directory, DEFER_FOLDER, id);
}
