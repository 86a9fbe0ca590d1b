/**
 * `portcullis start` (and `npm start`): the gateway in the foreground, listening on
 * 127.0.0.1:2525 unless `--smtp HOST:PORT` (repeatable) says otherwise; port 25 on the
 * appliance. Stops cleanly on SIGINT and SIGTERM.
 */
import path from 'node:path';
import { startGateway } from '../gateway/start-gateway.ts';
import { parseListenAddress } from './listen-address.ts';
import type { CliIo } from './cli-io.ts';

const DEFAULT_SMTP = { host: '127.0.0.1', port: 2525 };

export async function runStart(argv: string[], io: CliIo): Promise<number> {
  const smtp: Array<{ host: string; port: number }> = [];
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smtp') {
      const addr = parseListenAddress(argv[++i] ?? '');
      if (!addr.ok) {
        io.stderr(`portcullis: fatal: --smtp: ${addr.error}\n`);
        return 1;
      }
      smtp.push({ host: addr.host, port: addr.port });
    } else if (a === '--quiet') {
      quiet = true;
    } else {
      io.stderr(`portcullis: fatal: start: unknown option "${a}"\nusage: portcullis start [--smtp HOST:PORT ...] [--quiet]\n`);
      return 1;
    }
  }
  const started = await startGateway({ dataDir: io.dataDir, smtp: smtp.length ? smtp : [DEFAULT_SMTP], logToStdout: !quiet, delivery: true, deliveryThread: true });
  if (!started.ok) {
    io.stderr(`portcullis: fatal: ${started.error}\n`);
    return 1;
  }
  const g = started.gateway;
  const rel = path.relative(process.cwd(), io.dataDir) || '.';
  io.stdout([
    'Portcullis gateway is running.',
    ...g.listeners.map((l) => `  SMTP      ${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`),
    `  data      ${rel} (database portcullis.db, queue/, log/maillog)`,
    `  policy    revision ${g.snapshot().revision}; change parameters with: npx portcullis postconf -e NAME=VALUE`,
    'Stop with Ctrl-C.',
    '',
  ].join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await g.stop();
  return 0;
}
