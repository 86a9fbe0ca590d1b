/**
 * The SMTP front: smtp-server's listener with every session run by SmtpdConnection. Built
 * apart from listening (createSmtpFront, then listen), so the CLI and the tests start it the
 * same way. Also serves one session over any duplex stream, for `portcullis smtpd --stdin`.
 * Reads: smtpd_tls_cert_file, smtpd_tls_key_file (loaded at creation and on reload).
 * Each front keeps one Anvil, the client event counters its sessions share.
 * Exports createSmtpFront, SmtpFront.
 */
import fs from 'node:fs';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { SmtpdConnection } from './smtpd-connection.ts';
import type { SmtpFrontServices } from './smtp-front-services.ts';
import { Anvil } from '../anvil/anvil.ts';

export interface SmtpFront {
  /** listen - bind one listener; resolves with the bound address (port 0 picks a free port). */
  listen(host: string, port: number): Promise<{ host: string; port: number }>;
  /** serveStream - run one session over a duplex stream (standard input and output). */
  serveStream(stream: Duplex, peer: { address: string; port: number }): Promise<void>;
  /** reloadTls - load the certificate named by the current snapshot. */
  reloadTls(): void;
  /** connectionCount - sessions in progress. */
  connectionCount(): number;
  /** close - stop listening; sessions in progress get up to graceMs to finish. */
  close(graceMs?: number): Promise<void>;
}

class GatewaySmtpServer extends SMTPServer {
  services!: SmtpFrontServices;
  tlsLoaded = false;

  override connect(socket: net.Socket, socketOptions?: object): void {
    const connection = new SmtpdConnection(this, socket, socketOptions as never);
    this.connections.add(connection);
    connection.on('error', () => connection.close());
    connection.init();
  }
}

/** loadTls - the PEM files of the snapshot, or null when TLS is not configured or unreadable. */
function loadTls(services: SmtpFrontServices): { key: Buffer; cert: Buffer; ca?: Buffer } | null {
  const s = services.snapshot().settings;
  if (!s.smtpdTlsCertFile) return null;
  try {
    return {
      cert: fs.readFileSync(s.smtpdTlsCertFile),
      key: fs.readFileSync(s.smtpdTlsKeyFile || s.smtpdTlsCertFile),
      ...(s.smtpdTlsCAfile ? { ca: fs.readFileSync(s.smtpdTlsCAfile) } : {}),
    };
  } catch (err) {
    services.maillog.write('smtpd', 'SMTPD_WARNING', `cannot load TLS certificate ${s.smtpdTlsCertFile}: ${(err as Error).message}`, 'warning');
    return null;
  }
}

// smtpd_tls_ask_ccert: smtp-server reads these options at each STARTTLS. A certificate that
// does not verify is not refused (Postfix goes on without it); the session just has no
// verified certificate for permit_tls_clientcerts.
function askClientCertificates(server: GatewaySmtpServer, services: SmtpFrontServices): void {
  const options = server.options as { requestCert?: boolean; rejectUnauthorized?: boolean };
  options.requestCert = services.snapshot().settings.smtpdTlsAskCcert;
  options.rejectUnauthorized = false;
}

// smtp-server names each connection with random bytes unless given an id; nothing reads it
// here, and a counter spares a call into the random generator per connection.
let connections = 0;
const connectionId = () => (connections += 1).toString(36);

/** createSmtpFront - a front with no listener yet. */
export function createSmtpFront(services: SmtpFrontServices): SmtpFront {
  const tls = loadTls(services);
  const listeners: net.Server[] = [];
  const server = new GatewaySmtpServer({
    secure: false,
    logger: false,
    // smtp-server's own name for itself, read at each connection: without it, os.hostname() is
    // asked every time. The replies are the gateway's, with $myhostname.
    name: services.snapshot().settings.myhostname,
    disableReverseLookup: true,
    hideSTARTTLS: true,
    authOptional: true,
    ...(tls ?? {}),
  });
  server.services = services;
  server.tlsLoaded = tls !== null;
  askClientCertificates(server, services);
  server.on('error', (err: Error) => services.maillog.write('smtpd', 'SMTPD_WARNING', `smtp listener: ${err.message}`, 'warning'));
  services.tlsAvailable = () => server.tlsLoaded;
  services.anvil = new Anvil(() => services.snapshot().settings.anvilRateTimeUnitMs);

  return {
    async listen(host, port) {
      // One net.Server per listener, all feeding the same SMTPServer, so `--smtp` can repeat.
      // Half-open: a client that sends its commands and closes its side is still answered
      // (SmtpdConnection ends the session once its input is used up, as Postfix meets EOF).
      const listener = net.createServer({ allowHalfOpen: true }, (socket) => server.connect(socket, { id: connectionId() }));
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(port, host, () => resolve());
      });
      listener.on('error', (err) => services.maillog.write('smtpd', 'SMTPD_WARNING', `listener ${host}:${port}: ${err.message}`, 'warning'));
      listeners.push(listener);
      const addr = listener.address() as net.AddressInfo;
      return { host: addr.address, port: addr.port };
    },
    serveStream(stream, peer) {
      return new Promise((resolve) => {
        const socket = Object.assign(stream, {
          remoteAddress: peer.address, remotePort: peer.port, localAddress: '127.0.0.1', localPort: 0,
          setTimeout(ms: number, cb?: () => void) { streamTimeout(stream, ms, cb); return stream; },
          setKeepAlive() { return stream; },
          setNoDelay() { return stream; },
          readyState: 'open',
        });
        stream.once('close', () => resolve());
        stream.once('finish', () => resolve());
        server.connect(socket as unknown as net.Socket, { id: connectionId() });
      });
    },
    reloadTls() {
      const next = loadTls(services);
      if (next) server.updateSecureContext(next);
      server.tlsLoaded = next !== null;
      askClientCertificates(server, services);
    },
    connectionCount() {
      return server.connections.size;
    },
    async close(graceMs = 5000) {
      // net.Server.close() calls back only when every connection has ended: stop accepting
      // first, let sessions finish within the grace time, then end the rest.
      const closed = listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
      const deadline = Date.now() + graceMs;
      while (server.connections.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const c of [...server.connections]) {
        const conn = c as SmtpdConnection;
        conn.close();
        conn._socket.destroy();
      }
      await Promise.all(closed);
    },
  };
}

/** streamTimeout - socket.setTimeout for a plain stream: idle time since the last input. */
function streamTimeout(stream: Duplex, ms: number, cb?: () => void): void {
  const s = stream as Duplex & { _idleTimer?: NodeJS.Timeout; _idleHook?: boolean };
  const arm = () => {
    if (s._idleTimer) clearTimeout(s._idleTimer);
    if (ms > 0 && cb) s._idleTimer = setTimeout(cb, ms);
  };
  if (!s._idleHook) {
    s._idleHook = true;
    stream.on('data', () => arm());
    stream.on('close', () => s._idleTimer && clearTimeout(s._idleTimer));
  }
  arm();
}
