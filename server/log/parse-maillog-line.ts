/**
 * Reading a maillog line back into its parts, as an administrator reads
 * `Nov 22 03:07:30 mx postfix/smtpd[1234]: 4BF2A1C0DE: client=mail.example.org[192.0.2.7]`:
 * time, host, program with its pid, the queue ID the line is about, and the text.
 * Exports MaillogEntry, parseMaillogLine, syslogYearBefore.
 * Reads no parameters. The syslog time has no year: the caller says which moment the line
 * cannot be later than (the newer line after it, or the file's modification time), and the
 * year is the latest one that keeps the line at or before it (syslogYearBefore).
 * A line that is not in syslog's format is null, not an error: log files collect strangers.
 */
import { MONTHS } from './maillog.ts';

/** One maillog line, taken apart. */
export interface MaillogEntry {
  time: Date;             // local time, the year worked out by the reader
  host: string;           // the syslog host field: $myhostname's first label
  program: string;        // the tag before [pid]: `postfix/smtpd`, `postfix/qmgr`
  pid: number | null;     // syslog's [pid], absent on some lines
  queueId: string | null; // the `QUEUEID: ` the line starts with; null for NOQUEUE and lines about no message
  text: string;           // the message after `program[pid]: `
  line: string;           // the whole line as written
}

// `Mon DD HH:MM:SS host tag[pid]: text`, rsyslog's traditional format, as maillog.ts writes it.
const SYSLOG_LINE = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\S+) ([^\s[\]:]+)(?:\[(\d+)\])?: (.*)$/;

// Queue IDs as queue-id.ts makes them, and Postfix's short ones; NOQUEUE is no queue ID.
const QUEUE_ID_PREFIX = /^([0-9A-F]{10,32}): /;

// A clock stepped back (NTP) can write a line a little later than the one after it; within this
// the line is taken to be of the same year, beyond it of the year before.
const CLOCK_STEP_SLACK_MS = 86_400_000;

/**
 * parseMaillogLine - the parts of one line, dated no later than notAfter (give or take a clock
 * step); null for a line that is not a syslog line or names no real date.
 */
export function parseMaillogLine(line: string, notAfter: Date): MaillogEntry | null {
  const m = SYSLOG_LINE.exec(line);
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]);
  const [day, hours, minutes, seconds] = [m[2], m[3], m[4], m[5]].map(Number);
  if (month < 0 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 60) return null;
  const year = syslogYearBefore(month, day, hours, minutes, seconds, notAfter);
  const time = new Date(year, month, day, hours, minutes, seconds);
  // Feb 30 would roll over into March: not a date syslog writes.
  if (time.getMonth() !== month) return null;
  const text = m[9];
  return {
    time,
    host: m[6],
    program: m[7],
    pid: m[8] === undefined ? null : Number(m[8]),
    queueId: QUEUE_ID_PREFIX.exec(text)?.[1] ?? null,
    text,
    line,
  };
}

/** syslogYearBefore - the year that puts a syslog time at or before notAfter; Feb 29 looks back to a leap year. */
export function syslogYearBefore(month: number, day: number, hours: number, minutes: number, seconds: number, notAfter: Date): number {
  let year = notAfter.getFullYear();
  for (let tries = 0; tries < 8; tries++, year--) {
    const t = new Date(year, month, day, hours, minutes, seconds);
    if (t.getMonth() === month && t.getTime() <= notAfter.getTime() + CLOCK_STEP_SLACK_MS) return year;
  }
  return notAfter.getFullYear();
}
