/**
 * Log search over the maillog (log/maillog of the data folder, then the first rotated file,
 * log/maillog.1), as an administrator greps it: by queue ID, client, sender, recipient and
 * time, newest lines first. The console's log search page and its queue ID view call this.
 * Exports searchMaillog, MaillogQuery, MaillogSearch, MAILLOG_SEARCH_LIMITS.
 * Reads no parameters. Logs nothing.
 * Bounded: the files are read backwards (read-lines-backward.ts) and reading stops at the
 * result limit, at the first line older than the time range (lines are written in time order),
 * or after scanLimitBytes; the result says which, so the page can say the limit was reached.
 * Matching is case-insensitive and by containment, one rule for every field but the queue ID:
 *   queue ID   the line is about it (`ID: ...`) or names it (`notification: ID`); exact
 *   client     a `from name[addr]` or `client=name[addr]` of the line contains the text,
 *              so `[192.0.2.1]` finds one address exactly and `example.org` a whole domain
 *   sender     the line's `from=<...>` contains the text; `<>` finds the null sender
 *   recipient  a `to=<...>` or `orig_to=<...>` of the line contains the text
 * A queue ID made by this gateway carries its birth time (queueIdTime): no line of the message
 * is older, so reading stops a day before it, whatever time range was asked.
 * The maillog is read here, not through the control channel: it is a file the gateway only
 * appends to, and reading it needs nothing from the gateway, which may not even be running.
 * XXX compressed rotations (maillog.2.gz ...) are not searched.
 */
import fs from 'node:fs/promises';
import { maillogPath } from './maillog.ts';
import { parseMaillogLine, type MaillogEntry } from './parse-maillog-line.ts';
import { readLinesBackward } from './read-lines-backward.ts';
import { isQueueIdOk, queueIdTime } from '../queue/queue-id.ts';

/** What to look for; every field given must match. */
export interface MaillogQuery {
  queueId?: string;   // a queue ID, any case
  client?: string;    // part of `name[addr]`
  sender?: string;    // part of the sender address, or `<>`
  recipient?: string; // part of a recipient address
  since?: Date;       // no line older than this
  until?: Date;       // no line newer than this
  limit?: number;     // at most this many lines (MAILLOG_SEARCH_LIMITS)
}

export type MaillogSearch =
  | {
    ok: true;
    entries: MaillogEntry[];       // newest first
    limitReached: boolean;         // `limit` lines were found: older lines may match too
    scanLimitReached: boolean;     // reading stopped after scanLimitBytes: older lines were not read
    searchedBackTo: Date | null;   // the time of the oldest line read, when reading stopped early
    scannedBytes: number;          // bytes of the files read
    files: string[];               // the files that exist, newest first
  }
  | { ok: false; field: keyof MaillogQuery; error: string };

export const MAILLOG_SEARCH_LIMITS = {
  defaultLines: 200,                   // lines answered when the query gives no limit
  maxLines: 5000,                      // the most a query may ask for
  scanBytes: 512 * 1024 * 1024,        // bytes read before giving up
  fieldLength: 256,                    // longest search text accepted
} as const;

// How much older than its queue ID's clock a message's first line may be (a clock stepped back).
const QUEUE_ID_CLOCK_SLACK_MS = 86_400_000;

// `from name[addr]` (connect, disconnect, reject, lost connection, timeout) and `client=name[addr]`.
const CLIENT_FIELD = /(?:\bfrom |\bclient=)([^\s[\]]*\[[^\]\s]*\])/g;
const SENDER_FIELD = /\bfrom=<([^>]*)>/g;
const RECIPIENT_FIELD = /(?:\bto|\borig_to)=<([^>]*)>/g;

