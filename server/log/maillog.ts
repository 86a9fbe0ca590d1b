/**
 * The maillog: one line per event in syslog's format, as Postfix writes it
 * (`Nov 22 03:07:30 mx postfix/smtpd[1234]: connect from localhost[127.0.0.1]`), appended to
 * a file under the data folder and echoed to standard output, so existing log tools read it.
 * Exports createMaillog, maillogPath and the Maillog type. Reads: syslog_name, myhostname (given
 * by the caller). Each line also goes to the listeners as a structured event with a stable code
 * and, where a counter needs them, the facts behind the text (EventFacts), at once; the file and standard output get the lines of one event-loop turn in one write each
 * (a busy gateway logs several lines per message, and a stream write per line was a hot spot).
 * The file write is synchronous, an append to the page cache: at the end of the turn the lines
 * are in the file. A crash loses at most the lines of the turn it happened in, as syslog may
 * lose its last lines; a file that cannot be written (full disk) loses lines, not the gateway.
 * XXX no rotation yet: the file grows until an administrator rotates it (copytruncate works;
 * log search also reads the first rotated file, maillog.1).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface MaillogEvent {
  time: Date;           // when the line was written
  program: string;      // Postfix daemon name: smtpd, cleanup, qmgr, smtp, postfix
  pid: number;          // process id, as syslog shows it
  severity: 'info' | 'warning' | 'fatal' | 'panic';
  code: string;         // stable UPPER_SNAKE event code (server/log/event-codes.ts)
  text: string;         // the message part of the line, without the severity prefix
  line: string;         // the whole formatted line
  facts?: EventFacts;   // what the text says, for counters (server/stats); absent on most lines
}

/**
 * EventFacts - the facts of a line that its consumers count by, given by the one call that
 * writes the line so nobody parses the text back.
 */
export interface EventFacts {
  readonly stage?: string;          // SMTPD_REJECT: the request name of the line (RCPT, END-OF-MESSAGE ...)
  readonly restriction?: string;    // SMTPD_REJECT: the step that refused, as written; CLEANUP_REJECT: the check parameter
  readonly clientAddress?: string;  // the client of a reject
  readonly disposition?: 'queued' | 'held' | 'discarded'; // CLEANUP_MESSAGE_ID: what became of the message
  readonly status?: 'sent' | 'deferred' | 'bounced';      // SMTP_DELIVERY: the recipient's outcome
  readonly recipients?: number;     // QMGR_EXPIRED: recipients returned to the sender
}

export interface Maillog {
  /** write - log one event; warnings get Postfix's `warning: ` prefix. */
  write(program: string, code: string, text: string, severity?: MaillogEvent['severity'], facts?: EventFacts): void;
  /** onEvent - receive every event after it is written (dashboards, tests). */
  onEvent(listener: (e: MaillogEvent) => void): () => void;
  /** close - flush and close the file. */
  close(): Promise<void>;
}

export interface MaillogOptions {
  file?: string;          // append to this file (folder created)
  stdout?: boolean;       // echo each line to standard output
  hostname: () => string; // the host field: $myhostname's first label, as syslog prints it
  syslogName: () => string; // $syslog_name, normally "postfix"
}

/** maillogPath - the maillog of a data folder: log/maillog. */
export function maillogPath(dataDir: string): string {
  return path.join(dataDir, 'log', 'maillog');
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** formatSyslogTime - `Nov  2 03:07:30`: day padded with a space, local time, as rsyslog writes it. */
export function formatSyslogTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** createMaillog - a maillog writer; a file that cannot be opened is a fatal environment error. */
export function createMaillog(options: MaillogOptions): Maillog {
  let fd: number | null = null; // the file, opened for appending
  if (options.file) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    fd = fs.openSync(options.file, 'a', 0o640);
  }
  const listeners = new Set<(e: MaillogEvent) => void>();
  let pending = ''; // lines of this event-loop turn, not yet written
  // The time stamp changes once a second and local time is dear to compute: one per second.
  let stampSecond = -1;
  let stamp = '';
  let flushing: NodeJS.Immediate | null = null;
  const flush = () => {
    flushing = null;
    const text = pending;
    pending = '';
    // Sessions closing during shutdown may log after close(): those lines go to stdout only.
    if (fd !== null) {
      try {
        fs.writeSync(fd, text);
      } catch {
        // Nowhere to say it: the lines still reach standard output and the listeners.
      }
    }
    if (options.stdout) process.stdout.write(text);
  };
  return {
    write(program, code, text, severity = 'info', facts) {
      const time = new Date();
      const prefix = severity === 'info' ? '' : `${severity}: `;
      const host = options.hostname().split('.')[0];
      // A client-supplied string must never start a new log line.
      const safe = text.replace(/[\r\n]/g, '?');
      const second = Math.floor(time.getTime() / 1000);
      if (second !== stampSecond) {
        stampSecond = second;
        stamp = formatSyslogTime(time);
      }
      const line = `${stamp} ${host} ${options.syslogName()}/${program}[${process.pid}]: ${prefix}${safe}`;
      pending += line + '\n';
      flushing ??= setImmediate(flush);
      const event: MaillogEvent = { time, program, pid: process.pid, severity, code, text: safe, line, facts };
      for (const l of listeners) l(event);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (flushing) {
        clearImmediate(flushing);
        flush();
      }
      if (fd !== null) fs.closeSync(fd);
      fd = null;
      return Promise.resolve();
    },
  };
}
