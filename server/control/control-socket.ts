/**
 * The control channel between the gateway and its CLI (and, later, the console): a UNIX socket
 * `control.sock` in the data folder, mode 0600, so only the gateway's own user can ask it to
 * reload or report status. One JSON request per line, one JSON reply per line.
 * Exports controlSocketPath, serveControl, sendControlRequest and the message types.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export type ControlRequest = { command: 'reload' } | { command: 'status' };

export type ControlReply =
  | { ok: true; revision: number; takenAt: string; connections?: number; listeners?: string[] }
  | { ok: false; error: string };

/** controlSocketPath - where a data folder's gateway listens for control requests. */
export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, 'control.sock');
}

/** serveControl - answer control requests; a stale socket file of a dead gateway is replaced. */
export async function serveControl(dataDir: string, handle: (r: ControlRequest) => Promise<ControlReply>): Promise<{ close(): Promise<void> }> {
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
        let reply: ControlReply;
        try {
          const req = JSON.parse(line) as ControlRequest;
          reply = req.command === 'reload' || req.command === 'status' ? await handle(req) : { ok: false, error: `unknown control command` };
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

/** sendControlRequest - ask the gateway of a data folder; not running is a reply, not a throw. */
export function sendControlRequest(dataDir: string, request: ControlRequest, timeoutMs = 10_000): Promise<ControlReply> {
  return new Promise((resolve) => {
    const socket = net.connect(controlSocketPath(dataDir));
    let buf = '';
    const done = (r: ControlReply) => {
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
          done(JSON.parse(buf.slice(0, i)) as ControlReply);
        } catch {
          done({ ok: false, error: 'malformed reply from the gateway' });
        }
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? 'the gateway is not running' : err.message }));
  });
}
