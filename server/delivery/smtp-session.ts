/**
 * One client session with a next hop, as Postfix's smtp and lmtp clients hold one: connect over
 * TCP or a UNIX-domain socket, greeting, EHLO (LHLO for LMTP), STARTTLS when offered
 * (opportunistic, certificates not verified), then MAIL transactions separated by RSET until
 * QUIT. nodemailer's SMTPConnection speaks the protocol; every step here is a promise that
 * settles even when the connection dies or is cut, because nodemailer drops pending callbacks
 * when it closes. A session whose next hop answered before it read the whole message is cut:
 * it is out of step, and the caller reuses the content's memory for the next message.
 * Exports SessionEndpoint, SessionOptions, SessionEnvelope, SendResult, SmtpSession, openSmtpSession.
 * Reads no parameters: the caller passes myhostname and the timeout.
 */
import net from 'node:net';
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type DataStream from 'nodemailer/lib/smtp-connection/data-stream.js';
import { speedUpDataStream } from './dot-stuffing.ts';

/** Where to connect: a TCP address and port, or a UNIX-domain socket path (lmtp:unix:/path). */
export interface SessionEndpoint {
  name: string;     // host name as logged in relay=, or the socket path
  address?: string; // IP address to connect to
  port?: number;
  path?: string;    // UNIX-domain socket
}

export interface SessionOptions {
  helo: string;      // EHLO/LHLO name: myhostname
  lmtp: boolean;     // LHLO and one reply per recipient after DATA
  timeoutMs: number; // connect and greeting; five times this for any later reply
}

/** nodemailer's result of one transaction: err for a failed MAIL/DATA, info otherwise. */
export interface SendResult {
  err: (Error & { responseCode?: number; response?: string; rejectedErrors?: RecipientError[] }) | null;
  info: { response: string; rejectedErrors?: RecipientError[] } | null;
}

// nodemailer's internals this module reaches: the EHLO keywords, the stream it makes for each
// DATA (where the content is dot-stuffed) and the socket, a TLS socket after STARTTLS.
interface ConnectionInternals {
  _supportedExtensions: string[];
  _createSendStream(callback: unknown): DataStream;
  _socket: net.Socket | false;
}

interface RecipientError extends Error {
  recipient?: string;
  responseCode?: number;
  response?: string;
}

/** One envelope for send(): nodemailer's shape. */
export interface SessionEnvelope {
  from: string | false;
  to: string[];
  size: number;
  dsn: { ret?: string; envid?: string; notify?: string[]; orcpt?: string };
  use8BitMime: boolean;
}

/** An open session; `uses` counts the transactions it carried, for conn_use=. */
export class SmtpSession {
  uses = 0;                       // transactions carried so far; conn_use= is this from 2 on
  readonly openedAt = Date.now(); // for smtp_connection_reuse_time_limit
  #ended = false;                 // nodemailer said 'end': closed by either side
  readonly #onEnd = new Set<() => void>(); // settles whatever waits when the connection goes
  #dataStream: DataStream | null = null;   // the DATA stream of the transaction under way

  constructor(readonly relay: string, private readonly connection: SMTPConnection) {
    connection.on('end', () => {
      this.#ended = true;
      for (const settle of [...this.#onEnd]) settle();
    });
    const internals = connection as unknown as ConnectionInternals;
    const createSendStream = internals._createSendStream;
    internals._createSendStream = (callback) => {
      const stream = createSendStream.call(connection, callback);
      speedUpDataStream(stream);
      this.#dataStream = stream;
      return stream;
    };
  }

  /** alive - connected and not closed by either side. */
  get alive(): boolean {
    return !this.#ended;
  }

  /** dsnAnnounced - the next hop listed DSN in its EHLO reply (RFC 3461): it takes NOTIFY over. */
  get dsnAnnounced(): boolean {
    // nodemailer keeps the EHLO keywords private; it reads the same list to pass DSN on.
    return (this.connection as unknown as ConnectionInternals)._supportedExtensions.includes('DSN');
  }

  /**
   * send - one MAIL transaction; a connection lost meanwhile is an error without a reply code.
   * Once it settles, no socket holds the content any more: the caller may reuse its memory.
   */
  async send(envelope: SessionEnvelope, content: Buffer): Promise<SendResult> {
    this.#dataStream = null;
    const result = await this.#settled<SendResult>({ err: Object.assign(new Error('lost connection'), { responseCode: 0 }), info: null }, (resolve) => {
      this.connection.send(envelope, Readable.from([content]), (err, info) => resolve({ err: err ?? null, info: (info as SendResult['info']) ?? null }));
    });
    // nodemailer waits for the reply to the final dot from the moment DATA starts, so a next hop
    // that answers early ends the transaction while the content is still in the DATA stream or
    // queued on the socket, and a closed connection goes on writing what is queued. Such a
    // session is out of step with the next hop and would write whatever the memory holds next:
    // it is cut. Only a socket with nothing left to write after the whole stream is kept.
    const socket = (this.connection as unknown as ConnectionInternals)._socket;
    const stream = this.#dataStream as DataStream | null; // set by the hook meanwhile
    if (socket && !socket.destroyed && stream !== null && !(stream.readableEnded && socket.writableLength === 0)) {
      this.connection.close();
      socket.destroy();
    }
    return result;
  }

