/**
 * `portcullis reload` and `portcullis status`, as `postfix reload` and `postfix status`: ask the
 * running gateway of this data folder, through its control socket, to take the stored policy
 * now, or to say which revision it runs. A gateway that is not running is an error line.
 */
import { sendControlRequest } from '../control/control-socket.ts';
import type { CliIo } from './cli-io.ts';

export async function runReload(argv: string[], io: CliIo, command: 'reload' | 'status'): Promise<number> {
  if (argv.length) {
    io.stderr(`portcullis: fatal: ${command} takes no arguments\n`);
    return 1;
  }
  const r = await sendControlRequest(io.dataDir, { command });
  if (!r.ok) {
    io.stderr(`portcullis: fatal: ${command}: ${r.error}\n`);
    return 1;
  }
  if (command === 'reload') io.stdout(`portcullis: reload: running configuration revision ${r.revision}\n`);
  else io.stdout(`portcullis: the gateway is running: configuration revision ${r.revision} (taken ${r.takenAt}), ${r.connections ?? 0} SMTP sessions, listening on ${(r.listeners ?? []).join(', ')}\n`);
  return 0;
}
