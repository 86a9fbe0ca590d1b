/**
 * A small Dovecot authentication server for tests, speaking the auth-client protocol (version 1)
 * the way Dovecot's auth process does for Postfix: on connect it sends VERSION, MECH lines,
 * SPID, CUID, COOKIE and DONE; then it answers AUTH and CONT with OK, CONT or FAIL. It knows
 * PLAIN and LOGIN and the users alice/secret and bob/hunter2. It listens on a UNIX socket in a
 * fresh temporary folder, or on 127.0.0.1 port 0 for the `inet:` form of smtpd_sasl_path.
 * Exports startDovecotAuthServer, DovecotAuthServer, AuthRequestSeen. Call stop() at the end.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_USERS: Readonly<Record<string, string>> = { alice: 'secret', bob: 'hunter2' };
export const DEFAULT_MECHANISMS = ['MECH\tPLAIN\tplaintext', 'MECH\tLOGIN\tplaintext'];

export interface DovecotAuthServerOptions {
  listen?: 'unix' | 'inet';             // UNIX socket (default) or 127.0.0.1 port 0
  users?: Record<string, string>;       // login -> password
  mechanisms?: string[];                // the MECH lines of the handshake
  handshake?: string;                   // replaces the whole handshake (wrong socket, bad version...)
  failReason?: string | null;           // reason= on FAIL; null (default) sends none, as Dovecot does for a bad password
  silent?: boolean;                     // never answer AUTH or CONT (timeouts)
  answerWith?: (id: string) => string;  // answer every AUTH with this line instead (malformed replies)
}

export interface AuthRequestSeen {
  id: string;                           // request id
  mechanism: string;
  params: Record<string, string | true>; // service, lip, rip, secured, nologin; resp is left out
  hadResponse: boolean;                 // resp= was present
}

export interface DovecotAuthServer {
  saslPath: string;                     // the smtpd_sasl_path value that reaches it
  requests: AuthRequestSeen[];          // every AUTH line, in order
  clientLines: string[];                // every line received, resp= and CONT data replaced by `*`
  handshakes: number;                   // connections accepted so far
  dropConnections(): void;              // close every client connection (the server keeps listening)
  stop(): Promise<void>;                // stop listening and remove the socket folder
}

interface Exchange {
  mechanism: string;
  step: 'plain' | 'login-user' | 'login-password';
  user: string;
}

/** startDovecotAuthServer - a listening server; its saslPath goes into smtpd_sasl_path. */
export async function startDovecotAuthServer(options: DovecotAuthServerOptions = {}): Promise<DovecotAuthServer> {
  const users = options.users ?? DEFAULT_USERS;
  const dir = options.listen === 'inet' ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-auth-'));
  const sockets = new Set<net.Socket>();
  const requests: AuthRequestSeen[] = [];
  const clientLines: string[] = [];
  let handshakes = 0;

  const server = net.createServer((socket) => {
    handshakes++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    socket.write(options.handshake ?? [
      'VERSION\t1\t2',
      ...(options.mechanisms ?? DEFAULT_MECHANISMS),
      `SPID\t${process.pid}`,
      `CUID\t${handshakes}`,
      'COOKIE\t0123456789abcdef0123456789abcdef',
      'DONE',
    ].join('\n') + '\n');
    const exchanges = new Map<string, Exchange>();
    const answer = (line: string) => {
      if (!options.silent) socket.write(line + '\n');
    };
    const decide = (id: string, user: string, password: string) => {
      exchanges.delete(id);
      if (users[user] !== undefined && users[user] === password) answer(`OK\t${id}\tuser=${user}`);
      else answer(`FAIL\t${id}\tuser=${user}${options.failReason ? `\treason=${options.failReason}` : ''}`);
    };
    const respond = (id: string, x: Exchange, data: string | null) => {
      if (x.step === 'plain') {
        if (!data) return answer(`CONT\t${id}\t`);
        const [, authcid = '', password = ''] = data.split('\0');
        return decide(id, authcid, password);
      }
      if (x.step === 'login-user') {
        if (data === null) return answer(`CONT\t${id}\tVXNlcm5hbWU6`);
        x.user = data;
        x.step = 'login-password';
        return answer(`CONT\t${id}\tUGFzc3dvcmQ6`);
      }
      return decide(id, x.user, data ?? '');
    };
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        const fields = line.split('\t');
        if (fields[0] === 'AUTH') {
          const [, id, mechanism, ...rest] = fields;
          const params: Record<string, string | true> = {};
          let resp: string | null = null;
          for (const f of rest) {
            const eq = f.indexOf('=');
            if (eq < 0) params[f] = true;
            else if (f.slice(0, eq) === 'resp') resp = f.slice(eq + 1);
            else params[f.slice(0, eq)] = f.slice(eq + 1);
          }
          requests.push({ id, mechanism, params, hadResponse: resp !== null });
          clientLines.push(line.replace(/\tresp=[^\t]*/, '\tresp=*'));
          if (options.answerWith) {
            answer(options.answerWith(id));
            continue;
          }
          const upper = mechanism.toUpperCase();
          if (upper !== 'PLAIN' && upper !== 'LOGIN') {
            answer(`FAIL\t${id}\treason=Unsupported authentication mechanism`);
            continue;
          }
          const x: Exchange = { mechanism: upper, step: upper === 'PLAIN' ? 'plain' : 'login-user', user: '' };
          exchanges.set(id, x);
          // `=` is an empty initial response, as Dovecot reads it; no resp= is none at all.
          respond(id, x, resp === null ? null : decodeBase64(resp === '=' ? '' : resp));
        } else if (fields[0] === 'CONT') {
          clientLines.push(`CONT\t${fields[1]}\t*`);
          const x = exchanges.get(fields[1]);
          if (!x) answer(`FAIL\t${fields[1]}\treason=Unknown request`);
          else respond(fields[1], x, decodeBase64(fields[2] ?? ''));
        } else {
          clientLines.push(line);
        }
      }
    });
  });
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (dir) server.listen(path.join(dir, 'auth'), () => resolve());
    else server.listen(0, '127.0.0.1', () => resolve());
  });
  await listening;
  const saslPath = dir ? path.join(dir, 'auth') : `inet:127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    saslPath,
    requests,
    clientLines,
    get handshakes() {
      return handshakes;
    },
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function decodeBase64(data: string): string {
  return Buffer.from(data, 'base64').toString('utf8');
}
