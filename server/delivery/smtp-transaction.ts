/**
 * One delivery attempt over SMTP to one destination, as Postfix's smtp client: try its hosts in
 * order until one answers, EHLO, STARTTLS when offered (opportunistic, certificates not
 * verified), then one MAIL transaction per group of recipients sharing DSN parameters, with
 * NOTIFY, ORCPT, RET and ENVID passed on (RFC 3461). nodemailer's SMTPConnection speaks SMTP.
 * Exports RecipientOutcome, SmtpAttempt, runSmtpTransaction.
 * Reads no parameters itself: the caller passes myhostname for EHLO. Outcomes are values:
 * 2xx sent, 5xx bounced, 4xx or a connection failure deferred.
 * XXX no connection cache across messages (Postfix's scache): each attempt opens its own.
 */
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Envelope, EnvelopeRecipient } from '../queue/index.ts';
import type { DestinationHost } from './next-hop.ts';

/** What became of one recipient. */
export interface RecipientOutcome {
  address: string;
  status: 'sent' | 'deferred' | 'bounced';
  dsn: string;    // enhanced status code, e.g. 2.0.0
  reply: string;  // the text logged in parentheses after status=
  relay: string;  // relay=host[ip]:port, or none
}

/** One attempt at a destination. */
export interface SmtpAttempt {
  envelope: Envelope;
  recipients: EnvelopeRecipient[];
  content: Buffer;
  hosts: DestinationHost[];
  helo: string;
  timeoutMs: number;
}

/** runSmtpTransaction - deliver to the first host that takes a connection; one outcome per recipient. */
export async function runSmtpTransaction(attempt: SmtpAttempt): Promise<RecipientOutcome[]> {
  let lastFailure = 'no host to deliver to';
  for (const host of attempt.hosts) {
    const relay = `${host.name}[${host.address}]:${host.port}`;
    const connection = new SMTPConnection({
      host: host.address, port: host.port, name: attempt.helo, opportunisticTLS: true,
      tls: { rejectUnauthorized: false }, connectionTimeout: attempt.timeoutMs,
      greetingTimeout: attempt.timeoutMs, socketTimeout: attempt.timeoutMs * 5,
    });
    // connect() calls back on success only: a refused connection or greeting arrives as 'error'
    // or 'end'. Later errors also reach send()'s callback; the listener keeps them from throwing.
    let failure = '';
    connection.on('error', (err: Error) => void (failure ||= err.message));
    const connected = await new Promise<string | null>((resolve) => {
      connection.once('end', () => resolve(`connect to ${relay}: ${failure || 'lost connection'}`));
      connection.connect(() => resolve(null));
    });
    if (connected !== null) {
      lastFailure = connected;
      connection.close();
      continue;
    }
    try {
      const outcomes: RecipientOutcome[] = [];
      for (const group of groupByDsn(attempt.recipients)) {
        outcomes.push(...(await sendGroup(connection, attempt, group, relay)));
      }
      return outcomes;
    } finally {
      connection.quit();
    }
  }
  // Postfix defers every recipient when no host could be reached.
  return attempt.recipients.map((r) => ({ address: r.address, status: 'deferred', dsn: '4.4.1', reply: lastFailure, relay: 'none' }));
}

async function sendGroup(connection: SMTPConnection, attempt: SmtpAttempt, group: EnvelopeRecipient[], relay: string): Promise<RecipientOutcome[]> {
  const { envelope } = attempt;
  const first = group[0];
  const dsn = {
    ...(envelope.dsn.ret ? { ret: envelope.dsn.ret } : {}),
    ...(envelope.dsn.envid ? { envid: decodeXtext(envelope.dsn.envid) } : {}),
    ...(first.notify?.length ? { notify: first.notify } : {}),
    ...(group.length === 1 && first.orcpt ? { orcpt: decodeXtext(first.orcpt) } : {}),
  };
  return new Promise((resolve) => {
    connection.send(
      { from: envelope.sender === '' ? false : envelope.sender, to: group.map((r) => r.address), size: attempt.content.length, dsn, use8BitMime: envelope.bodyType === '8BITMIME' },
      Readable.from([attempt.content]),
      (err, info) => {
        const rejected = new Map<string, { code: number; text: string }>();
        for (const e of (err?.rejectedErrors ?? info?.rejectedErrors ?? [])) {
          if (e.recipient) rejected.set(e.recipient, { code: e.responseCode ?? 450, text: e.response ?? e.message });
        }
        resolve(group.map((r) => {
          const rcpt = rejected.get(r.address);
          if (rcpt) return outcome(r.address, rcpt.code, rcpt.text, relay);
          if (err) return outcome(r.address, err.responseCode ?? 0, err.response ?? err.message, relay);
          return outcome(r.address, 250, info!.response, relay);
        }));
      },
    );
  });
}

function outcome(address: string, code: number, text: string, relay: string): RecipientOutcome {
  const enh = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})/.exec(text)?.[1];
  const host = relay.slice(0, relay.indexOf('['));
  if (code >= 200 && code < 300) return { address, status: 'sent', dsn: enh ?? '2.0.0', reply: text, relay };
  if (code >= 500) return { address, status: 'bounced', dsn: enh ?? '5.0.0', reply: `host ${relay.replace(/:\d+$/, '')} said: ${text}`, relay };
  // A reply-less failure (connection lost, timeout) is temporary, as in Postfix.
  const reply = code ? `host ${relay.replace(/:\d+$/, '')} said: ${text}` : `lost connection with ${host}: ${text}`;
  return { address, status: 'deferred', dsn: enh ?? '4.4.2', reply, relay };
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
