/**
 * The smtp and lmtp clients' connection cache, as Postfix's scache with
 * smtp_connection_cache_on_demand: after a transaction the session is reset (RSET) and kept per
 * next hop for the next message to it, closed with QUIT when it idled for
 * smtp_connection_cache_time_limit, and not reused once it is older than
 * smtp_connection_reuse_time_limit or was reused smtp_connection_reuse_count_limit times.
 * It also knows every session in use or connecting, so a stopping gateway can cut them all.
 * Exports CacheLimits, ConnectionCache.
 * Reads, through the caller: the smtp_ or lmtp_ connection cache parameters.
 * XXX sessions are kept whenever on-demand caching is on, not only when qmgr sees a backlog
 * for the destination; the idle limit (2s by default) bounds what that costs the next hop.
 * XXX smtp_connection_cache_destinations (always cache some destinations) is not read.
 */
import type { SmtpSession } from './smtp-session.ts';

/** The connection cache parameters of one transport (smtp_* or lmtp_*). */
export interface CacheLimits {
  onDemand: boolean;  // *_connection_cache_on_demand
  idleMs: number;     // *_connection_cache_time_limit
  reuseCount: number; // *_connection_reuse_count_limit, 0 = no limit
  reuseMs: number;    // *_connection_reuse_time_limit
}

interface IdleSession {
  session: SmtpSession;
  timer: NodeJS.Timeout;
}

/** Idle sessions by next hop, and the abort of every session not idle. */
export class ConnectionCache {
  #idle = new Map<string, IdleSession[]>();   // by destination key: transport:nexthop
  #busy = new Set<() => void>();              // aborts of sessions connecting or in a transaction
  #closed = false;

  /** closed - abortAll() was called: no new session may be opened. */
  get closed(): boolean {
    return this.#closed;
  }

  /** take - a kept session for the destination still within its reuse limits, or null. */
  take(key: string, limits: CacheLimits): SmtpSession | null {
    const list = this.#idle.get(key) ?? [];
    for (let entry = list.pop(); entry; entry = list.pop()) {
      clearTimeout(entry.timer);
      if (entry.session.alive && this.#reusable(entry.session, limits)) {
        if (list.length === 0) this.#idle.delete(key);
        return entry.session;
      }
      entry.session.quit();
    }
    this.#idle.delete(key);
    return null;
  }

  /** put - after a transaction: keep the session (RSET first) or end it with QUIT. */
  async put(key: string, session: SmtpSession, limits: CacheLimits): Promise<void> {
    if (this.#closed || !limits.onDemand || !session.alive || !this.#reusable(session, limits)) {
      session.quit();
      return;
    }
    const abort = () => session.abort();
    this.#busy.add(abort);
    const reset = await session.reset();
    this.#busy.delete(abort);
    if (!reset || this.#closed) {
      session.quit();
      return;
    }
    const entry: IdleSession = {
      session,
      timer: setTimeout(() => {
        const list = this.#idle.get(key) ?? [];
        const at = list.indexOf(entry);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) this.#idle.delete(key);
        session.quit();
      }, limits.idleMs),
    };
    const list = this.#idle.get(key);
    if (list) list.push(entry);
    else this.#idle.set(key, [entry]);
  }

  /** track - register how to cut a session that is connecting or in use; returns the untrack. */
  track(abort: () => void): () => void {
    this.#busy.add(abort);
    return () => void this.#busy.delete(abort);
  }

  /** closeIdle - QUIT every kept session (a stop with nothing in flight any more). */
  closeIdle(): void {
    for (const list of this.#idle.values()) {
      for (const { session, timer } of list) {
        clearTimeout(timer);
        session.quit();
      }
    }
    this.#idle.clear();
  }

  /** abortAll - cut every session now and open no more (a stop whose grace ran out). */
  abortAll(): void {
    this.#closed = true;
    for (const abort of [...this.#busy]) abort();
    this.#busy.clear();
    for (const list of this.#idle.values()) for (const { session, timer } of list) (clearTimeout(timer), session.abort());
    this.#idle.clear();
  }

  #reusable(session: SmtpSession, limits: CacheLimits): boolean {
    // Postfix counts reuses: with a limit of N a session carries N + 1 transactions.
    if (limits.reuseCount > 0 && session.uses > limits.reuseCount) return false;
    return Date.now() - session.openedAt < limits.reuseMs;
  }
}
