/**
 * The `portcullis` command: one subcommand per file beside this one, each thin (parse
 * arguments, call the domain function the console also calls, print in Postfix's format).
 * A failure prints one line naming what is at fault and exits non-zero.
 */
import { runStart } from './start.ts';
import { runMigrate } from './migrate.ts';
import { runPostconf } from './postconf.ts';
import { runSmtpd } from './smtpd.ts';
import { runReload } from './reload.ts';
import { runPostmap } from './postmap.ts';
import { runImport } from './import.ts';
import { runExport } from './export.ts';
import { runQueue } from './queue.ts';
import { runFlush } from './flush.ts';
import { runUser } from './user.ts';
import { resolveDataDir } from '../db/data-dir.ts';

const USAGE = `usage: portcullis COMMAND [ARGS]
  start [--smtp HOST:PORT ...] [--console HOST:PORT | --no-console]
                                 run the gateway (SMTP listeners; migrations applied first)
                                 and the console (default http://127.0.0.1:3000)
  migrate                        apply database migrations and exit
  reload                         make the running gateway take the stored policy now
  status                         show whether the gateway runs, and which policy revision
  postconf [-d|-n|-h|-x] [NAME ...] | -e NAME=VALUE ... | -X NAME ...
                                 show or change main.cf parameters, as Postfix's postconf
  postmap [-q KEY | -q - | -s] [TYPE:]FILE ...
                                 query lookup tables, as Postfix's postmap; a NAME that is
                                 not a file is a stored table
  import [--replace] FILE        store a Postfix main.cf and the tables it names (merged, or
                                 with --replace instead of the stored policy), then reload
  export DIR                     write the stored policy as DIR/main.cf and table files
  queue                          list the mail queue, as mailq
  queue hold|release|requeue|delete ID ...|ALL
                                 act on queued messages, as postsuper -h, -H, -r, -d
  queue show ID                  print a queue file, as postcat
  flush                          deliver all deferred mail now, as postqueue -f
  user add NAME --role admin|auditor | passwd NAME | role NAME ROLE | disable NAME | enable NAME | list
                                 console accounts (passwords from standard input)
  smtpd --stdin                  one SMTP session on standard input and output (standalone)
Data folder: $PORTCULLIS_DATA (default ./data)`;

const io = {
  stdout: (s: string) => process.stdout.write(s),
  stderr: (s: string) => process.stderr.write(s),
};

/** main - run a subcommand; resolves with the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const dataDir = resolveDataDir();
  switch (command) {
    case 'start':
      return runStart(rest, { dataDir, ...io });
    case 'migrate':
      return runMigrate(rest, { dataDir, ...io });
    case 'postconf':
      return runPostconf(rest, { dataDir, ...io });
    case 'postmap':
      return runPostmap(rest, { dataDir, ...io });
    case 'import':
      return runImport(rest, { dataDir, ...io });
    case 'export':
      return runExport(rest, { dataDir, ...io });
    case 'queue':
      return runQueue(rest, { dataDir, ...io });
    case 'flush':
      return runFlush(rest, { dataDir, ...io });
    case 'user':
      return runUser(rest, { dataDir, ...io });
    case 'smtpd':
      return runSmtpd(rest, { dataDir, ...io });
    case 'reload':
    case 'status':
      return runReload(rest, { dataDir, ...io }, command);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE + '\n');
      return command === undefined ? 1 : 0;
    default:
      io.stderr(`portcullis: fatal: unknown command "${command}"\n${USAGE}\n`);
      return 1;
  }
}
