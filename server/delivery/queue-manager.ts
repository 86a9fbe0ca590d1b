/**
 * The queue manager, as Postfix's qmgr: takes messages from incoming/ into active/, delivers each
 * recipient to its next hop, and then removes the file (all done), moves it to deferred/ (some
 * recipients to retry) or returns it to the sender (bounces). Files found in active/ at start-up
 * were interrupted by a crash and go back to incoming/. deferred/ is scanned every
 * queue_run_delay; a message is retried when its backoff ends. A commit into incoming/ is seen
 * by its name (a watch on the folder), as cleanup's trigger tells qmgr; incoming/ is listed when
 * asked (start, wake, flush, a queue run) and at most once a second besides, for what the watch
 * missed, so a busy queue is not listed once per message.
 * Recipients are grouped by transport and nexthop, split into requests of at most
 * <transport>_destination_recipient_limit, and each request waits for room in its destination's
 * concurrency window (destination-concurrency.ts); a dead destination's requests are deferred
 * without a connection. smtp, relay and lmtp requests reuse cached sessions (connection-cache.ts);
 * error, retry, discard and unknown transports are answered here (nondelivery-transports.ts).
 * stop() lets deliveries in flight finish for a short grace, then cuts their connections: what
 * they did not finish goes back to incoming/ for the next start, uncounted as an attempt.
 * Exports QueueManager, QueueManagerOptions, createQueueManager.
 * Reads: everything in DeliverySettings, dns_resolvers (the snapshot's resolver).
 * Logs: qmgr's `from=` and `removed` lines, the `to=` lines of smtp, relay, lmtp, error, retry
 * and discard, bounce's notification lines.
 * A recipient delivered just before a crash may be delivered again: duplicates, never loss.
 * Postmaster copies of bounces, delay notices and double bounces go out as notify_classes says;
 * NOTIFY=SUCCESS gets a success notice when the next hop does not announce DSN.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  createReadBuffers, isQueueIdOk, listQueue, moveQueueFile, queueFilePath, readQueueFile, removeQueueFile,
  type Envelope, type EnvelopeRecipient, type Queue, type QueueId,
} from '../queue/index.ts';
import type { EventFacts, Maillog } from '../log/maillog.ts';
import type { DeliverySnapshot } from './delivery-snapshot.ts';
import { DestinationConcurrency } from './destination-concurrency.ts';
import { ConnectionCache } from './connection-cache.ts';
import { DEFER_FOLDER, readDeliveryState, removeDeliveryState, writeDeliveryState, type DeliveryState } from './delivery-state.ts';
import { transportLimits } from './delivery-settings.ts';
import { lookupNextHop, resolveDestination } from './next-hop.ts';
import { runSmtpTransaction, type RecipientOutcome } from './smtp-transaction.ts';
import { CONNECTING_TRANSPORTS, deliverWithoutConnection } from './nondelivery-transports.ts';
import { formatActiveLine, formatRecipientLine } from './delivery-log.ts';
import { buildDsnReport, wantsNotice, type DsnKind, type DsnRecipient } from './dsn-report.ts';
import { enqueueNotice } from './enqueue-notice.ts';
import { sendPostmasterNotice, type PostmasterNotice } from '../notify/postmaster-notice.ts';

// Messages in active/ at once; Postfix's qmgr_message_active_limit is far larger, but each
// message here holds its content in memory.
const ACTIVE_MESSAGE_LIMIT = 100;
// The longest a message the watch did not report waits for a listing of incoming/.
const LISTING_INTERVAL_MS = 1000;
// smtp_connect_timeout and smtp_helo_timeout are 30s and 300s in Postfix; one bound here.
const SMTP_TIMEOUT_MS = 30_000;
// How long stop() lets deliveries in flight finish before it cuts their connections.
const STOP_GRACE_MS = 2_000;

// One recipient's outcome and the delivery agent that logs it (Postfix's program name).
type Delivered = RecipientOutcome & { program: string };

export interface QueueManager {
  /** start - put crash leftovers from active/ back in incoming/, then deliver. */
  start(): Promise<void>;
  /** wake - look at incoming/ now (new mail, ETRN). */
  wake(): void;
  /** flush - revive dead destinations, move every deferred message to incoming/ and wake; how many were moved. */
  flush(): Promise<number>;
  /** stop - take no more messages; deliveries in progress get a short grace, then are cut off. */
  stop(): Promise<void>;
}

