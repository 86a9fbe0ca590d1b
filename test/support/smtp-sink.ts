/**
 * A small SMTP sink for tests, a next hop on 127.0.0.1: it accepts mail and records each
 * transaction's envelope (MAIL FROM and RCPT TO with their parameters) and content, and can be
 * told to answer a recipient with a 4xx or 5xx reply, to drop connections (every new one, or
 * the next transactions at a chosen point: after RCPT, in the middle of DATA, or after the final
 * dot before the reply, when the sender cannot know the message arrived), to hang before its
 * greeting, or to wait before answering DATA. It counts connections and the most it had open
 * at once. Options: hide DSN from its EHLO reply, speak LMTP, listen on a UNIX-domain socket.
 * Exports startSmtpSink, SmtpSink, SinkMessage, SinkOptions, SinkFault. Built on smtp-server;
 * call stop() at the end (it cuts the connections still open).
 */
import type net from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SinkMessage {
  sender: string;                       // MAIL FROM address, '' for <>
  recipients: string[];                 // accepted RCPT TO addresses
  mailParameters: Record<string, unknown>; // MAIL FROM parameters (RET, ENVID …), as smtp-server parsed them
  rcptParameters: Record<string, Record<string, unknown>>; // RCPT TO parameters by recipient (NOTIFY, ORCPT)
  content: string;                      // the message as received
  acknowledged: boolean;                // false: received whole, then dropped before the 250 (fault 'after-dot')
}

export interface SinkOptions {
  hideDSN?: boolean; // no DSN in the EHLO reply
  lmtp?: boolean;    // LMTP: LHLO, one reply per recipient after DATA
  path?: string;     // listen on this UNIX-domain socket instead of 127.0.0.1
}

/** Where the sink hangs up on a transaction: its RCPT got 250, part of its DATA came, or all of it. */
export type SinkFault = 'after-rcpt' | 'during-data' | 'after-dot';

export interface SmtpSink {
  port: number;                                     // 0 when listening on a path
  messages: SinkMessage[];                          // transactions received whole, in order (unacknowledged ones too)
  replyFor: Map<string, string>;                    // recipient -> reply such as '450 4.2.0 try later'
  drop: boolean;                                    // close every new connection at once
  hang: boolean;                                    // accept new connections but never greet
  dataDelayMs: number;                              // wait this long before answering DATA
  connections: number;                              // connections accepted so far
  open: number;                                     // connections open now
  maxOpen: number;                                  // the most open at once
  faults: SinkFault[];                              // drop the next transactions here, one entry each, in order
  dropped: SinkFault[];                             // the faults carried out, in order
  waitFor(count: number, timeoutMs?: number): Promise<SinkMessage[]>; // at least count messages, or throw
  stop(): Promise<void>;
}

/** startSmtpSink - a sink on a free 127.0.0.1 port. */
export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const replyFor = new Map<string, string>();
  const rcptParameters = new WeakMap<SMTPServerSession, Record<string, Record<string, unknown>>>();
  const sink = { drop: false, hang: false, dataDelayMs: 0, connections: 0, open: 0, maxOpen: 0, faults: [] as SinkFault[], dropped: [] as SinkFault[] };
  const sockets = new Set<net.Socket>();
  // The connection of a session, to hang up on it as a broken peer would: no reply, no QUIT.
  const hungUp = new WeakSet<SMTPServerSession>();
  const hangUp = (session: SMTPServerSession, fault: SinkFault) => {
    // Pipelined RCPTs may ask twice before the socket is gone: one hang-up per transaction.
    if (hungUp.has(session)) return;
    hungUp.add(session);
    sink.dropped.push(fault);
    const connections = (server as unknown as { connections: Set<{ session: SMTPServerSession; _socket: { destroy(): void } }> }).connections;
    for (const connection of connections) if (connection.session.id === session.id) connection._socket.destroy();
  };
  // The fault for this transaction, taken from the list on its first RCPT.
  const faultOf = new WeakMap<SMTPServerSession, SinkFault>();
  const server = new SMTPServer({
    secure: false, authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false, size: 0,
    hideDSN: options.hideDSN === true, lmtp: options.lmtp === true,
    onConnect(_session, callback) {
      if (sink.hang) return;
      if (sink.drop) return callback(new Error('dropped'));
      callback();
    },
    onRcptTo(address, session, callback) {
      const reply = replyFor.get(address.address);
      if (reply) {
        const err = new Error(reply.slice(4)) as Error & { responseCode: number };
        err.responseCode = Number(reply.slice(0, 3));
        return callback(err);
      }
      const all = rcptParameters.get(session) ?? {};
      all[address.address] = { ...(address.args as Record<string, unknown>) };
      rcptParameters.set(session, all);
      if (!faultOf.has(session) && sink.faults.length > 0) faultOf.set(session, sink.faults.shift()!);
      callback();
      // After the 250 has gone out, before the client's next command is read.
      if (faultOf.get(session) === 'after-rcpt') setImmediate(() => hangUp(session, 'after-rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const fault = faultOf.get(session);
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        if (fault === 'during-data' && chunks.length === 1) hangUp(session, 'during-data');
      });
      stream.on('end', () => {
        if (fault === 'during-data') return;
        messages.push({
          sender: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          recipients: session.envelope.rcptTo.map((r) => r.address),
          mailParameters: session.envelope.mailFrom ? { ...(session.envelope.mailFrom.args as Record<string, unknown>) } : {},
          rcptParameters: rcptParameters.get(session) ?? {},
          content: Buffer.concat(chunks).toString('utf8'),
          acknowledged: fault !== 'after-dot',
        });
        rcptParameters.delete(session);
        faultOf.delete(session);
        if (fault === 'after-dot') return hangUp(session, 'after-dot');
        setTimeout(() => callback(null, 'Ok: queued'), sink.dataDelayMs);
      });
    },
  });
  server.on('error', () => {});
  server.server.on('connection', (socket: net.Socket) => {
    sink.connections += 1;
    sink.open += 1;
    sink.maxOpen = Math.max(sink.maxOpen, sink.open);
    sockets.add(socket);
    socket.once('close', () => {
      sink.open -= 1;
      sockets.delete(socket);
    });
  });
  if (options.path) await new Promise<void>((resolve) => server.listen(options.path, () => resolve()));
  else await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = options.path ? 0 : (server.server.address() as { port: number }).port;
  return Object.assign(sink, {
    port,
    messages,
    replyFor,
    async waitFor(count: number, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > until) throw new Error(`sink: ${messages.length} of ${count} messages after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages;
    },
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
  });
}
