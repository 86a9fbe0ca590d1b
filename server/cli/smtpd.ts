/**
 * `portcullis smtpd --stdin`: one SMTP session on standard input and output, the seed's
 * standalone mode (`sendmail -bs`, spec/protocol.md §7): a trusted local program talks SMTP,
 * mail is queued through the same door as network mail, no UCE restrictions apply, ETRN gets
 * `458 Unable to queue messages`. Never reachable from the network. Log lines go to the
 * maillog file only: standard output is the SMTP channel.
 */
import path from 'node:path';
import { Duplex } from 'node:stream';
import { applyMigrations } from '../db/migrate.ts';
import { databasePath } from '../db/data-dir.ts';
import { loadSnapshot } from '../gateway/load-snapshot.ts';
import { createMaillog } from '../log/maillog.ts';
import { openQueue } from '../queue/index.ts';
import { createSmtpFront } from '../smtp/smtp-front.ts';
import type { CliIo } from './cli-io.ts';

export async function runSmtpd(argv: string[], io: CliIo): Promise<number> {
  if (argv.length !== 1 || argv[0] !== '--stdin') {
    io.stderr('usage: portcullis smtpd --stdin\n');
    return 1;
  }
  try {
    applyMigrations(databasePath(io.dataDir));
  } catch (err) {
    io.stderr(`portcullis: fatal: ${(err as Error).message}\n`);
    return 1;
  }
  const loaded = await loadSnapshot(io.dataDir);
  if (!loaded.ok) {
    io.stderr(`portcullis: fatal: configuration refused: ${loaded.error}\n`);
    return 1;
  }
  const snapshot = loaded.snapshot;
  const maillog = createMaillog({
    file: path.join(io.dataDir, 'log', 'maillog'),
    stdout: false,
    hostname: () => snapshot.settings.myhostname,
    syslogName: () => snapshot.mainCf.get('syslog_name'),
  });
  // Leave tmp/ alone: a gateway may be running and writing there.
  const queue = await openQueue(path.join(io.dataDir, 'queue'), { removeTemporaryFiles: false });
  const front = createSmtpFront({ snapshot: () => snapshot, queue, maillog, standalone: true });
  const stream = Duplex.from({ readable: process.stdin, writable: process.stdout });
  await front.serveStream(stream, { address: '127.0.0.1', port: 0 });
  await maillog.close();
  return 0;
}
