/**
 * Postfix's cleanup, the part that sees the message as it arrives: it takes the gateway's own
 * headers (access-table PREPEND lines, then the Received: header) and the client's DATA lines,
 * cuts lines longer than line_length_limit into pieces, parses MIME (mime-state.ts), inspects
 * every logical header and body line with header_checks, mime_header_checks,
 * nested_header_checks and body_checks (cleanup-act.ts), counts hops, notes the Message-ID,
 * and writes what is left to the queue file (spec/header-body-checks.md, protocol.md §3, §8).
 * Exports: CleanupOptions, CleanupResult, CleanupMessage.
 * Reads (given by the caller): hopcount_limit, line_length_limit, the snapshot's ContentChecks.
 * Logs, as the cleanup program: every check action (`ID: reject: header ...`), the warnings of
 * actions that cannot be carried out, `ID: reject: mime-error ...` and `warning: ID: message
 * rejected: hopcount exceeded`. The verdicts are given at the end, after the whole message was
 * read; once the message is refused nothing more is written (CLEANUP_OUT_OK()).
 * Memory stays bounded: one unfinished line of at most line_length_limit, one logical header of
 * at most header_size_limit plus a line, and the output of one chunk.
 * XXX hops are counted over the whole primary header block and judged at the end, where
 * Postfix judges at each Received: header and then stops body_checks; judging in header()
 * would remove the difference once Delivered-To: counting is settled (protocol.md §8).
 */
import type { EventCode } from '../log/event-codes.ts';
import { findCheck, type CheckMaps } from './check-maps.ts';
import { cleanupAct, createContentInspection, type ContentInspection } from './cleanup-act.ts';
import { formatCleanupActLog, type CleanupLogFacts } from './cleanup-act-log.ts';
import type { ContentChecks } from './content-checks.ts';
import { headerName, isMimeHeader } from './header-opts.ts';
import type { MessageActions } from './message-actions.ts';
import { MimeState, type HeaderClass } from './mime-state.ts';

export interface CleanupOptions {
  hopcountLimit: number;    // hopcount_limit
  lineLengthLimit: number;  // line_length_limit: longer lines are handled in pieces of this size
  checks: ContentChecks;    // the snapshot's header and body checks and their limits
  actions: MessageActions;  // the transaction's: content actions merge into what smtpd decided
  facts: CleanupLogFacts;   // queue ID, client, sender, recipient ... for the action log lines
  /** log - one maillog line of the cleanup program; a refusal names its check for the counters. */
  log(code: EventCode, text: string, severity?: 'info' | 'warning', refusedBy?: string): void;
}

export interface CleanupResult {
  hops: number;            // Received: + Delivered-To: in the primary header block, own header included
  hopsExceeded: boolean;   // hops >= hopcount_limit: `554 5.4.0 Error: too many hops`
  messageId: string | null; // Message-ID: value, for the `ID: message-id=<...>` log line
  reason: string | null;   // why the content was refused: `5.7.1 text` (REJECT, MIME error)
  rejected: boolean;       // CLEANUP_STAT_CONT: 550 with the reason
  deferred: boolean;       // CLEANUP_STAT_DEFER: a REJECT with a 4.x.x code, 451 with the reason
  lookupFailed: boolean;   // CLEANUP_STAT_WRITE: a check table failed, 451 try again later
}

