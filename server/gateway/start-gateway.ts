/**
 * The gateway process put together, as `postfix start` brings up master and its daemons:
 * migrations, the parameter snapshot from the database, the queue, the maillog, the SMTP
 * listeners. The CLI's `start` and the integration tests call the same function.
 * Logs: the start line and every smtpd event to $data/log/maillog (and standard output when
 * asked). Exports startGateway, Gateway, GatewayOptions.
 * Counts its own traffic and table hits into the database (server/stats) for the console.
 * Policy changes are taken live: a reload request on the control socket (`portcullis reload`)
 * or, as a fallback, SQLite's data_version moving builds a new snapshot off to the side and
 * swaps it in; a snapshot that does not compile is refused and the old one stays.
 * With deliveryThread the queue manager runs in a worker thread (delivery-thread.ts), told of
 * each reload, so delivery takes the second core, as Postfix's qmgr and smtp are processes apart.
 */
import path from 'node:path';
import { applyMigrations } from '../db/migrate.ts';
import { databasePath } from '../db/data-dir.ts';
import { createMaillog, maillogPath, type Maillog } from '../log/maillog.ts';
import { openQueue, type Queue } from '../queue/index.ts';
import { flushDeferredDomain } from '../delivery/flush-domain.ts';
import { createQueueManager, type QueueManager } from '../delivery/queue-manager.ts';
import { startDeliveryThread, type DeliveryThread } from './delivery-thread.ts';
import { createSmtpFront, type SmtpFront } from '../smtp/smtp-front.ts';
import type { CompiledTableCache, CountTableHits } from '../maps/table-catalog.ts';
import type { SmtpdSnapshot } from '../smtp/smtpd-snapshot.ts';
import { loadSnapshot } from './load-snapshot.ts';
import type { SmtpFrontServices } from '../smtp/smtp-front-services.ts';
import { openTranscriptStore } from '../notify/transcript-store.ts';
import { createViolationHandler } from '../notify/session-violation-notice.ts';
import { serveControl, type ControlReply } from '../control/control-socket.ts';
import { watchDataVersion } from '../control/data-version-watch.ts';
import { runQueueRequest } from '../control/queue-control.ts';
import { createTableHits, countTableHits } from '../stats/table-hits.ts';
import { startTrafficRecorder, type TrafficRecorder } from '../stats/record-traffic.ts';

// How often SQLite's data_version is read: the longest a change waits when no notification came.
const DATA_VERSION_INTERVAL_MS = 1000;
import { createSaslServer } from '../sasl/sasl-server.ts';

export interface GatewayOptions {
  dataDir: string;                              // database, queue/ and log/ live here
  smtp: Array<{ host: string; port: number }>;  // listeners; port 0 picks a free port
  logToStdout: boolean;                         // echo maillog lines
  // XXX opt-in until the SMTP tests stop expecting accepted mail to wait in incoming/.
  delivery?: boolean;                           // run the queue manager from the start
  deliveryThread?: boolean;                     // run the queue manager in a worker thread
}

export interface Gateway {
  listeners: Array<{ host: string; port: number }>; // bound addresses
  queue: Queue;
  queueManager: QueueManager;                       // delivery: start() when not started with delivery
  flush(): Promise<number>;                         // all deferred mail back to incoming/, delivered now
  maillog: Maillog;
  traffic: TrafficRecorder;                         // counters and table hits: flush() writes them now
  front: SmtpFront;
  snapshot: () => SmtpdSnapshot;
  reload(): Promise<ControlReply>;                  // take the stored policy now
  stop(): Promise<void>;
}

export type GatewayStart = { ok: true; gateway: Gateway } | { ok: false; error: string };

