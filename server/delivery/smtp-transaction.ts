/**
 * One delivery request over SMTP or LMTP to one destination, as Postfix's smtp and lmtp clients:
 * a session kept in the connection cache for this next hop, else the destination's hosts in
 * order until one answers; then one MAIL transaction per group of recipients sharing DSN
 * parameters, with NOTIFY, ORCPT, RET and ENVID passed on when the next hop announces DSN
 * (RFC 3461); afterwards the session goes back to the cache (RSET) or is closed (QUIT).
 * A kept session whose connection is lost when it is used (the next hop timed it out meanwhile)
 * is replaced by a new one, once; a message the lost one had taken may then arrive twice, as
 * duplicates are allowed and loss is not.
 * Exports RecipientOutcome, SmtpAttempt, SmtpResult, runSmtpTransaction.
 * Reads no parameters itself: the caller passes myhostname, the timeout and the cache limits.
 * Outcomes are values: 2xx sent, 5xx bounced, 4xx or a connection failure deferred.
 */
import type { Envelope, EnvelopeRecipient } from '../queue/index.ts';
import type { CacheLimits, ConnectionCache } from './connection-cache.ts';
import { openSmtpSession, type SessionEndpoint, type SendResult, type SmtpSession } from './smtp-session.ts';

/** What became of one recipient. */
export interface RecipientOutcome {
  address: string;
  status: 'sent' | 'deferred' | 'bounced';
  dsn: string;      // enhanced status code, e.g. 2.0.0
  reply: string;    // the text logged in parentheses after status=
  relay: string;    // relay=host[ip]:port, or none
  connUse?: number; // the transaction's place on a reused connection (conn_use=, 2 and up)
  success?: 'relayed' | 'delivered'; // sent, and a NOTIFY=SUCCESS notice is ours to send with this action
}

/** One request for a destination. */
export interface SmtpAttempt {
  envelope: Envelope;
  recipients: EnvelopeRecipient[];
  content: Buffer;
  endpoints: SessionEndpoint[]; // the destination's hosts, in order
  helo: string;
  lmtp: boolean;
  timeoutMs: number;
  cacheKey: string;             // transport:nexthop
  cacheLimits: CacheLimits;
}

/** The outcomes, and why no session could be had (a site failure for the concurrency scheduler). */
export interface SmtpResult {
  outcomes: RecipientOutcome[];
  siteFailure: string | null;
}

/** runSmtpTransaction - deliver over a kept or new session; one outcome per recipient. */
export async function runSmtpTransaction(attempt: SmtpAttempt, cache: ConnectionCache): Promise<SmtpResult> {
  let cached = cache.take(attempt.cacheKey, attempt.cacheLimits);
  for (;;) {
    let session = cached;
    if (!session) {
      const opened = await openFirstHost(attempt, cache);
      if (!opened.ok) {
        // Postfix defers every recipient when no host could be reached.
        const outcomes = attempt.recipients.map((r): RecipientOutcome => ({ address: r.address, status: 'deferred', dsn: '4.4.1', reply: opened.reason, relay: 'none' }));
        return { outcomes, siteFailure: opened.reason };
      }
      session = opened.session;
    }
    const untrack = cache.track(() => session.abort());
    const outcomes: RecipientOutcome[] = [];
    try {
      for (const group of groupByDsn(attempt.recipients)) {
        const result = await session.send(envelopeOf(attempt, group), attempt.content);
        session.uses += 1;
        outcomes.push(...outcomesOf(result, group, session, attempt.lmtp));
      }
    } finally {
      untrack();
    }
    // The next hop closed the kept session while it idled: try once more on a new one.
    if (cached && !session.alive && outcomes.every((o) => o.status === 'deferred' && o.reply.startsWith('lost connection'))) {
      cached = null;
      continue;
    }
    await cache.put(attempt.cacheKey, session, attempt.cacheLimits);
    return { outcomes, siteFailure: null };
  }
}

