/**
 * `portcullis flush`, as Postfix's postqueue -f: every deferred message is delivered now. Through
 * the running gateway's control channel, whose queue manager attempts them at once; with no
 * gateway the files move to incoming/ and go out first when it starts.
 */
import { requestQueueOperation } from '../control/queue-control.ts';
import type { CliIo } from './cli-io.ts';

export async function runFlush(argv: string[], io: CliIo): Promise<number> {
  if (argv.length) {
    io.stderr('postqueue: fatal: flush takes no arguments\n');
    return 1;
  }
  const r = await requestQueueOperation(io.dataDir, { command: 'flush' });
  if (!r.ok) {
    io.stderr(`postqueue: fatal: flush: ${r.error}\n`);
    return 1;
  }
  // postqueue -f is silent on success; the count is for the administrator's peace of mind.
  if ('flushed' in r) io.stdout(`postqueue: flushed ${r.flushed} deferred message${r.flushed === 1 ? '' : 's'}\n`);
  return 0;
}
