/**
 * The queue manager's own thread, as Postfix runs qmgr and smtp apart from smtpd: the same
 * createQueueManager over the same queue directory, in a worker thread, so that delivery uses
 * the second core and no longer competes with the SMTP sessions for the first.
 * Started only by delivery-thread.ts, which it answers over the worker port: maillog lines go
 * to the gateway's maillog (one file, one order), requests (start, wake, flush, reload, stop)
 * come from it. Reads everything the queue manager reads, from its own delivery snapshot (the
 * parameters and transport_maps, not the smtpd restrictions and their tables), built from the
 * database as the gateway builds its own, and built again at each reload.
 * Exports nothing; posts DeliveryThreadMessage values, takes DeliveryThreadRequest values.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createQueueManager } from '../delivery/queue-manager.ts';
import type { EventFacts, Maillog, MaillogEvent } from '../log/maillog.ts';
import type { CompiledTableCache } from '../maps/table-catalog.ts';
import { openQueue } from '../queue/index.ts';
import type { DeliveryThreadMessage, DeliveryThreadRequest } from './delivery-thread.ts';
import { loadDeliverySnapshot } from './load-snapshot.ts';
import { lowerThreadPriority } from './thread-priority.ts';

// SMTP clients first: when both cores are busy, the scheduler gives the sessions' thread the
// time and delivery catches up once the burst is over, as with Postfix, whose hundred smtpd
// processes outnumber its few delivery agents. Nice 10 leaves delivery about a tenth of a core
// it has to share; at nice 5 the sessions gained nothing measurable.
const DELIVERY_NICE = 10;
lowerThreadPriority(DELIVERY_NICE);

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };
const post = (m: DeliveryThreadMessage) => port.postMessage(m);

// The gateway owns the maillog file: each line is handed to it, which writes and dispatches it.
const maillog: Maillog = {
  write(program: string, code: string, text: string, severity: MaillogEvent['severity'] = 'info', facts?: EventFacts) {
    post({ kind: 'log', program, code, text, severity, ...(facts ? { facts } : {}) });
  },
  onEvent() {
    return () => {};
  },
  close: async () => {},
};

const tableCache: CompiledTableCache = new Map();
const loaded = await loadDeliverySnapshot(dataDir, tableCache);
if (!loaded.ok) throw new Error(`configuration refused: ${loaded.error}`);
let current = loaded.snapshot;
// Temporary files belong to the sessions of the gateway's thread: this one only looks at them.
const queue = await openQueue(path.join(dataDir, 'queue'), { removeTemporaryFiles: false });
const queueManager = createQueueManager({ queue, maillog, snapshot: () => current });

async function answer(request: DeliveryThreadRequest): Promise<number | void> {
  switch (request.kind) {
    case 'start': return queueManager.start();
    case 'wake': return queueManager.wake();
    case 'flush': return queueManager.flush();
    case 'stop': {
      await queueManager.stop();
      return queue.close();
    }
    case 'reload': {
      // The gateway took this revision already; one that fails here keeps the old delivery settings.
      const next = await loadDeliverySnapshot(dataDir, tableCache);
      if (next.ok) current = next.snapshot;
      else maillog.write('qmgr', 'QMGR_WARNING', `reload refused, keeping configuration revision ${current.revision}: ${next.error}`, 'warning');
      return;
    }
  }
}

port.on('message', (request: DeliveryThreadRequest) => {
  answer(request).then(
    (value) => post({ kind: 'done', id: request.id, value: typeof value === 'number' ? value : null }),
    (err: Error) => post({ kind: 'done', id: request.id, value: null, error: err.message }),
  );
});
