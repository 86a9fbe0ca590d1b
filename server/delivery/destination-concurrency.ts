/**
 * The per-destination concurrency scheduler of Postfix's qmgr: each destination starts with a
 * window of initial_destination_concurrency parallel deliveries, grows by one per delivery that
 * reached the next hop and shrinks by one (not below 1) per connection-level failure, never above
 * <transport>_destination_concurrency_limit. Each failure adds 1/window to the failed cohort
 * count (a whole window failing is one cohort); at <transport>_destination_concurrency_failed_cohort_limit
 * the destination is dead: its deliveries are deferred without a connection attempt
 * ("delivery temporarily suspended: ...") until the suspension ends. A success clears the count.
 * Deliveries beyond the window wait in arrival order.
 * Exports ConcurrencyLimits, DestinationConcurrency.
 * Reads no parameters: the caller passes the limits and the suspension time (minimal_backoff_time).
 * XXX the feedback is fixed at 1 (default_destination_concurrency_positive_feedback and
 * _negative_feedback, and their per-transport forms, are not read).
 */

/** The limits of one transport, from the registry. */
export interface ConcurrencyLimits {
  limit: number;             // <transport>_destination_concurrency_limit, 0 = no limit
  initial: number;           // initial_destination_concurrency
  failedCohortLimit: number; // <transport>_destination_concurrency_failed_cohort_limit, 0 = never dead
}

interface DestinationQueue {
  busy: number;
  waiting: Array<() => void>;
  window: number;
  failedCohorts: number;
  deadUntil: number;  // ms since the epoch; 0 = alive
  deadReason: string; // the failure that killed it
}

/** Windows, failure counts and waiting deliveries per destination. */
export class DestinationConcurrency {
  #queues = new Map<string, DestinationQueue>(); // by destination key: transport:nexthop

  /** run - call task when the destination's window has room; the slot is freed however task ends. */
  async run<T>(destination: string, limits: ConcurrencyLimits, task: () => Promise<T>): Promise<T> {
    const queue = this.#queue(destination, limits);
    // A waiter's slot is counted by #wake when it is woken, so no second waiter takes it meanwhile.
    if (queue.busy >= this.#room(queue, limits)) await new Promise<void>((resolve) => queue.waiting.push(resolve));
    else queue.busy += 1;
    try {
      return await task();
    } finally {
      queue.busy -= 1;
      this.#wake(destination, queue, limits);
    }
  }

  /** suspended - the reason a dead destination gets no connection now, or null. */
  suspended(destination: string): string | null {
    const queue = this.#queues.get(destination);
    if (!queue || queue.deadUntil === 0) return null;
    if (Date.now() < queue.deadUntil) return queue.deadReason;
    // Postfix's unthrottle: one more window of initial size; the cohort count stays until a success.
    queue.deadUntil = 0;
    return null;
  }

  /** success - a delivery reached the next hop: the window grows, the failure count clears. */
  success(destination: string, limits: ConcurrencyLimits): void {
    const queue = this.#queues.get(destination);
    if (!queue) return;
    queue.failedCohorts = 0;
    queue.window = limits.limit > 0 ? Math.min(limits.limit, queue.window + 1) : queue.window + 1;
    this.#wake(destination, queue, limits);
  }

  /** failure - the next hop could not be reached or dropped the session; suspendMs if it dies. */
  failure(destination: string, limits: ConcurrencyLimits, reason: string, suspendMs: number): void {
    const queue = this.#queues.get(destination);
    if (!queue || queue.deadUntil > Date.now()) return;
    queue.failedCohorts += 1 / queue.window;
    if (limits.failedCohortLimit > 0 && queue.failedCohorts >= limits.failedCohortLimit) {
      queue.deadUntil = Date.now() + suspendMs;
      queue.deadReason = reason;
      queue.window = limits.initial;
      return;
    }
    queue.window = Math.max(1, queue.window - 1);
  }

  /** reviveAll - forget every failure and suspension, as qmgr's flush of dead destinations (postqueue -f). */
  reviveAll(): void {
    for (const [destination, queue] of this.#queues) {
      queue.deadUntil = 0;
      queue.failedCohorts = 0;
      if (queue.busy === 0 && queue.waiting.length === 0) this.#queues.delete(destination);
    }
  }

  /** window - the destination's current window (the initial one when it has no queue). */
  window(destination: string, limits: ConcurrencyLimits): number {
    return this.#queues.get(destination)?.window ?? limits.initial;
  }

  #queue(destination: string, limits: ConcurrencyLimits): DestinationQueue {
    let queue = this.#queues.get(destination);
    if (!queue) {
      queue = { busy: 0, waiting: [], window: limits.initial, failedCohorts: 0, deadUntil: 0, deadReason: '' };
      this.#queues.set(destination, queue);
    }
    return queue;
  }

  #room(queue: DestinationQueue, limits: ConcurrencyLimits): number {
    return limits.limit > 0 ? Math.min(limits.limit, queue.window) : queue.window;
  }

  // Start waiting deliveries while the window has room; forget an idle destination that is
  // neither dead nor failing (as qmgr drops an empty queue, so its window starts over next time).
  // A failing one is kept so that failures one message at a time still add up to a dead site.
  #wake(destination: string, queue: DestinationQueue, limits: ConcurrencyLimits): void {
    while (queue.waiting.length && queue.busy < this.#room(queue, limits)) {
      queue.busy += 1;
      queue.waiting.shift()!();
    }
    if (queue.busy === 0 && queue.waiting.length === 0 && queue.deadUntil === 0 && queue.failedCohorts === 0) {
      this.#queues.delete(destination);
    }
  }
}
