/**
 * The bounded transcript of one SMTP session (Postfix's smtpd_chat.c history): lines in and
 * out with timestamps, and the notify classes the client earned (policy, protocol, resource,
 * software). Kept as Postfix's smtpd_history_flush_threshold keeps it: the first
 * TRANSCRIPT_HEAD lines and the last TRANSCRIPT_TAIL, each cut at TRANSCRIPT_LINE_MAX
 * characters, so an abusive session costs a fixed amount of memory.
 * Exports: SessionTranscript, SessionViolation, TranscriptLine, ViolationClass, classifyReply.
 * Message content and AUTH responses are never recorded, only a marker line.
 */
import type { Reply } from '../policy/reply.ts';

export type ViolationClass = 'policy' | 'protocol' | 'resource' | 'software';

export interface TranscriptLine {
  at: string;                 // ISO time the line was seen
  dir: 'in' | 'out';          // from the client or to it
  text: string;               // without CRLF, cut at TRANSCRIPT_LINE_MAX
}

/** SessionViolation - what the session end hands on when the client earned a notify class. */
export interface SessionViolation {
  clientAddress: string;
  clientName: string;
  helo: string | null;
  sender: string | null;                   // last MAIL FROM seen ('' = null sender)
  recipients: string[];                    // RCPT TO addresses seen, accepted or not
  classes: ViolationClass[];
  restriction: string | null;              // the first restriction that rejected
  reply: string | null;                    // the first violating reply
  lines: TranscriptLine[];
  endedAt: string;
}

const TRANSCRIPT_HEAD = 100;
const TRANSCRIPT_TAIL = 100;
const TRANSCRIPT_LINE_MAX = 512;

// A line as kept during the session: the time as a number, made an ISO string only when the
// transcript is stored, which few sessions need.
interface KeptLine {
  at: number;
  dir: TranscriptLine['dir'];
  text: string;
}

const stored = (l: KeptLine): TranscriptLine => ({ at: new Date(l.at).toISOString(), dir: l.dir, text: l.text });

export class SessionTranscript {
  readonly head: KeptLine[] = [];               // first lines, kept
  tail: KeptLine[] = [];                        // last lines, a sliding window
  dropped = 0;                                  // lines between head and tail that were let go
  readonly classes = new Set<ViolationClass>(); // notify classes earned
  restriction: string | null = null;            // the first restriction that rejected
  reply: string | null = null;                  // and its reply, as sent
  sender: string | null = null;                 // last MAIL FROM seen
  readonly recipients = new Set<string>();      // RCPT TO addresses seen (bounded by TRANSCRIPT_HEAD)
  private policyReply: Reply | null = null;     // the reply a restriction chose: not a protocol error

  /** add - one line in or out; past the bound, the middle of the session goes. */
  add(dir: 'in' | 'out', text: string): void {
    const line = { at: Date.now(), dir, text: text.length > TRANSCRIPT_LINE_MAX ? text.slice(0, TRANSCRIPT_LINE_MAX) + '...' : text };
    if (this.head.length < TRANSCRIPT_HEAD) {
      this.head.push(line);
      return;
    }
    this.tail.push(line);
    // Trim in batches so a long session does not shift the array on every line.
    if (this.tail.length > TRANSCRIPT_TAIL * 2) {
      this.dropped += this.tail.length - TRANSCRIPT_TAIL;
      this.tail = this.tail.slice(-TRANSCRIPT_TAIL);
    }
  }

  /** noteEnvelope - remember a sender or recipient the client named. */
  noteEnvelope(sender: string | null, recipient: string | null): void {
    if (sender !== null) this.sender = sender;
    if (recipient !== null && this.recipients.size < TRANSCRIPT_HEAD) this.recipients.add(recipient);
  }

  /** notePolicy - a restriction rejected; its reply is then not counted as a protocol error. */
  notePolicy(restriction: string, reply: Reply): void {
    this.classes.add('policy');
    this.policyReply = reply;
    if (this.restriction === null) {
      this.restriction = restriction;
      this.reply = formatReplyText(reply);
    }
  }

  /** noteReply - classify a reply being sent (classifyReply), unless a restriction chose it. */
  noteReply(r: Reply): void {
    if (r === this.policyReply) return;
    const c = classifyReply(r);
    if (!c) return;
    this.classes.add(c);
    this.reply ??= formatReplyText(r);
  }

  /** lines - what is kept, with a marker where lines were dropped. */
  lines(): TranscriptLine[] {
    let tail = this.tail;
    let dropped = this.dropped;
    if (tail.length > TRANSCRIPT_TAIL) {
      dropped += tail.length - TRANSCRIPT_TAIL;
      tail = tail.slice(-TRANSCRIPT_TAIL);
    }
    if (!dropped) return [...this.head, ...tail].map(stored);
    return [...this.head, { at: tail[0].at, dir: 'out' as const, text: `(${dropped} lines not kept)` }, ...tail].map(stored);
  }
}

/**
 * classifyReply - the notify class of a reply Postfix's smtpd would count: 5.5.x and 4.7.0/
 * 5.7.0 protocol refusals (unknown command, syntax, sequence, too many errors, pipelining)
 * are protocol; 452 and 4.3.1 are resource; other 4.3.x (configuration, table errors) software.
 */
export function classifyReply(r: Reply): ViolationClass | null {
  if (r.code < 400) return null;
  const enh = r.enh ?? '';
  if (r.code === 452 || enh === '4.3.1' || enh === '5.3.4') return 'resource';
  if (/^4\.3\./.test(enh)) return 'software';
  if (/^[45]\.5\./.test(enh)) return 'protocol';
  if (r.code === 421 && /too many errors/.test(r.text)) return 'protocol';
  if (r.code === 503 || r.code === 530) return 'protocol';
  return null;
}

function formatReplyText(r: Reply): string {
  return `${r.code}${r.enh ? ' ' + r.enh : ''} ${r.text}`;
}
