/**
 * The console next to the gateway, as `npm start` runs it: a child process serving the Next.js
 * build (console-server.mjs, which owns the X-Forwarded-* headers) on its own listener
 * (127.0.0.1:3000 unless --console says otherwise), given the data folder through
 * PORTCULLIS_DATA, stopped by its PID with the gateway. Mail does not depend on it: when the
 * console dies the gateway logs it and goes on. What it writes to standard error goes to the
 * maillog as warnings (console-stderr.ts), under the program name console.
 * Exports startConsole, ConsoleProcess.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT, ensureConsoleBuild } from './console-build.ts';
import { ConsoleStderr } from './console-stderr.ts';

const CONSOLE_SERVER = fileURLToPath(new URL('./console-server.mjs', import.meta.url));

export interface ConsoleProcess {
  url: string;                 // where the console answers, e.g. http://127.0.0.1:3000
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

// Port 0 means any free port; Next wants a number, so ask the kernel for one first.
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function waitForListener(host: string, port: number, deadline: number, exited: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const attempt = () => {
      if (exited() || Date.now() > deadline) return resolve(false);
      const socket = net.connect(port, host);
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => { socket.destroy(); setTimeout(attempt, 100); });
    };
    attempt();
  });
}

/** startConsole - build if needed, start the console's server, resolve once it accepts connections. */
export async function startConsole(options: {
  dataDir: string; host: string; port: number;
  log: (line: string) => void;                                       // progress of the build, for the terminal
  warn: (code: 'CONSOLE_STDERR' | 'CONSOLE_PROCESS', text: string) => void; // for the maillog
}): Promise<{ ok: true; console: ConsoleProcess } | { ok: false; error: string }> {
  const built = await ensureConsoleBuild(options.log);
  if (!built.ok) return built;
  const port = options.port || (await freePort(options.host));
  const child = spawn(process.execPath, [CONSOLE_SERVER, options.host, String(port), PROJECT_ROOT], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORTCULLIS_DATA: options.dataDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let exited = false;
  let stopping = false;
  const stderr = new ConsoleStderr();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    for (const line of stderr.take(chunk)) options.warn('CONSOLE_STDERR', line);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    if (!stopping) options.warn('CONSOLE_PROCESS', `console process ${child.pid} exited (${signal ?? `status ${code}`}); the gateway goes on: ${stderr.tail().slice(-300)}`);
  });
  const ready = await waitForListener(options.host, port, Date.now() + READY_TIMEOUT_MS, () => exited);
  if (!ready) {
    child.kill('SIGKILL');
    return { ok: false, error: `the console did not start on ${options.host}:${port}: ${stderr.tail().slice(-500)}` };
  }
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    ok: true,
    console: {
      url: `http://${hostPart}:${port}`,
      pid: child.pid!,
      stop: () => new Promise<void>((resolve) => {
        stopping = true;
        if (exited) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => { clearTimeout(force); resolve(); });
        child.kill('SIGTERM');
      }),
    },
  };
}