/** searchMaillog - the matching lines of a data folder's maillog, newest first; a bad query changes into a field error. */
export async function searchMaillog(
  dataDir: string, query: MaillogQuery, options: { scanLimitBytes?: number; chunkBytes?: number } = {},
): Promise<MaillogSearch> {
  const checked = checkQuery(query);
  if (!checked.ok) return checked;
  const { matches, limit, since, until } = checked;
  const scanLimit = options.scanLimitBytes ?? MAILLOG_SEARCH_LIMITS.scanBytes;
  const current = maillogPath(dataDir);
  const entries: MaillogEntry[] = [];
  const files: string[] = [];
  let scannedBytes = 0;
  let oldestRead: Date | null = null;
  let stoppedEarly: 'limit' | 'scan' | 'time' | null = null;

  for (const file of [current, `${current}.1`]) {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    files.push(file);
    if (stoppedEarly) continue;
    let notAfter = stat.mtime;
    for await (const { text, offset } of readLinesBackward(file, options.chunkBytes ? { chunkBytes: options.chunkBytes } : {})) {
      const read = scannedBytes + (stat.size - offset);
      if (read > scanLimit) {
        stoppedEarly = 'scan';
        break;
      }
      const entry = parseMaillogLine(text, notAfter);
      if (!entry) continue;
      notAfter = entry.time;
      oldestRead = entry.time;
      if (since && entry.time < since) {
        stoppedEarly = 'time';
        break;
      }
      if (until && entry.time > until) continue;
      if (!matches(entry)) continue;
      entries.push(entry);
      if (entries.length >= limit) {
        stoppedEarly = 'limit';
        break;
      }
    }
    scannedBytes += stoppedEarly === 'scan' ? scanLimit - scannedBytes : stat.size;
  }
  return {
    ok: true,
    entries,
    limitReached: stoppedEarly === 'limit',
    scanLimitReached: stoppedEarly === 'scan',
    searchedBackTo: stoppedEarly === 'limit' || stoppedEarly === 'scan' ? oldestRead : null,
    scannedBytes,
    files,
  };
}

type CheckedQuery =
  | { ok: true; matches: (e: MaillogEntry) => boolean; limit: number; since: Date | null; until: Date | null }
  | { ok: false; field: keyof MaillogQuery; error: string };

// Refuses what cannot be meant, then builds one predicate of the fields given.
function checkQuery(query: MaillogQuery): CheckedQuery {
  const tests: Array<(e: MaillogEntry) => boolean> = [];
  for (const field of ['queueId', 'client', 'sender', 'recipient'] as const) {
    const value = query[field];
    if (value !== undefined && value.length > MAILLOG_SEARCH_LIMITS.fieldLength) {
      return { ok: false, field, error: `at most ${MAILLOG_SEARCH_LIMITS.fieldLength} characters` };
    }
  }
  let since = query.since ?? null;
  if (since && Number.isNaN(since.getTime())) return { ok: false, field: 'since', error: 'not a time' };
  const until = query.until ?? null;
  if (until && Number.isNaN(until.getTime())) return { ok: false, field: 'until', error: 'not a time' };
  if (since && until && since > until) return { ok: false, field: 'until', error: 'earlier than the start of the range' };
  const limit = query.limit ?? MAILLOG_SEARCH_LIMITS.defaultLines;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAILLOG_SEARCH_LIMITS.maxLines) {
    return { ok: false, field: 'limit', error: `a number of lines from 1 to ${MAILLOG_SEARCH_LIMITS.maxLines}` };
  }

  const queueId = query.queueId?.trim().toUpperCase();
  if (queueId) {
    if (!isQueueIdOk(queueId)) return { ok: false, field: 'queueId', error: 'a queue ID is 10 to 32 hexadecimal digits' };
    const named = new RegExp(`\\b${queueId}\\b`);
    tests.push((e) => e.queueId === queueId || named.test(e.text));
    const born = queueIdTime(queueId);
    if (born) {
      const earliest = new Date(born.getTime() - QUEUE_ID_CLOCK_SLACK_MS);
      if (!since || since < earliest) since = earliest;
    }
  }
  const client = query.client?.trim().toLowerCase();
  if (client) tests.push((e) => fieldValues(e.text, CLIENT_FIELD).some((v) => v.toLowerCase().includes(client)));
  const sender = query.sender?.trim().toLowerCase();
  if (sender) {
    tests.push(sender === '<>'
      ? (e) => fieldValues(e.text, SENDER_FIELD).includes('')
      : (e) => fieldValues(e.text, SENDER_FIELD).some((v) => v.toLowerCase().includes(sender)));
  }
  const recipient = query.recipient?.trim().toLowerCase();
  if (recipient) tests.push((e) => fieldValues(e.text, RECIPIENT_FIELD).some((v) => v.toLowerCase().includes(recipient)));
  return { ok: true, matches: (e) => tests.every((t) => t(e)), limit, since, until };
}

function fieldValues(text: string, field: RegExp): string[] {
  return Array.from(text.matchAll(field), (m) => m[1]);
}
