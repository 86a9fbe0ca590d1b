/**
 * The gateway's traffic counters, in memory: what the maillog events of the last seconds
 * added up to, per minute, until the recorder writes them to the database (traffic-store.ts).
 * The one catalogue of counter names: the dashboard, the Prometheus exposition and the
 * database rows all use these names.
 * Exports: TRAFFIC_COUNTERS, TrafficCounterName, TrafficRow, TrafficCounters,
 * createTrafficCounters, minuteOf, rejectLabel, splitRejectLabel.
 * Reads no parameters. Adding to a counter is a Map update: it runs on the SMTP path.
 * XXX a minute with more than CLIENT_LABELS_PER_MINUTE rejected clients counts the rest as
 * OTHER_CLIENTS: a flood from many addresses must not grow memory and rows without bound.
 */

/** TRAFFIC_COUNTERS - every counter: what it counts, its label, and whether /metrics exports it. */
export const TRAFFIC_COUNTERS = {
  connections: { kind: 'counter', label: null, help: 'SMTP connections accepted by smtpd (`connect from`)' },
  messages_accepted: { kind: 'counter', label: null, help: 'messages accepted into the incoming or hold queue with `250 Ok: queued as`' },
  messages_held: { kind: 'counter', label: null, help: 'accepted messages that a HOLD action put in the hold queue' },
  messages_discarded: { kind: 'counter', label: null, help: 'messages accepted with 250 and then dropped by a DISCARD action' },
  rejects: { kind: 'counter', label: 'stage restriction', help: 'requests refused by smtpd, by SMTP stage and by the restriction that refused' },
  content_rejects: { kind: 'counter', label: 'check', help: 'messages refused at the end of DATA by header_checks, body_checks, MIME nesting or hop count' },
  recipients_delivered: { kind: 'counter', label: null, help: 'recipients delivered to the next hop (`status=sent`)' },
  recipients_deferred: { kind: 'counter', label: null, help: 'delivery attempts deferred, per recipient (`status=deferred`)' },
  recipients_bounced: { kind: 'counter', label: null, help: 'recipients returned to the sender (`status=bounced`, `status=expired`)' },
  client_rejects: { kind: 'counter', label: 'client', help: 'rejects and content rejects by client address (not exported: one series per address)' },
  queue_messages: { kind: 'gauge', label: 'queue', help: 'messages in each queue, sampled every minute' },
} as const;

export type TrafficCounterName = keyof typeof TRAFFIC_COUNTERS;

/** One database row's worth: a counter's sum in a minute, or a gauge's sample. */
export interface TrafficRow {
  readonly minute: number;            // minutes since 1970-01-01 00:00 UTC
  readonly counter: TrafficCounterName;
  readonly label: string;             // '' for counters without a label
  readonly value: number;
  readonly gauge: boolean;            // true: value replaces, false: value adds
}

export interface TrafficCounters {
  /** add - count n for a counter in the minute of `at`. */
  add(counter: TrafficCounterName, label: string, at: Date, n?: number): void;
  /** sample - a gauge's value in the minute of `at`; a later sample of the same minute wins. */
  sample(counter: TrafficCounterName, label: string, at: Date, value: number): void;
  /** take - everything counted since the last take, as rows; the counters start again at zero. */
  take(): TrafficRow[];
  /** restore - put rows that could not be written back, to go with the next take. */
  restore(rows: readonly TrafficRow[]): void;
}

export const CLIENT_LABELS_PER_MINUTE = 500;
export const OTHER_CLIENTS = '*';

/** minuteOf - the minute number of a time (UTC, so no daylight-saving gaps or repeats). */
export function minuteOf(at: Date | number): number {
  return Math.floor((typeof at === 'number' ? at : at.getTime()) / 60_000);
}

/** rejectLabel - the label of a reject: `STAGE restriction` (restriction names hold no spaces). */
export function rejectLabel(stage: string, restriction: string): string {
  return `${stage} ${restriction}`;
}

/** splitRejectLabel - the stage and restriction of a reject label. */
export function splitRejectLabel(label: string): { stage: string; restriction: string } {
  const space = label.indexOf(' ');
  return space < 0 ? { stage: label, restriction: '' } : { stage: label.slice(0, space), restriction: label.slice(space + 1) };
}

/** createTrafficCounters - empty counters. */
export function createTrafficCounters(): TrafficCounters {
  // minute -> `counter\tlabel` -> sum; a gauge keeps its last sample under the same key.
  let minutes = new Map<number, Map<string, number>>();
  let gauges = new Set<string>(); // keys that are gauge samples, `minute\tcounter\tlabel`
  let clients = new Map<number, number>(); // minute -> distinct client labels counted

  const bucket = (minute: number): Map<string, number> => {
    let m = minutes.get(minute);
    if (m === undefined) minutes.set(minute, (m = new Map()));
    return m;
  };

  const sample = (counter: TrafficCounterName, label: string, minute: number, value: number): void => {
    const key = `${counter}\t${label}`;
    bucket(minute).set(key, value);
    gauges.add(`${minute}\t${key}`);
  };

  return {
    add(counter, label, at, n = 1) {
      const minute = minuteOf(at);
      const m = bucket(minute);
      let key = `${counter}\t${label}`;
      if (counter === 'client_rejects' && !m.has(key)) {
        const seen = clients.get(minute) ?? 0;
        if (seen >= CLIENT_LABELS_PER_MINUTE) key = `${counter}\t${OTHER_CLIENTS}`;
        else clients.set(minute, seen + 1);
      }
      m.set(key, (m.get(key) ?? 0) + n);
    },
    sample(counter, label, at, value) {
      sample(counter, label, minuteOf(at), value);
    },
    take() {
      const rows: TrafficRow[] = [];
      for (const [minute, m] of minutes) {
        for (const [key, value] of m) {
          const tab = key.indexOf('\t');
          rows.push({
            minute, counter: key.slice(0, tab) as TrafficCounterName, label: key.slice(tab + 1), value,
            gauge: gauges.has(`${minute}\t${key}`),
          });
        }
      }
      minutes = new Map();
      gauges = new Set();
      clients = new Map();
      return rows;
    },
    restore(rows) {
      for (const r of rows) {
        if (r.gauge) {
          // A newer sample taken meanwhile is the better one.
          const key = `${r.counter}\t${r.label}`;
          if (!bucket(r.minute).has(key)) sample(r.counter, r.label, r.minute, r.value);
        } else {
          const m = bucket(r.minute);
          const key = `${r.counter}\t${r.label}`;
          m.set(key, (m.get(key) ?? 0) + r.value);
        }
      }
    },
  };
}
