/**
 * Spare queue files: empty files made ahead of time in spare/ and kept open, so that the first
 * accepted RCPT takes one without a system call instead of creating a file while the client
 * waits; the message is written into it where it lies and renamed into incoming/ at commit.
 * Creating an inode is the dearest step of the write path on ext4 (a fifth to half a
 * millisecond of kernel time on the development VM, against tens of microseconds for a rename),
 * and between messages the gateway has the time to do it. Postfix has no equivalent: its
 * cleanup creates each queue file on demand.
 * Exports SpareQueueFiles, SpareFile, SPARE_FOLDER. Reads no parameters.
 * A spare holds no mail, so any process may remove spare/ files; a spare taken by another
 * process between the listing and the rename only means the taker creates its file itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

/** The folder of spare files, beside the queue states. */
export const SPARE_FOLDER = 'spare';

// Spares kept ready: enough for a burst of new transactions, few enough to cost nothing idle.
const SPARE_TARGET = 8;

/** An empty file in spare/, open for reading and writing; the taker owns the descriptor. */
export interface SpareFile {
  path: string;
  fd: number;
}

// Names need only be unique in spare/, which each start empties: process, thread and a counter.
let made = 0;

/** A small pool of empty files in spare/, refilled in the background after each take. */
export class SpareQueueFiles {
  private ready: SpareFile[] = []; // empty files nobody has taken
  private making = 0; // creations in progress
  private stopped = false; // the queue was closed by its owner: make no more

  constructor(private readonly directory: string) {}

  /** take - an empty file to rename into place, or null when none is ready. */
  take(): SpareFile | null {
    const spare = this.ready.pop() ?? null;
    this.refill();
    return spare;
  }

  /** stop - make no more spares and close those ready (the files stay until the next start). */
  stop(): void {
    this.stopped = true;
    for (const spare of this.ready.splice(0)) fs.close(spare.fd, () => {});
  }

  private refill(): void {
    while (!this.stopped && this.ready.length + this.making < SPARE_TARGET) {
      this.making += 1;
      const file = path.join(this.directory, SPARE_FOLDER, `${process.pid}.${threadId}.${(made += 1)}`);
      // wx+: created here or not at all, and open for the writer's reads and writes.
      fs.open(file, 'wx+', 0o600, (error, fd) => {
        this.making -= 1;
        // A full disk or a removed folder: no spare, the writer creates its own file and meets
        // the same error where it is reported.
        if (error) return;
        if (this.stopped) fs.close(fd, () => {});
        else this.ready.push({ path: file, fd });
      });
    }
  }
}