export interface QueueManagerOptions {
  queue: Queue;
  maillog: Maillog;
  snapshot: () => DeliverySnapshot;
}

// The postmaster's copy of a bounce, delay or double bounce: what failed and why, then the
// original headers only (Postfix sends the postmaster headers, never the body).
function postmasterCopy(
  kind: 'bounce' | '2bounce' | 'delay', envelope: Envelope, content: Buffer, reported: readonly DsnRecipient[], myhostname: string,
): PostmasterNotice {
  const subject = kind === 'delay' ? 'Postmaster Warning: Delayed Mail' : kind === 'bounce' ? 'Postmaster Copy: Undelivered Mail' : 'Undelivered Mail';
  const text = content.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? text : text.slice(0, end)).replace(/\r\n/g, '\n');
  const what = kind === 'delay' ? 'is delayed' : 'could not be delivered';
  return {
    subject,
    body: [
      `This is the mail system at host ${myhostname}.`,
      '',
      `Message ${envelope.queueId} from <${envelope.sender}> ${what} to:`,
      '',
      ...reported.map((r) => `<${r.recipient.address}>: ${r.reason}`),
      '',
      '--- headers of the original message ---',
      headers,
    ].join('\n'),
  };
}

/** createQueueManager - a stopped queue manager over the queue. */
export function createQueueManager(options: QueueManagerOptions): QueueManager {
  const { queue, maillog, snapshot } = options;
  const inFlight = new Map<QueueId, Promise<void>>(); // messages in active/ being delivered
  const concurrency = new DestinationConcurrency();
  const readBuffers = createReadBuffers();
  let cache = new ConnectionCache();
  let running = false;
  let cutOff = false; // stop()'s grace ran out: unfinished deliveries go back to incoming/
  let scanning: Promise<void> | null = null; // the incoming/ scan in progress
  let rescan = false; // a wake came during a scan
  let backlog: QueueId[] = []; // the rest of the last incoming/ listing, next one last
  let arrived = new Set<QueueId>(); // names the watch saw in incoming/ since the backlog was filled
  let listingDue = false; // incoming/ must be listed before the scan rests
  let listingTimer: NodeJS.Timeout | null = null; // the next listing for what the watch missed
  let timer: NodeJS.Timeout | null = null;
  let watcher: fs.FSWatcher | null = null;
  const log = (program: string, code: string, text: string, severity?: 'warning', facts?: EventFacts) => maillog.write(program, code, text, severity, facts);

  // The next messages to take, next one last: those the watch named, else a listing when one is due.
  const nextBacklog = async (): Promise<QueueId[]> => {
    // An event also comes when a file leaves incoming/: a name no longer there is not taken.
    const named = [...arrived].filter((id) => !inFlight.has(id) && fs.existsSync(queueFilePath(queue.directory, 'incoming', id)));
    arrived = new Set();
    if (named.length) return named.sort().reverse();
    if (!listingDue) return [];
    listingDue = false;
    return (await listQueue(queue, 'incoming')).filter((id) => !inFlight.has(id)).reverse();
  };

  // list: incoming/ is listed in this scan (start, wake, flush, a queue run, a notice queued).
  const scanIncoming = (list = false): void => {
    if (!running) return;
    if (list) listingDue = true;
    if (scanning) {
      rescan = true;
      return;
    }
    scanning = (async () => {
      do {
        rescan = false;
        while (running && inFlight.size < ACTIVE_MESSAGE_LIMIT) {
          // One listing serves every pass until it is used up: a deep incoming/ is not read again
          // each time a delivery ends and frees a place.
          if (backlog.length === 0) {
            backlog = await nextBacklog();
            if (backlog.length === 0) break;
          }
          const id = backlog.pop()!;
          const moved = await moveQueueFile(queue, id, 'incoming', 'active');
          if (!moved.ok) continue;
          const work = deliverMessage(id)
            .catch((err: Error) => log('qmgr', 'QMGR_WARNING', `${id}: delivery failed: ${err.message}`, 'warning'))
            .finally(() => {
              inFlight.delete(id);
              scanIncoming();
            });
          inFlight.set(id, work);
        }
      } while (rescan && running);
    })()
      .catch((err: Error) => log('qmgr', 'QMGR_WARNING', `incoming queue scan failed: ${err.message}`, 'warning'))
      .finally(() => {
        scanning = null;
        if (rescan) scanIncoming();
      });
  };

  // The deferred queue scan: messages whose backoff ended go back to incoming/.
  const scanDeferred = async (): Promise<void> => {
    const now = Date.now();
    for (const id of await listQueue(queue, 'deferred')) {
      const state = await readDeliveryState(queue, id);
      if (state.nextAttempt <= now) await moveQueueFile(queue, id, 'deferred', 'incoming');
    }
  };

  const scheduleRun = (): void => {
    if (!running) return;
    timer = setTimeout(() => {
      void scanDeferred()
        .catch((err: Error) => log('qmgr', 'QMGR_WARNING', `deferred queue scan failed: ${err.message}`, 'warning'))
        .finally(() => {
          scanIncoming(true);
          scheduleRun();
        });
    }, Math.min(snapshot().delivery.queueRunDelayMs, snapshot().delivery.minimalBackoffMs));
  };

  async function deliverMessage(id: QueueId): Promise<void> {
    const activeAt = Date.now();
    const file = await readQueueFile(queueFilePath(queue.directory, 'active', id), readBuffers);
    if (!file.ok) {
      if (file.reason === 'QUEUE_FILE_MISSING') return;
      log('qmgr', 'QMGR_WARNING', `${id}: corrupt queue file: ${file.detail}`, 'warning');
      await moveQueueFile(queue, id, 'active', 'corrupt');
      return;
    }
    await handleMessage(id, activeAt, file.envelope, file.content);
    // Every session has let go of the content by now (SmtpSession.send), but not after a throw:
    // deliveries of the message to other destinations may still be running.
    readBuffers.give(file.content);
  }

  async function handleMessage(id: QueueId, activeAt: number, envelope: Envelope, content: Buffer): Promise<void> {
    const state = await readDeliveryState(queue, id);
    // A HOLD action holds once: a message the administrator released is delivered.
    if (envelope.attributes.hold !== undefined && !state.released) {
      await moveQueueFile(queue, id, 'active', 'hold');
      return;
    }
    const settings = snapshot().delivery;
    const pending = recipientsOf(envelope, settings.alwaysBcc).filter((r) => !state.done.includes(r.address));
    log('qmgr', 'QMGR_ACTIVE', formatActiveLine(id, envelope.sender, envelope.size, pending.length));

    const outcomes = await deliverRecipients(envelope, pending, content);
    const interrupted = cutOff;
    const now = Date.now();
    const lifetime = envelope.sender === '' ? settings.bounceQueueLifetimeMs : settings.maximalQueueLifetimeMs;
    const expired = now - envelope.arrivalTime >= lifetime;
    for (const o of outcomes) {
      if (o.status === 'bounced' && settings.softBounce) Object.assign(o, { status: 'deferred', dsn: o.dsn.replace(/^5/, '4') });
      // A delivery cut off by stop() is not logged, as a delivery agent killed at shutdown logs nothing.
      if (interrupted && o.status === 'deferred') continue;
      log(o.program, 'SMTP_DELIVERY', formatRecipientLine(id, o, envelope.arrivalTime, activeAt, activeAt, now), undefined, { status: o.status });
    }
    const deferred = outcomes.filter((o) => o.status === 'deferred');
    const bounced = outcomes.filter((o) => o.status === 'bounced');
    if (expired && deferred.length && !interrupted) {
      log('qmgr', 'QMGR_EXPIRED', `${id}: from=<${envelope.sender}>, status=expired, returned to sender`, undefined, { recipients: deferred.length });
      bounced.push(...deferred.splice(0).map((o) => ({ ...o, status: 'bounced' as const, dsn: o.dsn.replace(/^4/, '5') })));
    }
    await returnToSender(envelope, content, pending, bounced, 'failure');
    await returnToSender(envelope, content, pending, outcomes.filter((o) => o.success), 'success');
    if (deferred.length === 0) {
      await removeQueueFile(queue, 'active', id);
      await removeDeliveryState(queue, id);
      log('qmgr', 'QMGR_REMOVED', `${id}: removed`);
      return;
    }
    const finished = outcomes.filter((o) => o.status !== 'deferred').map((o) => o.address);
    if (interrupted) {
      // Not an attempt: the message waits in incoming/ for the next start, without backoff.
      await writeDeliveryState(queue, id, { ...state, done: [...state.done, ...finished] });
      await moveQueueFile(queue, id, 'active', 'incoming');
      return;
    }
    const next: DeliveryState = {
      done: [...state.done, ...finished],
      attempts: state.attempts + 1,
      // qmgr's backoff: the message's age, within minimal_backoff_time..maximal_backoff_time.
      nextAttempt: now + Math.min(settings.maximalBackoffMs, Math.max(settings.minimalBackoffMs, now - envelope.arrivalTime)),
      reasons: Object.fromEntries(deferred.map((o) => [o.address, o.reply])),
      warned: state.warned,
      released: state.released,
    };
    if (settings.delayWarningMs > 0 && !state.warned && now - envelope.arrivalTime >= settings.delayWarningMs) {
      await returnToSender(envelope, content, pending, deferred, 'delay');
      next.warned = true;
    }
    await writeDeliveryState(queue, id, next);
    await moveQueueFile(queue, id, 'active', 'deferred');
  }

  // Recipients grouped by transport and nexthop; one request per recipient_limit recipients of a
  // destination, all in parallel within each destination's concurrency window.
  async function deliverRecipients(envelope: Envelope, recipients: EnvelopeRecipient[], content: Buffer): Promise<Delivered[]> {
    const settings = snapshot().delivery;
    const outcomes: Delivered[] = [];
    const byDestination = new Map<string, { transport: string; nexthop: string; group: EnvelopeRecipient[] }>();
    for (const r of recipients) {
      const hop = lookupNextHop(settings, r.address, envelope.attributes.filter);
      if (!hop.ok) {
        outcomes.push({ address: r.address, status: 'deferred', dsn: '4.3.0', reply: hop.reason, relay: 'none', program: 'qmgr' });
        continue;
      }
      const key = `${hop.transport}:${hop.nexthop}`;
      const entry = byDestination.get(key);
      if (entry) entry.group.push(r);
      else byDestination.set(key, { ...hop, group: [r] });
    }
    await Promise.all([...byDestination].map(async ([key, { transport, nexthop, group }]) => {
      if (!CONNECTING_TRANSPORTS.has(transport)) {
        // qmgr itself defers for a transport that does not exist; the others are delivery agents.
        const program = ['error', 'retry', 'discard'].includes(transport) ? transport : 'qmgr';
        outcomes.push(...deliverWithoutConnection(transport, nexthop, group.map((r) => r.address)).map((o) => ({ ...o, program })));
        return;
      }
      const limits = transportLimits(settings, transport);
      const size = limits.recipientLimit > 0 ? limits.recipientLimit : group.length;
      const requests: EnvelopeRecipient[][] = [];
      for (let i = 0; i < group.length; i += size) requests.push(group.slice(i, i + size));
      await Promise.all(requests.map(async (request) => {
        const results = await concurrency.run(key, limits.concurrency, () => deliverRequest(envelope, request, content, transport, nexthop, key));
        outcomes.push(...results.map((o) => ({ ...o, program: o.program ?? transport })));
      }));
    }));
    return outcomes;
  }

  // One request to a connecting transport, inside its concurrency slot: a dead destination is
  // deferred at once (logged by retry, as Postfix's qmgr hands such mail to its retry agent).
  async function deliverRequest(
    envelope: Envelope, recipients: EnvelopeRecipient[], content: Buffer, transport: string, nexthop: string, key: string,
  ): Promise<Array<RecipientOutcome & { program?: string }>> {
    const settings = snapshot().delivery;
    const limits = transportLimits(settings, transport);
    const suspended = concurrency.suspended(key);
    if (suspended !== null) {
      return recipients.map((r) => ({ address: r.address, status: 'deferred' as const, dsn: '4.4.1', reply: `delivery temporarily suspended: ${suspended}`, relay: 'none', program: 'retry' }));
    }
    const lmtp = transport === 'lmtp';
    const endpoints = await endpointsOf(nexthop, lmtp, settings.myhostname);
    if (!endpoints.ok) {
      const [status, dsn] = endpoints.bounce ? ['bounced', '5.1.10'] as const : ['deferred', '4.4.3'] as const;
      return recipients.map((r) => ({ address: r.address, status, dsn, reply: endpoints.reason, relay: 'none' }));
    }
    const { outcomes, siteFailure } = await runSmtpTransaction({
      envelope, recipients, content, endpoints: endpoints.endpoints, helo: settings.myhostname, lmtp, timeoutMs: SMTP_TIMEOUT_MS,
      cacheKey: key, cacheLimits: lmtp ? settings.connectionCache.lmtp : settings.connectionCache.smtp,
    }, cache);
    if (!cache.closed) {
      if (siteFailure === null) concurrency.success(key, limits.concurrency);
      else concurrency.failure(key, limits.concurrency, siteFailure, settings.minimalBackoffMs);
    }
    return outcomes;
  }

  // Where a nexthop connects: LMTP's unix:/path, else its hosts (MX unless [bracketed]; none for LMTP).
  async function endpointsOf(nexthop: string, lmtp: boolean, myhostname: string) {
    if (lmtp && nexthop.startsWith('unix:')) return { ok: true as const, endpoints: [{ name: myhostname, path: nexthop.slice('unix:'.length) }] };
    const hosts = await resolveDestination(snapshot().resolver, nexthop, lmtp ? 24 : 25, !lmtp);
    if (hosts.status !== 'found') return { ok: false as const, bounce: hosts.status === 'bounce', reason: hosts.reason };
    return { ok: true as const, endpoints: hosts.hosts };
  }

  // Bounce or delay notice to the sender for the recipients whose NOTIFY asks for it.
  async function returnToSender(envelope: Envelope, content: Buffer, recipients: EnvelopeRecipient[], outcomes: RecipientOutcome[], kind: DsnKind): Promise<void> {
    const settings = snapshot().delivery;
    const reported: DsnRecipient[] = [];
    for (const o of outcomes) {
      const recipient = recipients.find((r) => r.address === o.address) ?? { address: o.address };
      if (wantsNotice(recipient, kind)) reported.push({ recipient, dsn: o.dsn, reason: o.reply, action: o.success });
    }
    if (reported.length === 0) return;
    const id = envelope.queueId;
    // notify_classes: bounce and delay send the postmaster a copy, 2bounce the notice nobody takes.
    const noticeKind = kind === 'success' ? null : envelope.sender === '' ? (kind === 'failure' ? '2bounce' : null) : kind === 'failure' ? 'bounce' : 'delay';
    if (noticeKind !== null) {
      await sendPostmasterNotice({ queue, maillog, mainCf: snapshot().mainCf }, noticeKind, postmasterCopy(noticeKind, envelope, content, reported, settings.myhostname));
    }
    if (envelope.sender === '') {
      // Postfix's double bounce: a notice about a notice goes nowhere.
      if (kind === 'failure') log('bounce', 'BOUNCE_DOUBLE', `${id}: undeliverable postmaster notification discarded`);
      scanIncoming(true);
      return;
    }
    const report = buildDsnReport(kind, envelope, content, reported, settings.myhostname, new Date());
    const noticeId = await enqueueNotice(queue, envelope.sender, report, settings.myhostname);
    const what = { failure: 'sender non-delivery notification', delay: 'sender delay notification', success: 'sender delivery status notification' }[kind];
    log('bounce', 'BOUNCE_NOTICE', `${id}: ${what}: ${noticeId}`);
    scanIncoming(true);
  }

  return {
    async start() {
      if (running) return;
      cutOff = false;
      if (cache.closed) cache = new ConnectionCache();
      await fs.promises.mkdir(path.join(queue.directory, DEFER_FOLDER), { recursive: true, mode: 0o700 });
      for (const id of await listQueue(queue, 'active')) await moveQueueFile(queue, id, 'active', 'incoming');
      running = true;
      // A commit renames into incoming/: the event names the file, taken at once. A listing
      // follows within LISTING_INTERVAL_MS for anything the events missed (a full event queue).
      watcher = fs.watch(path.join(queue.directory, 'incoming'), (_event, name) => {
        if (name && isQueueIdOk(name)) arrived.add(name);
        listingTimer ??= setTimeout(() => {
          listingTimer = null;
          scanIncoming(true);
        }, LISTING_INTERVAL_MS);
        scanIncoming(!name);
      });
      watcher.on('error', () => {});
      scheduleRun();
      scanIncoming(true);
    },
    wake() {
      scanIncoming(true);
    },
    async flush() {
      // postqueue -f also revives dead destinations (qmgr's QMGR_REQ_FLUSH_DEAD).
      concurrency.reviveAll();
      let moved = 0;
      for (const id of await listQueue(queue, 'deferred')) {
        if ((await moveQueueFile(queue, id, 'deferred', 'incoming')).ok) moved += 1;
      }
      scanIncoming(true);
      return moved;
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      if (listingTimer) clearTimeout(listingTimer);
      watcher?.close();
      await scanning;
      const settled = Promise.allSettled([...inFlight.values()]).then(() => true);
      const grace = (ms: number) => new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref());
      if (!(await Promise.race([settled, grace(STOP_GRACE_MS)]))) {
        // A next hop that hangs must not hold the stop: cut every connection; the deliveries then
        // end at once, and what they left undone goes back to incoming/.
        cutOff = true;
        cache.abortAll();
        await Promise.race([settled, grace(STOP_GRACE_MS)]);
      }
      cache.closeIdle();
    },
  };
}

// The recipients of a delivery: REDIRECT replaces them, BCC and always_bcc add to them;
// duplicates go once, as Postfix's cleanup removes them.
function recipientsOf(envelope: Envelope, alwaysBcc: string): EnvelopeRecipient[] {
  const list: EnvelopeRecipient[] = envelope.attributes.redirect ? [{ address: envelope.attributes.redirect }] : [...envelope.recipients];
  for (const bcc of (envelope.attributes.bcc ?? '').split(',').filter(Boolean)) list.push({ address: bcc });
  if (alwaysBcc) list.push({ address: alwaysBcc });
  const seen = new Set<string>();
  return list.filter((r) => (seen.has(r.address) ? false : (seen.add(r.address), true)));
}
