/**
 * `portcullis queue`, Postfix's queue tools in one command: with no arguments a listing as
 * mailq (postqueue -p) prints it; `hold|release|requeue|delete ID...|ALL` as postsuper -h, -H,
 * -r and -d; `show ID` as postcat prints a queue file. Changes go through the running gateway's
 * control channel so its queue manager is told; with no gateway, straight to the files.
 * Errors print as the Postfix tool would (`postsuper: fatal: ...`) and exit 1 with nothing done.
 * XXX the listing reads each queue file whole, content too: an envelope-only read would make a
 * queue of large messages list faster.
 */
import path from 'node:path';
import { GATEWAY_NOT_RUNNING, sendControlRequest, type QueueControlReply, type QueueControlRequest } from '../control/control-socket.ts';
import { runQueueRequest } from '../control/queue-control.ts';
import { readDeliveryState } from '../delivery/delivery-state.ts';
import { isQueueIdOk, listQueue, openQueue, queueFilePath, readQueueFile, type Queue } from '../queue/index.ts';
import { findQueueState, QUEUE_OPERATIONS, type QueueOperation } from '../queue/queue-admin.ts';
import type { CliIo } from './cli-io.ts';

// mailq's markers after the queue ID: `*` being delivered, `!` on hold (showq.c).
const LISTED_STATES = [['active', '*'], ['incoming', ' '], ['deferred', ' '], ['hold', '!']] as const;

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
  const r = await sendQueueRequest(io, { command: 'queue', operation, ids: args[0] === 'ALL' ? 'ALL' : args });
  if (!r.ok) return fatal(io, 'postsuper', r.error);
  if (!('done' in r)) return fatal(io, 'postsuper', 'unexpected reply from the gateway');
  for (const s of r.skipped) io.stderr(`postsuper: warning: ${s.id}: ${s.state === 'active' ? 'is being delivered (active queue)' : `is in the ${s.state} queue`}, left alone\n`);
  if (r.done.length) io.stdout(`postsuper: ${SUMMARY[operation]}: ${r.done.length} message${r.done.length === 1 ? '' : 's'}\n`);
  return 0;
}

/** sendQueueRequest - to the running gateway, or to the files when none runs on this data folder. */
export async function sendQueueRequest(io: CliIo, request: QueueControlRequest): Promise<QueueControlReply> {
  const r = await sendControlRequest<QueueControlReply>(io.dataDir, request);
  if (r.ok || r.error !== GATEWAY_NOT_RUNNING) return r;
  return runQueueRequest({ queue: await openDataQueue(io) }, request);
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
  for (const [state, mark] of LISTED_STATES) {
    for (const id of await listQueue(queue, state)) {
      const file = await readQueueFile(queueFilePath(queue.directory, state, id));
      if (!file.ok) continue; // moved meanwhile, or damaged: the queue manager sends it to corrupt/
      const { envelope } = file;
      const delivery = await readDeliveryState(queue, id);
      bytes += envelope.size;
      let block = `${id.padEnd(10)}${mark} ${String(envelope.size).padStart(8)} ${formatArrival(envelope.arrivalTime)}  ${envelope.sender || 'MAILER-DAEMON'}\n`;
      let lastReason: string | undefined;
      for (const { address } of envelope.recipients) {
        if (delivery.done.includes(address)) continue;
        const reason = delivery.reasons[address];
        if (reason !== undefined && reason !== lastReason) block += `(${reason})\n`;
        lastReason = reason;
        block += `${''.padEnd(41)}${address}\n`;
      }
      blocks.push(block);
    }
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
  const state = await findQueueState(queue, id);
  if (!state) return fatal(io, 'postcat', `open queue file ${id}: not found`);
  const file = await readQueueFile(queueFilePath(queue.directory, state, id));
  const name = `${state}/${id}`;
  if (!file.ok) return fatal(io, 'postcat', `${name}: ${file.reason}: ${file.detail}`);
  const e = file.envelope;
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
  const content = file.content.toString('latin1');
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