async function openFirstHost(attempt: SmtpAttempt, cache: ConnectionCache): Promise<{ ok: true; session: SmtpSession } | { ok: false; reason: string }> {
  let reason = 'no host to deliver to';
  for (const endpoint of attempt.endpoints) {
    if (cache.closed) return { ok: false, reason: 'mail system is stopping' };
    const r = await openSmtpSession(endpoint, { helo: attempt.helo, lmtp: attempt.lmtp, timeoutMs: attempt.timeoutMs }, (abort) => cache.track(abort));
    if (r.ok) return r;
    reason = r.reason;
  }
  return { ok: false, reason };
}

function envelopeOf(attempt: SmtpAttempt, group: EnvelopeRecipient[]) {
  const { envelope } = attempt;
  const first = group[0];
  return {
    from: envelope.sender === '' ? (false as const) : envelope.sender,
    to: group.map((r) => r.address),
    size: attempt.content.length,
    dsn: {
      ...(envelope.dsn.ret ? { ret: envelope.dsn.ret } : {}),
      ...(envelope.dsn.envid ? { envid: decodeXtext(envelope.dsn.envid) } : {}),
      ...(first.notify?.length ? { notify: first.notify } : {}),
      ...(group.length === 1 && first.orcpt ? { orcpt: decodeXtext(first.orcpt) } : {}),
    },
    use8BitMime: envelope.bodyType === '8BITMIME',
  };
}

function outcomesOf({ err, info }: SendResult, group: EnvelopeRecipient[], session: SmtpSession, lmtp: boolean): RecipientOutcome[] {
  const rejected = new Map<string, { code: number; text: string }>();
  for (const e of (err?.rejectedErrors ?? info?.rejectedErrors ?? [])) {
    if (e.recipient) rejected.set(e.recipient, { code: e.responseCode ?? 450, text: e.response ?? e.message });
  }
  // A next hop without DSN cannot report success itself: the notice is ours (Postfix's "relayed";
  // LMTP is final delivery).
  const successAction = session.dsnAnnounced ? undefined : lmtp ? 'delivered' as const : 'relayed' as const;
  return group.map((r) => {
    const rcpt = rejected.get(r.address);
    const o = rcpt ? outcome(r.address, rcpt.code, rcpt.text, session.relay)
      : err ? outcome(r.address, err.responseCode ?? 0, err.response ?? err.message, session.relay)
      : outcome(r.address, 250, info!.response, session.relay);
    if (session.uses > 1) o.connUse = session.uses;
    if (o.status === 'sent' && successAction && r.notify?.some((n) => n.toUpperCase() === 'SUCCESS')) o.success = successAction;
    return o;
  });
}

function outcome(address: string, code: number, text: string, relay: string): RecipientOutcome {
  const enh = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})/.exec(text)?.[1];
  const host = relay.slice(0, relay.indexOf('['));
  const said = `host ${relay.replace(/:\d+$/, '')} said: ${text}`;
  if (code >= 200 && code < 300) return { address, status: 'sent', dsn: enh ?? '2.0.0', reply: text, relay };
  if (code >= 500) return { address, status: 'bounced', dsn: enh ?? '5.0.0', reply: said, relay };
  // A reply-less failure (connection lost, timeout) is temporary, as in Postfix.
  return { address, status: 'deferred', dsn: enh ?? '4.4.2', reply: code ? said : `lost connection with ${host}: ${text}`, relay };
}

// One MAIL transaction carries one set of DSN parameters (nodemailer's envelope.dsn).
function groupByDsn(recipients: EnvelopeRecipient[]): EnvelopeRecipient[][] {
  const groups = new Map<string, EnvelopeRecipient[]>();
  for (const r of recipients) {
    const key = `${(r.notify ?? []).join(',')}|${r.orcpt ?? ''}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

// nodemailer xtext-encodes ENVID and ORCPT itself; the envelope keeps them as received (xtext).
function decodeXtext(value: string): string {
  return value.replace(/\+([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
