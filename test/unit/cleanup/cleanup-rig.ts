// A CleanupMessage without sockets or queue files: main.cf parameters in (inline tables), a
// message through start/write/finish, and out come the queued bytes, the maillog lines and the
// verdict. Shared by the cleanup unit tests.
import assert from 'node:assert/strict';
import { MainCf } from '../../../server/config/main-cf.ts';
import { createTableCatalog } from '../../../server/maps/table-catalog.ts';
import { buildContentChecks, type ContentChecks } from '../../../server/cleanup/content-checks.ts';
import { CleanupMessage, type CleanupResult } from '../../../server/cleanup/cleanup-message.ts';
import { createMessageActions, type MessageActions } from '../../../server/cleanup/message-actions.ts';

export const RECEIVED = 'Received: from h.example.org (localhost [127.0.0.1])\r\n\tby mx.example.test (Postfix) with ESMTP id 4ABC\r\n\tfor <alice@example.test>; Sun, 22 Nov 2026 03:07:30 +0000 (UTC)\r\n';

export const FACTS = {
  queueId: '4ABC', origin: 'localhost[127.0.0.1]', sender: 's@good.test', recipient: 'alice@example.test', protocol: 'ESMTP', helo: 'h.example.org',
};

/** The `from ... helo=<...>` part every action line carries. */
export const TAIL = 'from localhost[127.0.0.1]; from=<s@good.test> to=<alice@example.test> proto=ESMTP helo=<h.example.org>';

/** contentChecks - the snapshot field for these parameters; inline tables only. */
export function contentChecks(parameters: Record<string, string>): ContentChecks {
  const built = buildContentChecks(new MainCf(parameters), createTableCatalog(null));
  assert.ok(built.ok, JSON.stringify(built));
  return built.checks;
}

export interface Run {
  content: string;          // the queue file content, CRLF shown as \n
  log: string[];            // maillog lines, `warning: ` prefixed as the file shows them
  result: CleanupResult;
  actions: MessageActions;
}

export interface RunOptions {
  chunks?: number;          // feed the message in pieces of this many bytes (default: one chunk)
  lines?: boolean;          // feed it one line at a time, as the DATA parser hands lines on
  prepend?: string[];       // access-table PREPEND lines
  actions?: MessageActions; // what the smtpd restrictions decided
  hopcountLimit?: number;
  lineLengthLimit?: number;
  received?: string;        // the gateway's Received: header (default RECEIVED)
}

/** runCleanup - one message (LF line ends, as a test writes it) through cleanup. */
export async function runCleanup(parameters: Record<string, string>, message: string, options: RunOptions = {}): Promise<Run> {
  const out: Buffer[] = [];
  const log: string[] = [];
  const actions = options.actions ?? createMessageActions();
  const cleanup = new CleanupMessage(async (chunk) => void out.push(chunk), {
    hopcountLimit: options.hopcountLimit ?? 50,
    lineLengthLimit: options.lineLengthLimit ?? 2048,
    checks: contentChecks(parameters),
    actions,
    facts: FACTS,
    log: (_code, text, severity = 'info') => void log.push(severity === 'info' ? text : `${severity}: ${text}`),
  });
  await cleanup.start(options.prepend ?? [], options.received ?? RECEIVED);
  const wire = Buffer.from(message.replace(/\n/g, '\r\n'), 'utf8');
  if (options.lines) {
    for (let at = 0; at < wire.length;) {
      const end = wire.indexOf('\r\n', at) + 2;
      await cleanup.write(wire.subarray(at, end));
      at = end;
    }
  } else {
    const size = options.chunks ?? wire.length;
    for (let at = 0; at < wire.length; at += size) await cleanup.write(wire.subarray(at, at + size));
  }
  const result = await cleanup.finish();
  return { content: Buffer.concat(out).toString('utf8').replace(/\r\n/g, '\n'), log, result, actions };
}

/** bodyOf - the content after the gateway's Received: header. */
export function bodyOf(run: Run): string {
  return run.content.slice(RECEIVED.replace(/\r\n/g, '\n').length);
}
