/**
 * A client of the Dovecot authentication server, doing what Postfix's
 * xsasl_dovecot_server.c does, over one connection shared by every SMTP session of the
 * gateway: requests are told apart by their id, so many exchanges share the connection.
 * The connection is opened on first use (handshake: VERSION, MECH..., SPID, CUID, COOKIE,
 * DONE), kept, and opened again on the next request after it was lost or timed out.
 * Exports DovecotAuthClientOptions, createDovecotAuthClient (a SaslServer).
 * Logs (through warn), in Postfix's words: `SASL: Connect to Dovecot auth socket 'PATH'
 * failed: REASON`, `SASL: Protocol version error`, `SASL: Protocol version mismatch (N vs. 1)`,
 * `SASL: Connected to wrong auth socket (auth-master instead of auth-client)`,
 * `missing Dovecot server OK username field`, `missing Dovecot server CONT reply field`.
 * Never logs what the client sent (passwords travel base64 in AUTH and CONT).
 * A server that cannot be reached, or a connection lost mid-exchange, gives a `temp` step
 * (454 at the SMTP front), never a pass. A request without an answer within timeoutMs
 * (Postfix's AUTH_TIMEOUT, 10 s) ends the same way and the connection is dropped, as
 * Postfix's timed-out stream is; exchanges in flight on it end with it.
 */
import net from 'node:net';
import { filterMechanisms, type SaslMechanism } from './mechanism-filter.ts';
import type { SaslPath } from './sasl-path.ts';
import type { SaslServer, SaslStart, SaslStep } from './sasl-server.ts';
import {
  AUTH_PROTOCOL_MAJOR_VERSION, formatAuthRequest, formatContinue, formatHandshake, isValidBase64, parseServerLine, type ServerLine,
} from './dovecot-auth-protocol.ts';

const AUTH_TIMEOUT_MS = 10_000;

// Reply texts of xsasl_dovecot_server.c; the SMTP front puts them after 454 or 535.
const CANNOT_CONNECT = "Can't connect to authentication server";
const CONNECTION_LOST = 'Connection lost to authentication server';
const BACKEND_ERROR = 'Authentication backend error';

export interface DovecotAuthClientOptions {
  path: SaslPath;                  // where the server listens
  pathText: string;                // smtpd_sasl_path as written, for log lines
  warn: (text: string) => void;    // one maillog warning
  timeoutMs?: number;              // connect, handshake and per-request limit; AUTH_TIMEOUT by default
  pid?: number;                    // CPID; this process by default
}

interface Connection {
  socket: net.Socket;
  mechanisms: SaslMechanism[];     // from the MECH lines, `private` ones left out
  pending: Map<number, (reply: ReplyLine) => void>; // requests waiting for the server's answer
  drop(): void;                    // close it; every request waiting on it ends as lost
}

type ReplyLine = Extract<ServerLine, { kind: 'OK' | 'CONT' | 'FAIL' }> | { kind: 'lost' };

/** createDovecotAuthClient - a client that connects on first use. */
export function createDovecotAuthClient(options: DovecotAuthClientOptions): SaslServer {
  const timeoutMs = options.timeoutMs ?? AUTH_TIMEOUT_MS;
  let current: Connection | null = null;
  let connecting: Promise<Connection | null> | null = null;
  let lastId = 0;
  let closed = false;

  const connect = (): Promise<Connection | null> => {
    if (current) return Promise.resolve(current);
    if (closed) return Promise.resolve(null);
    connecting ??= openConnection(options, timeoutMs, (c) => {
      if (current === c) current = null;
    }).then((c) => {
      connecting = null;
      if (c && closed) c.drop();
      // A server that hung up right after DONE has already dropped the connection.
      else if (c && !c.socket.destroyed) current = c;
      return current;
    });
    return connecting;
  };

  // send - write one line of request id; resolves with the step the server's answer makes.
  const send = (c: Connection, id: number, line: string): Promise<SaslStep> => {
    if (current !== c) return Promise.resolve({ kind: 'temp', reason: CONNECTION_LOST });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        c.pending.delete(id);
        resolve({ kind: 'temp', reason: CONNECTION_LOST });
        c.drop();
      }, timeoutMs);
      c.pending.set(id, (reply) => {
        clearTimeout(timer);
        c.pending.delete(id);
        resolve(stepOf(reply, (response) => {
          if (!isValidBase64(response)) return Promise.resolve({ kind: 'fail', reason: 'Invalid base64 data in continued response' });
          return send(c, id, formatContinue(id, response));
        }, options.warn));
      });
      c.socket.write(line);
    });
  };

  return {
    async mechanisms(securityOptions) {
      const c = await connect();
      return c ? filterMechanisms(c.mechanisms, securityOptions) : null;
    },
    // In the order of Postfix's xsasl_dovecot_server_first(), the mechanism list known first.
    async authenticate(start: SaslStart) {
      const c = await connect();
      if (!c) return { kind: 'temp', reason: CANNOT_CONNECT };
      const offered = filterMechanisms(c.mechanisms, start.securityOptions);
      if (!offered.some((m) => m.toLowerCase() === start.mechanism.toLowerCase())) {
        return { kind: 'fail', reason: 'Invalid authentication mechanism' };
      }
      if (start.initialResponse !== null && !isValidBase64(start.initialResponse)) {
        return { kind: 'fail', reason: 'Invalid base64 data in initial response' };
      }
      const id = ++lastId;
      const { mechanism, service, localAddress, clientAddress, secured, initialResponse } = start;
      return send(c, id, formatAuthRequest({ id, mechanism, service, localAddress, clientAddress, secured, initialResponse }));
    },
    async close() {
      closed = true;
      if (connecting) await connecting;
      current?.drop();
      current = null;
    },
  };
}

