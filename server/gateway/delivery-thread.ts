/**
 * The queue manager in a worker thread (delivery-worker.ts), seen from the gateway as the same
 * QueueManager: start, wake (new mail, ETRN, queue commands), flush and stop are requests over
 * the worker port, and the worker's maillog lines are written by the gateway's maillog, so the
 * file keeps one writer and tests and dashboards see every event. As Postfix's master restarts
 * a qmgr that died, a thread that ends unexpectedly is started again after a second; the queue
 * files are its whole state, so nothing is lost with it.
 * Exports startDeliveryThread, DeliveryThread, DeliveryThreadMessage, DeliveryThreadRequest.
 * Reads no parameters itself (the worker reads the queue manager's). Logs the thread's failures
 * as `warning: delivery thread ...` under the qmgr program name.
 */
import { Worker } from 'node:worker_threads';
import type { QueueManager } from '../delivery/queue-manager.ts';
import type { EventFacts, Maillog, MaillogEvent } from '../log/maillog.ts';

/** What the worker posts: a maillog line, or the answer to request id. */
export type DeliveryThreadMessage =
  | { kind: 'log'; program: string; code: string; text: string; severity: MaillogEvent['severity']; facts?: EventFacts }
  | { kind: 'done'; id: number; value: number | null; error?: string };

/** What the gateway asks of the worker; id pairs the answer with the request. */
export type DeliveryThreadRequest = { id: number; kind: 'start' | 'wake' | 'flush' | 'stop' | 'reload' };

/** The queue manager's thread, with reload for the gateway's policy changes. */
export interface DeliveryThread extends QueueManager {
  /** reload - the worker takes the stored policy (after the gateway took it); resolves when it did. */
  reload(): Promise<void>;
}

// The worker is TypeScript like the rest: loader hooks do not pass to worker threads (neither
// bin/portcullis.js's register() nor `node --import tsx`), so the thread registers tsx itself.
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  (await import(workerData.tsx)).register();
  await import(workerData.entry);
})();
`;

const RESTART_DELAY_MS = 1000;

/**
 * startDeliveryThread - start the worker, without waiting for it: it builds its snapshot while the
 * gateway starts listening, and requests wait in its port until it listens to them.
 */
export function startDeliveryThread(options: { dataDir: string; maillog: Maillog }): DeliveryThread {
  const { dataDir, maillog } = options;
  const entry = new URL('./delivery-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  let worker: Worker;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (v: number | null) => void; reject: (e: Error) => void }>();
  let started = false; // start() was asked: a restarted worker starts delivering at once
  let stopping = false;
  let running = false; // the worker is up (not exited): requests are answered
  let stopped: Promise<void> | null = null;

  const request = (kind: DeliveryThreadRequest['kind']): Promise<number | null> => new Promise((resolve, reject) => {
    if (!running) return reject(new Error('delivery thread not running'));
    const id = ++nextId;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, kind } satisfies DeliveryThreadRequest);
  });

  const spawn = (): void => {
    worker = new Worker(BOOT, { eval: true, workerData: { dataDir, entry, tsx } });
    running = true;
    worker.on('message', (m: DeliveryThreadMessage) => {
      if (m.kind === 'log') maillog.write(m.program, m.code, m.text, m.severity, m.facts);
      else if (m.kind === 'done') {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.error) w?.reject(new Error(m.error));
        else w?.resolve(m.value);
      }
    });
    worker.on('error', (err) => {
      maillog.write('qmgr', 'QMGR_WARNING', `delivery thread failed: ${err.message}`, 'warning');
    });
    worker.on('exit', () => {
      running = false;
      for (const w of waiting.values()) w.reject(new Error('delivery thread exited'));
      waiting.clear();
      if (stopping) return;
      setTimeout(() => {
        if (stopping) return;
        spawn();
        if (started) request('start').catch(() => {});
      }, RESTART_DELAY_MS).unref();
    });
  };

  spawn();
  return {
    async start() {
      started = true;
      // A thread that fails now is started again, and then starts delivering.
      await request('start').catch(() => {});
    },
    wake() {
      request('wake').catch(() => {});
    },
    async flush() {
      return (await request('flush')) ?? 0;
    },
    async reload() {
      // A thread being restarted reads the stored policy when it comes back.
      await request('reload').catch(() => {});
    },
    stop() {
      stopping = true;
      stopped ??= request('stop').catch(() => {}).then(async () => void (await worker.terminate()));
      return stopped;
    },
  };
}
