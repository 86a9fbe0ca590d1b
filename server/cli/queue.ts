/**
 * `portcullis queue`, Postfix's queue tools in one command: with no arguments a listing as
 * mailq (postqueue -p) prints it; `hold|release|requeue|delete ID...|ALL` as postsuper -h, -H,
 * -r and -d; `show ID` as postcat prints a queue file. Changes go through the running gateway's
 * control channel so its queue manager is told; with no gateway, straight to the files.
 * Errors print as the Postfix tool would (`postsuper: fatal: ...`) and exit 1 with nothing done.
 */
import path from 'node:path';
import { requestQueueOperation } from '../control/queue-control.ts';
import { showQueue, showQueueMessage } from '../delivery/show-queue.ts';
import { isQueueIdOk, openQueue, type Queue, type QueueState } from '../queue/index.ts';
import { QUEUE_OPERATIONS, type QueueOperation } from '../queue/queue-admin.ts';
import type { CliIo } from './cli-io.ts';

// mailq's markers after the queue ID: `*` being delivered, `!` on hold (showq.c).
const STATE_MARK: Partial<Record<QueueState, string>> = { active: '*', hold: '!' };

// postsuper's summary line per operation.
const SUMMARY: Record<QueueOperation, string> = {
  hold: 'Placed on hold',
  release: 'Released from hold',
  requeue: 'Requeued',
  delete: 'Deleted',
};

const USAGE = 'usage: portcullis queue [hold|release|requeue|delete ID ...|ALL] [show ID]';

export async function runQueue(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined) return listMailQueue(await openDataQueue(io), io);
  if (verb === 'show') {
    if (args.length !== 1) return fatal(io, 'postcat', USAGE);
    return showQueueFile(await openDataQueue(io), args[0]!, io);
  }
  if (!(QUEUE_OPERATIONS as readonly string[]).includes(verb)) return fatal(io, 'postsuper', `unknown queue command "${verb}"; ${USAGE}`);
  if (args.length === 0) return fatal(io, 'postsuper', `${verb}: no queue ID given; ${USAGE}`);
  if (args.includes('ALL') && args.length > 1) return fatal(io, 'postsuper', `${verb}: ALL cannot be combined with queue IDs`);
  const bad = args.find((id) => id !== 'ALL' && !isQueueIdOk(id));
  if (bad !== undefined) return fatal(io, 'postsuper', `invalid queue ID: ${JSON.stringify(bad)}`);
  const operation = verb as QueueOperation;
  const r = await requestQueueOperation(io.dataDir, { command: 'queue', operation, ids: args[0] === 'ALL' ? 'ALL' : args });
  if (!r.ok) return fatal(io, 'postsuper', r.error);
  if (!('done' in r)) return fatal(io, 'postsuper', 'unexpected reply from the gateway');
  for (const s of r.skipped) io.stderr(`postsuper: warning: ${s.id}: ${s.state === 'active' ? 'is being delivered (active queue)' : `is in the ${s.state} queue`}, left alone\n`);
  if (r.done.length) io.stdout(`postsuper: ${SUMMARY[operation]}: ${r.done.length} message${r.done.length === 1 ? '' : 's'}\n`);
  return 0;
}

// A CLI only looks at tmp/: files there may be messages a running gateway is still receiving.
function openDataQueue(io: CliIo): Promise<Queue> {
  return openQueue(path.join(io.dataDir, 'queue'), { removeTemporaryFiles: false });
}

// mailq's format (showq_compat.c): ID and marker, size, arrival, sender; then each undelivered
// recipient indented, after the deferral reason that applies to it; then the total.
async function listMailQueue(queue: Queue, io: CliIo): Promise<number> {
  const blocks: string[] = [];
  let bytes = 0;
  for (const m of await showQueue(queue)) {
    bytes += m.size;
    let block = `${m.id.padEnd(10)}${STATE_MARK[m.state] ?? ' '} ${String(m.size).padStart(8)} ${formatArrival(m.arrivalTime)}  ${m.sender || 'MAILER-DAEMON'}\n`;
    let lastReason: string | undefined;
    for (const { address, reason } of m.recipients) {
      if (reason !== undefined && reason !== lastReason) block += `(${reason})\n`;
      lastReason = reason;
      block += `${''.padEnd(41)}${address}\n`;
    }
    blocks.push(block);
  }
  if (!blocks.length) {
    io.stdout('Mail queue is empty\n');
    return 0;
  }
  io.stdout('-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n');
  io.stdout(blocks.join('\n'));
  const kbytes = Math.floor(bytes / 1024);
  io.stdout(`\n-- ${kbytes} Kbytes in ${blocks.length} Request${blocks.length === 1 ? '' : 's'}.\n`);
  return 0;
}

// postcat's sections: envelope records, the content, then the end marker.
async function showQueueFile(queue: Queue, id: string, io: CliIo): Promise<number> {
  if (!isQueueIdOk(id)) return fatal(io, 'postcat', `invalid queue ID: ${JSON.stringify(id)}`);
  const shown = await showQueueMessage(queue, id);
  if (!shown.ok) return fatal(io, 'postcat', shown.error.endsWith('no such queue file') ? `open queue file ${id}: not found` : shown.error);
  const { envelope: e, content: body, listing } = shown.message;
  const name = `${listing.state}/${id}`;
  let out = `*** ENVELOPE RECORDS ${name} ***\n`;
  out += `message_size: ${String(e.size).padStart(16)}\n`;
  out += `message_arrival_time: ${new Date(e.arrivalTime).toString()}\n`;
  out += `named_attribute: client_name=${e.client.name}\n`;
  out += `named_attribute: client_address=${e.client.address}\n`;
  out += `named_attribute: helo_name=${e.client.helo}\n`;
  for (const [k, v] of Object.entries(e.attributes)) out += `named_attribute: ${k}=${v}\n`;
  if (e.dsn.ret) out += `dsn_ret: ${e.dsn.ret}\n`;
  if (e.dsn.envid) out += `dsn_envid: ${e.dsn.envid}\n`;
  out += `sender: ${e.sender}\n`;
  for (const r of e.recipients) {
    if (r.orcpt) out += `dsn_orig_rcpt: ${r.orcpt}\n`;
    if (r.notify) out += `dsn_notify: ${r.notify.join(',')}\n`;
    out += `recipient: ${r.address}\n`;
  }
  out += `*** MESSAGE CONTENTS ${name} ***\n`;
  const content = body.toString('latin1');
  out += content.endsWith('\n') ? content : content + '\n';
  out += `*** MESSAGE FILE END ${name} ***\n`;
  io.stdout(out);
  return 0;
}

// asctime() cut to 19 characters, as mailq prints the arrival: `Sun Nov 22 10:50:59`.
function formatArrival(ms: number): string {
  const d = new Date(ms);
  const day = d.toLocaleString('en-US', { weekday: 'short' });
  const month = d.toLocaleString('en-US', { month: 'short' });
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getDate()).padStart(2)} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function fatal(io: CliIo, program: string, text: string): number {
  io.stderr(`${program}: fatal: ${text}\n`);
  return 1;
}