/** startGateway - bring the gateway up; a configuration that does not compile is refused. */
export async function startGateway(options: GatewayOptions): Promise<GatewayStart> {
  try {
    applyMigrations(databasePath(options.dataDir));
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  const tableCache: CompiledTableCache = new Map();
  const tableHits = createTableHits();
  const countHits: CountTableHits = (table, name, lineKeys) => countTableHits(table, name, lineKeys, tableHits);
  const loaded = await loadSnapshot(options.dataDir, tableCache, countHits);
  if (!loaded.ok) return { ok: false, error: `configuration refused: ${loaded.error}` };
  let current = loaded.snapshot;
  const snapshot = () => current;
  const maillog = createMaillog({
    file: maillogPath(options.dataDir),
    stdout: options.logToStdout,
    hostname: () => current.settings.myhostname,
    syslogName: () => current.mainCf.get('syslog_name'),
  });
  const queue = await openQueue(path.join(options.dataDir, 'queue'));
  for (const f of queue.removedTemporaryFiles) {
    maillog.write('postfix', 'GATEWAY_START', `removed unfinished queue file ${f} left by a crash`, 'warning');
  }
  const thread: DeliveryThread | null = options.deliveryThread ? startDeliveryThread({ dataDir: options.dataDir, maillog }) : null;
  const queueManager: QueueManager = thread ?? createQueueManager({ queue, maillog, snapshot });
  const sasl = createSaslServer(current.mainCf, options.dataDir, (text) => maillog.write('smtpd', 'SMTPD_WARNING', text, 'warning'));
  // Transcripts of violations, stored and mailed per notify_classes (server/notify).
  const transcripts = openTranscriptStore(databasePath(options.dataDir), () => ({
    seconds: current.mainCf.seconds('transcript_retention_time'), limit: current.mainCf.int('transcript_retention_limit'),
  }), (text) => maillog.write('postfix', 'NOTIFY_WARNING', text, 'warning'));
  // Traffic counters and table hit counts for the console and /metrics (server/stats).
  const traffic = startTrafficRecorder({
    dbFile: databasePath(options.dataDir), maillog, queue, hits: tableHits,
    retentionSeconds: () => current.mainCf.seconds('traffic_statistics_retention_time'),
    warn: (text) => maillog.write('postfix', 'STATS_WARNING', text, 'warning'),
  });
  const services: SmtpFrontServices = {
    snapshot,
    queue,
    maillog,
    violation: createViolationHandler(transcripts, () => ({ queue, maillog, mainCf: current.mainCf })),
    standalone: false,
    ...(sasl ? { sasl } : {}),
    etrn: async (domain) => {
      await flushDeferredDomain(queue, domain);
      queueManager.wake();
      return 'started';
    },
  };
  const front = createSmtpFront(services);
  const listeners: Array<{ host: string; port: number }> = [];
  try {
    for (const l of options.smtp) listeners.push(await front.listen(l.host, l.port));
  } catch (err) {
    await front.close(0);
    await thread?.stop();
    await sasl?.close();
    transcripts.close();
    await traffic.stop();
    await maillog.close();
    return { ok: false, error: `cannot listen: ${(err as Error).message}` };
  }
  // One reload at a time; a trigger during a reload runs another one after it, and triggers
  // that come while that one still waits share it (a committed change brings both the console's
  // request and the data_version watch): it reads whatever is stored when it starts.
  let reloading: Promise<ControlReply> = Promise.resolve({ ok: true, revision: current.revision, takenAt: current.takenAt.toISOString() });
  let waitingReload: Promise<ControlReply> | null = null;
  let stopping = false;
  const reload = (): Promise<ControlReply> => (waitingReload ??= reloading = reloading.then(async () => {
    waitingReload = null;
    if (stopping) return { ok: false, error: 'the gateway is stopping' };
    // A database that cannot be read now (locked, being replaced) is a refused reload, not a crash.
    const next = await loadSnapshot(options.dataDir, tableCache, countHits).catch((err: Error) => ({ ok: false as const, error: err.message }));
    if (!next.ok) {
      maillog.write('postfix', 'GATEWAY_RELOAD', `reload refused, keeping configuration revision ${current.revision}: ${next.error}`, 'warning');
      return { ok: false, error: next.error };
    }
    current = next.snapshot;
    front.reloadTls();
    await thread?.reload();
    maillog.write('postfix', 'GATEWAY_RELOAD', `reload -- version ${current.mainCf.get('mail_version')}, configuration revision ${current.revision}`);
    return { ok: true, revision: current.revision, takenAt: current.takenAt.toISOString() };
  }));
  let control: { close(): Promise<void> };
  try {
    control = await serveControl(options.dataDir, async (req) => {
      if (req.command === 'flush' || req.command === 'queue') {
        return runQueueRequest({ queue, flush: () => queueManager.flush(), wake: () => queueManager.wake() }, req);
      }
      if (req.command === 'reload') return reload();
      if (req.command === 'statistics') {
        await traffic.sampleQueue();
        traffic.flush();
      }
      return {
        ok: true, revision: current.revision, takenAt: current.takenAt.toISOString(),
        connections: front.connectionCount(), listeners: listeners.map((l) => `${l.host}:${l.port}`),
      };
    });
  } catch (err) {
    await front.close(0);
    await thread?.stop();
    await sasl?.close();
    transcripts.close();
    await traffic.stop();
    await maillog.close();
    return { ok: false, error: (err as Error).message };
  }
  const watch = watchDataVersion(databasePath(options.dataDir), DATA_VERSION_INTERVAL_MS, () => void reload());
  if (options.delivery) await queueManager.start();
  maillog.write('postfix', 'GATEWAY_START', `daemon started -- version ${current.mainCf.get('mail_version')}, configuration revision ${current.revision}`);
  return {
    ok: true,
    gateway: {
      listeners,
      queue,
      queueManager,
      flush: () => queueManager.flush(),
      maillog,
      traffic,
      front,
      snapshot,
      reload,
      async stop() {
        stopping = true;
        watch.stop();
        await reloading;
        await control.close();
        await front.close(2000);
        await queueManager.stop();
        queue.close();
        await sasl?.close();
        transcripts.close();
        await traffic.stop();
        maillog.write('postfix', 'GATEWAY_STOP', 'terminating on signal');
        await maillog.close();
      },
    },
  };
}
