/**
 * Group commit of a queue directory: fsync of a directory makes the renames into it durable, and
 * one fsync covers every rename done before it started. Sessions that commit at the same time
 * therefore share fsyncs instead of waiting behind one another: a caller joins the next fsync to
 * start, and while one runs, the callers that arrive wait together for the one after it.
 * Exports DirectorySync. Reads no parameters. An fsync error rejects every caller of that round.
 * Postfix has no equivalent: it fsyncs each queue file and trusts the file system with the name.
 */
import fs from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Coalesced fsync of one directory. */
export class DirectorySync {
  rounds = 0; // fsyncs started so far (queue.stats.dirSyncs)
  private running = false; // an fsync is in progress
  private waiting: Waiter[] = []; // callers for the next fsync, which starts when the current ends
  private fd: number | null = null; // the directory, open from the first round on; closed after an error
  private closed = false; // its owner is done: no descriptor kept between rounds

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
    this.fsync().then(
      () => this.endRound(round, (w) => w.resolve()),
      (error: unknown) => this.endRound(round, (w) => w.reject(error)),
    );
  }

  // The directory stays open between rounds: an open and a close per round cost as much as the
  // fsync's own share of the main thread. After a failure the next round opens it again.
  private async fsync(): Promise<void> {
    const fd = this.fd ?? (this.fd = await new Promise<number>((resolve, reject) => fs.open(this.directory, 'r', (e, fd) => (e ? reject(e) : resolve(fd)))));
    try {
      await new Promise<void>((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())));
    } catch (error) {
      this.fd = null;
      fs.close(fd, () => {});
      throw error;
    }
  }

  /** close - close the directory now, or after the fsync running; a later sync opens it for its round. */
  close(): void {
    this.closed = true;
    if (!this.running) this.release();
  }

  private release(): void {
    if (this.fd !== null) fs.close(this.fd, () => {});
    this.fd = null;
  }

  private endRound(round: Waiter[], settle: (w: Waiter) => void): void {
    this.running = false;
    for (const w of round) settle(w);
    if (this.waiting.length > 0) this.startRound();
    else if (this.closed) this.release();
  }
}
