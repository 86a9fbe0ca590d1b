/**
 * The anvil server of Postfix (anvil.c) inside the gateway process: per remote client
 * (`service:address`), the number of sessions now open and, per anvil_rate_time_unit, the
 * connections, MAIL FROM commands, RCPT TO addresses, new TLS sessions and AUTH commands it
 * made. It only counts; smtpd decides what a count means (server/smtp/client-event-limits.ts).
 * Exports Anvil, AnvilCounts. Reads anvil_rate_time_unit through the function it is given.
 * Every call takes the time, so the counters are pure and tests pass their own clock.
 * As in anvil.c the rate window is fixed, not sliding: it starts with the first event after
 * the previous window ended, and all five rates restart together. A client with no session
 * open is forgotten one time unit after its last session ended (or after its first event,
 * when it never had one), so memory follows the clients of the last time unit only.
 * XXX Postfix keeps one such server per host for all its services; this one serves one SMTP
 * front, whose listeners are all the service `smtp`.
 */

export interface AnvilCounts {
  count: number;                   // sessions open now
  rate: number;                    // connections in this window
  mail: number;                    // MAIL FROM commands in this window
  rcpt: number;                    // RCPT TO addresses in this window
  ntls: number;                    // new (not resumed) TLS sessions in this window
  auth: number;                    // AUTH commands in this window
}

interface Remote extends AnvilCounts {
  start: number;                   // when the rate window began (ms)
  idleSince: number;               // when count last became 0 (ms); meaningful only with count 0
}

type RateField = 'rate' | 'mail' | 'rcpt' | 'ntls' | 'auth';

export class Anvil {
  private readonly remotes = new Map<string, Remote>();
  private lastSweep = 0;

  /** timeUnitMs gives anvil_rate_time_unit now, so a reload changes the window of new events. */
  constructor(private readonly timeUnitMs: () => number) {}

  /** connect - a session opened: its count and connection rate, this session included. */
  connect(ident: string, now: number): { count: number; rate: number } {
    this.sweep(now);
    const r = this.remote(ident, now);
    this.increment(r, 'rate', now);
    r.count++;
    return { count: r.count, rate: r.rate };
  }

  /** disconnect - a session counted by connect() ended; an unknown client is ignored. */
  disconnect(ident: string, now: number): void {
    const r = this.remotes.get(ident);
    if (!r || r.count === 0) return;
    if (--r.count === 0) r.idleSince = now;
  }

  /** message - a MAIL FROM: the message rate, this one included. */
  message(ident: string, now: number): number {
    return this.increment(this.remote(ident, now), 'mail', now);
  }

  /** recipient - a RCPT TO: the recipient rate, this one included. */
  recipient(ident: string, now: number): number {
    return this.increment(this.remote(ident, now), 'rcpt', now);
  }

  /** newTls - a new TLS session was negotiated: the new TLS session rate, this one included. */
  newTls(ident: string, now: number): number {
    return this.increment(this.remote(ident, now), 'ntls', now);
  }

  /** newTlsStatus - the new TLS session rate so far, counting nothing (before a handshake). */
  newTlsStatus(ident: string, now: number): number {
    const r = this.live(ident, now);
    if (!r) return 0;
    this.restartWindowIfOver(r, now);
    return r.ntls;
  }

  /** auth - an AUTH command: the AUTH rate, this one included. */
  auth(ident: string, now: number): number {
    return this.increment(this.remote(ident, now), 'auth', now);
  }

  /** lookup - the counters of a client as they stand, or null when it is not known. */
  lookup(ident: string, now: number): AnvilCounts | null {
    const r = this.live(ident, now);
    if (!r) return null;
    this.restartWindowIfOver(r, now);
    const { count, rate, mail, rcpt, ntls, auth } = r;
    return { count, rate, mail, rcpt, ntls, auth };
  }

  /** size - clients remembered now (open sessions or events within the last time unit). */
  size(now: number): number {
    this.sweep(now, true);
    return this.remotes.size;
  }

  private remote(ident: string, now: number): Remote {
    let r = this.live(ident, now);
    if (!r) {
      r = { count: 0, rate: 0, mail: 0, rcpt: 0, ntls: 0, auth: 0, start: now, idleSince: now };
      this.remotes.set(ident, r);
    }
    return r;
  }

  /** live - the remote unless it has expired (anvil_remote_expire() would have dropped it). */
  private live(ident: string, now: number): Remote | undefined {
    const r = this.remotes.get(ident);
    if (r && this.isExpired(r, now)) {
      this.remotes.delete(ident);
      return undefined;
    }
    return r;
  }

  private isExpired(r: Remote, now: number): boolean {
    return r.count === 0 && now >= r.idleSince + this.timeUnitMs();
  }

  private increment(r: Remote, field: RateField, now: number): number {
    this.restartWindowIfOver(r, now);
    r[field]++;
    return r[field];
  }

  /** restartWindowIfOver - ANVIL_REMOTE_RSET_RATE once start + anvil_rate_time_unit has passed. */
  private restartWindowIfOver(r: Remote, now: number): void {
    if (r.start + this.timeUnitMs() >= now) return;
    r.start = now;
    r.rate = r.mail = r.rcpt = r.ntls = r.auth = 0;
  }

  /** sweep - drop expired clients, at most once per time unit unless forced. */
  private sweep(now: number, force = false): void {
    if (!force && now - this.lastSweep < this.timeUnitMs()) return;
    this.lastSweep = now;
    for (const [ident, r] of this.remotes) if (this.isExpired(r, now)) this.remotes.delete(ident);
  }
}