  /** reset - RSET before the session is kept for the next message; false when it failed. */
  reset(): Promise<boolean> {
    return this.#settled(false, (resolve) => this.connection.reset((err) => resolve(!err)));
  }

  /** quit - QUIT and close. */
  quit(): void {
    if (this.#ended) return;
    this.connection.quit();
  }

  /** abort - drop the connection now; whatever waits settles as a lost connection. */
  abort(): void {
    this.connection.close();
  }

  #settled<T>(onEnd: T, start: (resolve: (value: T) => void) => void): Promise<T> {
    if (this.#ended) return Promise.resolve(onEnd);
    return new Promise<T>((resolve) => {
      const settle = (value: T) => {
        this.#onEnd.delete(ended);
        resolve(value);
      };
      const ended = () => settle(onEnd);
      this.#onEnd.add(ended);
      start(settle);
    });
  }
}

/**
 * openSmtpSession - connect and greet; a refused connection, a bad greeting or a timeout comes
 * back as the reason Postfix logs (`connect to host[addr]:port: ...`). `track` sees the
 * connection before it is up, so a stop can cut a hung greeting.
 */
export async function openSmtpSession(
  endpoint: SessionEndpoint, options: SessionOptions, track: (abort: () => void) => () => void,
): Promise<{ ok: true; session: SmtpSession } | { ok: false; reason: string }> {
  const relay = endpoint.path ? `${endpoint.name}[${endpoint.path}]` : `${endpoint.name}[${endpoint.address}]:${endpoint.port}`;
  let socket: net.Socket | undefined;
  if (endpoint.path) {
    const s = net.connect({ path: endpoint.path });
    const untrack = track(() => s.destroy());
    const failure = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve('connection timed out'), options.timeoutMs);
      s.once('connect', () => (clearTimeout(timer), resolve(null)));
      s.once('error', (err) => (clearTimeout(timer), resolve(err.message)));
      s.once('close', () => (clearTimeout(timer), resolve('lost connection')));
    });
    untrack();
    if (failure !== null) {
      s.destroy();
      return { ok: false, reason: `connect to ${relay}: ${describe(failure)}` };
    }
    socket = s;
  }
  const connection = new SMTPConnection({
    host: endpoint.address, port: endpoint.port, connection: socket, name: options.helo, lmtp: options.lmtp,
    opportunisticTLS: true, tls: { rejectUnauthorized: false },
    connectionTimeout: options.timeoutMs, greetingTimeout: options.timeoutMs, socketTimeout: options.timeoutMs * 5,
  });
  // connect() calls back on success, or with an error for a silent close before the greeting;
  // a refused connection or a bad greeting arrives as 'error' then 'end'. The listener also
  // keeps later errors (they reach send()'s callback too) from throwing.
  let failure = '';
  connection.on('error', (err: Error) => void (failure ||= err.message));
  const untrack = track(() => connection.close());
  const connected = await new Promise<string | null>((resolve) => {
    connection.once('end', () => resolve(failure || 'lost connection'));
    connection.connect((err?: Error | null) => resolve(err ? err.message : null));
  });
  untrack();
  if (connected !== null) {
    connection.close();
    return { ok: false, reason: `connect to ${relay}: ${describe(connected)}` };
  }
  return { ok: true, session: new SmtpSession(relay, connection) };
}

// The system's words for a connection failure, as Postfix logs them (strerror), instead of
// Node's `connect ECONNREFUSED 127.0.0.1:25`.
const STRERROR: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
};

function describe(message: string): string {
  const code = /\b(E[A-Z]+)\b/.exec(message)?.[1];
  return code && STRERROR[code] ? STRERROR[code] : message;
}
