/**
 * The per-destination concurrency limit of Postfix's qmgr (default_destination_concurrency_limit,
 * 20): at most that many deliveries to one destination at once, the rest wait in arrival order.
 * Exports DestinationConcurrency. Reads no parameters: the caller passes the limit.
 * XXX no concurrency window that grows and shrinks with failures (Postfix's slow start).
 */

/** Counting slots per destination. */
export class DestinationConcurrency {
  private slots = new Map<string, { busy: number; waiting: Array<() => void> }>(); // by destination

  constructor(private readonly limit: number) {}

  /** run - call task when the destination has a free slot; the slot is freed however task ends. */
  async run<T>(destination: string, task: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(destination);
    if (!slot) this.slots.set(destination, (slot = { busy: 0, waiting: [] }));
    if (slot.busy >= this.limit) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    slot.busy += 1;
    try {
      return await task();
    } finally {
      slot.busy -= 1;
      const next = slot.waiting.shift();
      if (next) next();
      else if (slot.busy === 0) this.slots.delete(destination);
    }
  }
}
