/**
 * `portcullis start` (and `npm start`): the gateway in the foreground, listening on
 * 127.0.0.1:2525 unless `--smtp HOST:PORT` (repeatable) says otherwise (port 25 on the
 * appliance), and the console on http://127.0.0.1:3000 unless `--console HOST:PORT` says
 * otherwise (`--no-console`: none). While no console account exists it prints a one-time setup
 * link. Stops both cleanly on SIGINT and SIGTERM.
 */
import path from 'node:path';
import { startGateway } from '../gateway/start-gateway.ts';
import { startConsole, type ConsoleProcess } from '../console/console-process.ts';
import { createPrismaClient } from '../db/client.ts';
import { issueSetupToken } from '../accounts/setup-token.ts';
import { parseListenAddress } from './listen-address.ts';
import type { CliIo } from './cli-io.ts';

const DEFAULT_SMTP = { host: '127.0.0.1', port: 2525 };
const DEFAULT_CONSOLE = { host: '127.0.0.1', port: 3000 };
const USAGE = 'usage: portcullis start [--smtp HOST:PORT ...] [--console HOST:PORT | --no-console] [--quiet]';

export async function runStart(argv: string[], io: CliIo): Promise<number> {
  const smtp: Array<{ host: string; port: number }> = [];
  let consoleAt: { host: string; port: number } | null = DEFAULT_CONSOLE;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smtp' || a === '--console') {
      const addr = parseListenAddress(argv[++i] ?? '');
      if (!addr.ok) {
        io.stderr(`portcullis: fatal: ${a}: ${addr.error}\n`);
        return 1;
      }
      if (a === '--smtp') smtp.push({ host: addr.host, port: addr.port });
      else consoleAt = { host: addr.host, port: addr.port };
    } else if (a === '--no-console') {
      consoleAt = null;
    } else if (a === '--quiet') {
      quiet = true;
    } else {
      io.stderr(`portcullis: fatal: start: unknown option "${a}"\n${USAGE}\n`);
      return 1;
    }
  }
  const started = await startGateway({ dataDir: io.dataDir, smtp: smtp.length ? smtp : [DEFAULT_SMTP], logToStdout: !quiet, delivery: true, deliveryThread: true });
  if (!started.ok) {
    io.stderr(`portcullis: fatal: ${started.error}\n`);
    return 1;
  }
  const g = started.gateway;
  let consoleProcess: ConsoleProcess | null = null;
  if (consoleAt) {
    const c = await startConsole({
      dataDir: io.dataDir, ...consoleAt,
      log: (line) => io.stdout(`portcullis: ${line}\n`),
      warn: (code, text) => g.maillog.write('console', code, text, 'warning'),
    });
    if (!c.ok) {
      await g.stop();
      io.stderr(`portcullis: fatal: console: ${c.error}\n`);
      return 1;
    }
    consoleProcess = c.console;
  }
  const rel = path.relative(process.cwd(), io.dataDir) || '.';
  io.stdout([
    'Portcullis gateway is running.',
    ...g.listeners.map((l) => `  SMTP      ${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`),
    ...(consoleProcess ? [`  console   ${consoleProcess.url}`] : []),
    `  data      ${rel} (database portcullis.db, queue/, log/maillog)`,
    `  policy    revision ${g.snapshot().revision}; change parameters with: npx portcullis postconf -e NAME=VALUE`,
    ...(consoleProcess ? await firstAccountHint(io.dataDir, consoleProcess.url) : []),
    'Stop with Ctrl-C.',
    '',
  ].join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await consoleProcess?.stop();
  await g.stop();
  return 0;
}

// While no account exists: the one-time link that creates the first administrator.
async function firstAccountHint(dataDir: string, url: string): Promise<string[]> {
  const prisma = createPrismaClient(dataDir);
  try {
    const token = await issueSetupToken(prisma);
    if (token === null) return [];
    return [
      '',
      'No console account exists yet. Create the first administrator within 24 hours at:',
      `  ${url}/setup?token=${token}`,
      'or from the shell: npx portcullis user add NAME --role admin',
      '',
    ];
  } finally {
    await prisma.$disconnect();
  }
}
