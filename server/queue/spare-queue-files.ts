/**
 * Spare queue files: empty files made ahead of time in spare/, so that the first accepted RCPT
 * takes one with a rename instead of creating a file while the client waits. Creating an inode
 * is the dearest step of the write path on ext4 (about a millisecond of kernel time on the
 * development VM, against tens of microseconds for a rename), and between messages the gateway
 * has the time to do it. Postfix has no equivalent: its cleanup creates each queue file on demand.
 * Exports SpareQueueFiles, SPARE_FOLDER. Reads no parameters.
 * A spare holds no mail, so any process may remove spare/ files; a spare taken by another
 * process between the listing and the rename only means the taker creates its file itself.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The folder of spare files, beside the queue states. */
export const SPARE_FOLDER = 'spare';

// Spares kept ready: enough for a burst of new transactions, few enough to cost nothing idle.
const SPARE_TARGET = 8;

/** A small pool of empty files in spare/, refilled in the background after each take. */
export class SpareQueueFiles {
  private ready: string[] = []; // paths of empty files nobody has taken
  private making = 0; // creations in progress
  private stopped = false; // the queue was closed by its owner: make no more

  constructor(private readonly directory: string) {}

  /** take - the path of an empty file to rename into place, or null when none is ready. */
  take(): string | null {
    const spare = this.ready.pop() ?? null;
    this.refill();
    return spare;
  }

  /** stop - make no more spares (the files already made stay for the next start). */
  stop(): void {
    this.stopped = true;
  }

  private refill(): void {
    while (!this.stopped && this.ready.length + this.making < SPARE_TARGET) {
      this.making += 1;
      const file = path.join(this.directory, SPARE_FOLDER, randomBytes(8).toString('hex'));
      fs.open(file, 'wx', 0o600)
        .then((handle) => handle.close())
        .then(() => void this.ready.push(file), () => {
          // A full disk or a removed folder: no spare, the writer creates its own file and
          // meets the same error where it is reported.
        })
        .finally(() => (this.making -= 1));
    }
  }
}