/** stepOf - what a server reply means for the exchange (xsasl_dovecot_handle_reply()). */
function stepOf(reply: ReplyLine, respond: (response: string) => Promise<SaslStep>, warn: (text: string) => void): SaslStep {
  switch (reply.kind) {
    case 'OK':
      if (reply.user === null) {
        warn('missing Dovecot server OK username field');
        return { kind: 'fail', reason: BACKEND_ERROR };
      }
      return { kind: 'ok', username: reply.user };
    case 'CONT':
      if (reply.data === null) {
        warn('missing Dovecot server CONT reply field');
        return { kind: 'fail', reason: BACKEND_ERROR };
      }
      return { kind: 'continue', challenge: reply.data, respond };
    case 'FAIL':
      return { kind: 'fail', reason: reply.reason ?? '' };
    case 'lost':
      return { kind: 'temp', reason: CONNECTION_LOST };
  }
}

/**
 * openConnection - connect and run the handshake up to DONE; null (after a warning) when that
 * fails. After DONE the same reader hands replies to the waiting requests; onDrop is told
 * when the connection goes.
 */
function openConnection(options: DovecotAuthClientOptions, timeoutMs: number, onDrop: (c: Connection) => void): Promise<Connection | null> {
  return new Promise((resolve) => {
    const socket = options.path.kind === 'unix'
      ? net.connect({ path: options.path.path })
      : net.connect({ host: options.path.host, port: options.path.port });
    const connection: Connection = {
      socket,
      mechanisms: [],
      pending: new Map(),
      drop() {
        socket.destroy();
        onDrop(connection);
        const waiting = [...connection.pending.values()];
        connection.pending.clear();
        for (const answer of waiting) answer({ kind: 'lost' });
      },
    };
    let haveMechLine = false;
    let ready = false;               // DONE seen
    let failed = false;
    const fail = (warning: string) => {
      if (ready || failed) return;
      failed = true;
      options.warn(warning);
      socket.destroy();
      resolve(null);
    };
    const cannotConnect = (reason: string) => `SASL: Connect to Dovecot auth socket '${options.pathText}' failed: ${reason}`;
    socket.setTimeout(timeoutMs, () => fail(cannotConnect('timeout')));
    socket.on('error', (err: NodeJS.ErrnoException) => (ready ? connection.drop() : fail(cannotConnect(errorText(err)))));
    socket.on('close', () => (ready ? connection.drop() : fail(cannotConnect('connection closed during the handshake'))));
    socket.once('connect', () => socket.write(formatHandshake(options.pid ?? process.pid)));
    readLines(socket, (line) => {
      if (failed) return;
      const parsed = parseServerLine(line);
      if (ready) {
        // A reply to a request no longer waited for (aborted, timed out) is ignored, as in Postfix.
        if (parsed.kind === 'OK' || parsed.kind === 'CONT' || parsed.kind === 'FAIL') connection.pending.get(parsed.id)?.(parsed);
        return;
      }
      switch (parsed.kind) {
        case 'VERSION_ERROR':
          return fail('SASL: Protocol version error');
        case 'VERSION':
          if (parsed.major !== AUTH_PROTOCOL_MAJOR_VERSION) {
            return fail(`SASL: Protocol version mismatch (${parsed.major} vs. ${AUTH_PROTOCOL_MAJOR_VERSION})`);
          }
          return;
        case 'MECH': {
          haveMechLine = true;
          const properties = parsed.properties.map((p) => p.toLowerCase());
          if (!properties.includes('private')) connection.mechanisms.push({ name: parsed.name, properties });
          return;
        }
        case 'SPID':
          // auth-master and auth-userdb sockets send VERSION and SPID only; auth-client sends MECH first.
          if (!haveMechLine) return fail('SASL: Connected to wrong auth socket (auth-master instead of auth-client)');
          return;
        case 'DONE':
          ready = true;
          socket.setTimeout(0);
          resolve(connection);
          return;
        default:
          return;
      }
    });
  });
}

// errorText - the reason as Postfix's %m would print it for the usual cases.
function errorText(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'No such file or directory';
  if (err.code === 'ECONNREFUSED') return 'Connection refused';
  if (err.code === 'EACCES') return 'Permission denied';
  return err.message;
}

/** readLines - call onLine for each LF-terminated line. */
function readLines(socket: net.Socket, onLine: (line: string) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  const onData = (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      onLine(line);
    }
  };
  socket.on('data', onData);
}