// The event code of each action's log line, by the word cleanup_act_log() writes.
const ACTION_CODES: Readonly<Record<string, EventCode>> = {
  reject: 'CLEANUP_REJECT', warning: 'CLEANUP_WARN', info: 'CLEANUP_INFO', filter: 'CLEANUP_FILTER',
  pass: 'CLEANUP_PASS', discard: 'CLEANUP_DISCARD', hold: 'CLEANUP_HOLD', prepend: 'CLEANUP_PREPEND',
  replace: 'CLEANUP_REPLACE', redirect: 'CLEANUP_REDIRECT', bcc: 'CLEANUP_BCC', strip: 'CLEANUP_STRIP',
};

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class CleanupMessage {
  private readonly mime: MimeState;
  private readonly inspection: ContentInspection;
  private output: string[] = [];          // byte strings waiting for the sink
  private pending = '';                   // the client's unfinished line, byte string
  private clientFirst = true;             // smtpd's `first`: the client's first line is still to come
  private hops = 0;
  private messageId: string | null = null;
  private mimeNestingError = false;

  constructor(
    private readonly sink: (chunk: Buffer) => Promise<void>, // the queue file's content writer
    private readonly options: CleanupOptions,
  ) {
    this.inspection = createContentInspection(options.actions);
    const c = options.checks;
    this.mime = new MimeState({
      disableMime: c.disableMimeInputProcessing,
      headerSizeLimit: c.headerSizeLimit,
      nestingLimit: c.mimeNestingLimit,
      // cleanup_message(): nesting errors count only when some header check is configured.
      reportNesting: [c.headerChecks, c.mimeHeaderChecks, c.nestedHeaderChecks].some((m) => m.tables.length > 0),
    }, {
      header: (headerClass, text) => this.header(headerClass, text),
      body: (text, continued, offset) => this.body(text, continued, offset),
      nestingError: (text) => this.nestingError(text),
    });
  }

  /**
   * start - the gateway's own headers ahead of the client's content: access-table PREPEND lines
   * above the Received: header (access-maps.md §3.3). They are headers like any other, so
   * header_checks inspects them (obs: a rule on `^Received: from .*localhost` fired).
   */
  async start(prepend: readonly string[], receivedHeader: string): Promise<void> {
    for (const line of [...prepend, ...receivedHeader.replace(/\r\n$/, '').split('\r\n')]) {
      this.mime.update(toBytes(line), false);
    }
    await this.flush();
  }

  /** write - CRLF-terminated lines (a long line may come in pieces) from the DATA parser. */
  async write(chunk: Buffer): Promise<void> {
    if (this.pending === '' && this.passesBodyThrough()) return this.passThrough(chunk);
    const text = this.pending + chunk.toString('latin1');
    let at = 0;
    for (let crlf = text.indexOf('\r\n'); crlf >= 0; crlf = text.indexOf('\r\n', at)) {
      this.line(text.slice(at, crlf));
      at = crlf + 2;
      // The rest of a chunk that reached the last body: latin1 has a character per byte.
      if (this.passesBodyThrough()) {
        const rest = chunk.subarray(at - this.pending.length);
        this.pending = '';
        return this.passThrough(rest);
      }
    }
    let rest = text.slice(at);
    const limit = this.options.lineLengthLimit;
    for (; rest.length > limit; rest = rest.slice(limit)) this.clientRecord(rest.slice(0, limit), true);
    this.pending = rest;
    await this.flush();
  }

  /** finish - the end of the content: the verdicts on what was read. Call after the final dot. */
  async finish(): Promise<CleanupResult> {
    if (this.pending) this.clientRecord(this.pending, true);
    this.pending = '';
    this.mime.end();
    const inspection = this.inspection;
    if (this.mimeNestingError && inspection.reason === null) {
      inspection.rejected = true;
      inspection.reason = '5.6.0 MIME nesting exceeds safety limit';
    }
    const hopsExceeded = this.hops >= this.options.hopcountLimit;
    if (hopsExceeded) this.options.log('CLEANUP_HOPCOUNT', `${this.options.facts.queueId}: message rejected: hopcount exceeded`, 'warning', 'hopcount_limit');
    await this.flush();
    return {
      hops: this.hops,
      hopsExceeded,
      messageId: this.messageId === null ? null : readable(this.messageId),
      reason: inspection.reason,
      rejected: inspection.rejected,
      deferred: inspection.deferred,
      lookupFailed: inspection.lookupFailed,
    };
  }

  // One whole client line: records of at most line_length_limit, as smtpd's smtp_get() reads them.
  private line(text: string): void {
    const limit = this.options.lineLengthLimit;
    let rest = text;
    for (; rest.length >= limit; rest = rest.slice(limit)) this.clientRecord(rest.slice(0, limit), true);
    this.clientRecord(rest, false);
  }

  // smtpd's treatment of the first content lines: mbox `From ` lines become X-Mailbox-Line:
  // headers, and a first line starting with white space gets an empty line before it, so that
  // it cannot continue the Received: header.
  private clientRecord(text: string, continued: boolean): void {
    if (this.clientFirst) {
      if (/^>*From /.test(text)) {
        this.mime.update(`X-Mailbox-Line: ${text}`, continued);
        return;
      }
      this.clientFirst = false;
      if (text.startsWith(' ') || text.startsWith('\t')) this.mime.update('', false);
    }
    this.mime.update(text, continued);
  }

  // cleanup_header_callback(): count, inspect, note the Message-ID, write.
  private header(headerClass: HeaderClass, text: string): void {
    let name = headerName(text);
    if (headerClass === 'primary' && (name === 'received' || name === 'delivered-to')) this.hops++;
    // MIME headers go to mime_header_checks in every header block (header-body-checks.md §1).
    const checkClass = isMimeHeader(name) ? 'multipart' : headerClass;
    const c = this.options.checks;
    const maps = checkClass === 'primary' ? c.headerChecks : checkClass === 'multipart' ? c.mimeHeaderChecks : c.nestedHeaderChecks;
    if (this.inspection.inspecting && maps.tables.length) {
      const kept = this.inspect(maps, 'header', text);
      if (kept === null) return;
      if (kept !== text) name = headerName(kept);
      text = kept;
    }
    if (checkClass === 'primary' && name === 'message-id' && this.messageId === null) {
      this.messageId = text.slice(text.indexOf(':') + 1).replace(/^\s+/, '');
    }
    this.emit(text.replace(/\n/g, '\r\n') + '\r\n');
  }

  // cleanup_body_callback(): only the first body_checks_size_limit bytes of each part are inspected.
  private body(text: string, continued: boolean, offset: number): void {
    if (!this.isOutputOk()) return;
    const c = this.options.checks;
    if (this.inspectsBody() && (c.bodyChecksSizeLimit === 0 || offset < c.bodyChecksSizeLimit)) {
      const kept = this.inspect(c.bodyChecks, 'body', text);
      if (kept === null) return;
      text = kept;
    }
    this.emit(continued ? text : text + '\r\n');
  }

  // One header or body line through its maps: the text to write, or null when it is left out.
  private inspect(maps: CheckMaps, context: 'header' | 'body', unit: string): string | null {
    const { facts, log } = this.options;
    const content = readable(unit);
    const found = findCheck(maps, content);
    if (found.status === 'retry') {
      log('CLEANUP_CHECKS_WARNING', `${facts.queueId}: ${maps.parameter} map lookup problem -- message not accepted, try again later`, 'warning');
      this.inspection.lookupFailed = true;
      return unit;
    }
    if (found.status === 'notfound') return unit;
    const result = cleanupAct(found.value, {
      inspection: this.inspection,
      context,
      mapClass: maps.parameter,
      log: (action, text) => log(ACTION_CODES[action], formatCleanupActLog(facts, action, context, content, text), 'info', action === 'reject' ? maps.parameter : undefined),
      warn: (text) => log('CLEANUP_CHECKS_WARNING', text, 'warning'),
      prepend: (text) => this.emit(toBytes(text) + '\r\n'),
    });
    if (result.kind === 'drop') return null;
    return result.kind === 'replace' ? toBytes(result.text) : unit;
  }

  // cleanup_mime_error_callback(): logged when found; the refusal comes at the end.
  private nestingError(text: string): void {
    const f = this.options.facts;
    this.mimeNestingError = true;
    this.options.log('CLEANUP_MIME_ERROR', `${f.queueId}: reject: mime-error MIME nesting exceeds safety limit: ${readable(text).slice(0, 100)} from ${f.origin}; from=<${f.sender}> to=<${f.recipient ?? 'unknown'}>`, 'info', 'mime_nesting_limit');
  }

  // In the last body of a message without body_checks nothing read any more can change what
  // is written or decided: the bytes go to the queue file as they came, without being read line
  // by line as text (most of a large message).
  private passesBodyThrough(): boolean {
    return this.mime.inFinalBody && !this.inspectsBody();
  }

  private async passThrough(bytes: Buffer): Promise<void> {
    if (this.output.length > 0) await this.flush();
    if (this.isOutputOk() && bytes.length > 0) await this.sink(bytes);
  }

  private inspectsBody(): boolean {
    return this.inspection.inspecting && this.options.checks.bodyChecks.tables.length > 0;
  }

  // CLEANUP_OUT_OK(): a refused message is read to its end but no longer written.
  private isOutputOk(): boolean {
    const i = this.inspection;
    return !i.rejected && !i.deferred && !i.lookupFailed;
  }

  private emit(bytes: string): void {
    if (this.isOutputOk()) this.output.push(bytes);
  }

  private async flush(): Promise<void> {
    if (!this.output.length) return;
    const chunk = Buffer.from(this.output.join(''), 'latin1');
    this.output = [];
    await this.sink(chunk);
  }
}

/** toBytes - text from a table or the gateway as the byte string of its UTF-8 form. */
function toBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

// readable - a byte string as the text tables match and logs show: UTF-8 when it is valid
// UTF-8, each byte a character otherwise, so a rule written in UTF-8 matches UTF-8 content.
function readable(bytes: string): string {
  if (!/[\x80-\xff]/.test(bytes)) return bytes;
  try {
    return UTF8.decode(Buffer.from(bytes, 'latin1'));
  } catch {
    return bytes;
  }
}
