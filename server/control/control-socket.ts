/**
 * The control channel between the gateway and its CLI (and, later, the console): a UNIX socket
 * `control.sock` in the data folder, mode 0600, so only the gateway's own user can ask it to
 * reload, report status or act on the queue. One JSON request per line, one JSON reply per line.
 * Exports controlSocketPath, serveControl, sendControlRequest and the message types.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { QueueOperation, QueueOperationResult } from '../queue/queue-admin.ts';

export type ControlRequest = { command: 'reload' } | { command: 'status' } | { command: 'statistics' } | QueueControlRequest;

/** Queue requests (queue-control.ts): the gateway changes the files and tells its queue manager. */
export type QueueControlRequest =
  | { command: 'flush' }
  | { command: 'queue'; operation: QueueOperation; ids: string[] | 'ALL' };

export type ControlReply =
  | { ok: true; revision: number; takenAt: string; connections?: number; listeners?: string[] }
  | { ok: false; error: string };

/** The reply to a QueueControlRequest: flush says how many were scheduled, queue what was done. */
export type QueueControlReply = { ok: true; flushed: number } | QueueOperationResult;

/** The error of a request to a data folder where no gateway runs: the caller may act alone. */
export const GATEWAY_NOT_RUNNING = 'the gateway is not running';

// statistics: write the traffic counters now (the console's dashboard asks before it reads them).
const CONTROL_COMMANDS: ReadonlySet<string> = new Set(['reload', 'status', 'statistics', 'flush', 'queue']);

/** controlSocketPath - where a data folder's gateway listens for control requests. */
export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, 'control.sock');
}

/** serveControl - answer control requests; a stale socket file of a dead gateway is replaced. */
export async function serveControl(dataDir: string, handle: (r: ControlRequest) => Promise<ControlReply | QueueControlReply>): Promise<{ close(): Promise<void> }> {
  const file = controlSocketPath(dataDir);
  if (fs.existsSync(file)) {
    const alive = await sendControlRequest(dataDir, { command: 'status' }, 500);
    if (alive.ok) throw new Error(`another gateway is running on this data folder (${file})`);
    fs.unlinkSync(file);
  }
  const server = net.createServer((socket) => {
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', async (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let reply: ControlReply | QueueControlReply;
        try {
          const req = JSON.parse(line) as ControlRequest;
          reply = CONTROL_COMMANDS.has(req.command) ? await handle(req) : { ok: false, error: `unknown control command` };
        } catch {
          reply = { ok: false, error: 'malformed control request' };
        }
        socket.write(JSON.stringify(reply) + '\n');
      }
      if (buf.length > 65536) socket.destroy();
    });
  });
  const oldMask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(file, () => resolve());
    });
  } finally {
    process.umask(oldMask);
  }
  fs.chmodSync(file, 0o600);
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * sendControlRequest - ask the gateway of a data folder; not running is a reply, not a throw.
 * R is the reply type of the request: ControlReply, or QueueControlReply for queue requests.
 */
export function sendControlRequest<R extends { ok: boolean } = ControlReply>(
  dataDir: string, request: ControlRequest, timeoutMs = 10_000,
): Promise<R | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(controlSocketPath(dataDir));
    let buf = '';
    const done = (r: R | { ok: false; error: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, error: 'the gateway did not answer in time' }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (d: string) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) {
        try {
          done(JSON.parse(buf.slice(0, i)) as R);
        } catch {
          done({ ok: false, error: 'malformed reply from the gateway' });
        }
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? GATEWAY_NOT_RUNNING : err.message }));
  });
}
