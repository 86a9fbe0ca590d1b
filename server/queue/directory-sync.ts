/**
 * Group commit of a queue directory: fsync of a directory makes the renames into it durable, and
 * one fsync covers every rename done before it started. Sessions that commit at the same time
 * therefore share fsyncs instead of waiting behind one another: a caller joins the next fsync to
 * start, and while one runs, the callers that arrive wait together for the one after it.
 * Exports DirectorySync. Reads no parameters. An fsync error rejects every caller of that round.
 * Postfix has no equivalent: it fsyncs each queue file and trusts the file system with the name.
 */
import fs from 'node:fs/promises';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Coalesced fsync of one directory. */
export class DirectorySync {
  rounds = 0; // fsyncs started so far (queue.stats.dirSyncs)
  private running = false; // an fsync is in progress
  private waiting: Waiter[] = []; // callers for the next fsync, which starts when the current ends

  constructor(readonly directory: string) {}

  /**
   * sync - resolves once an fsync of the directory that started after this call has completed, so
   * every rename the caller finished before calling is durable.
   */
  sync(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      // A running fsync may have started before the caller's rename: it cannot count.
      if (!this.running) this.startRound();
    });
  }

  private startRound(): void {
    const round = this.waiting;
    this.waiting = [];
    this.running = true;
    this.rounds += 1;
    fsyncDirectory(this.directory).then(
      () => this.endRound(round, (w) => w.resolve()),
      (error: unknown) => this.endRound(round, (w) => w.reject(error)),
    );
  }

  private endRound(round: Waiter[], settle: (w: Waiter) => void): void {
    this.running = false;
    for (const w of round) settle(w);
    if (this.waiting.length > 0) this.startRound();
  }
}

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
