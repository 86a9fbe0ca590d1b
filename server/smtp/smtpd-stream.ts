/**
 * The wire parser of an SMTP session: splits client input into command lines and, in DATA,
 * into message lines, the way Postfix's smtp_get() reads them (spec/protocol.md §2, §3 DATA).
 * It makes no protocol decision; the connection does (style.md: parser apart from protocol).
 *
 * Commands: a line ends at LF, a CR before it is dropped; a bare LF is accepted and flagged.
 * A line longer than line_length_limit is cut there and the rest up to the newline discarded,
 * then the cut line is handed on (Postfix has no "line too long" reply). Commands are handed on
 * one at a time: the next is not parsed before the previous one's promise settles, so a
 * pipelined group is answered in order and a slow command applies backpressure to the socket.
 *
 * DATA: lines end at LF (CR before it dropped, a bare LF flagged); a line "." ends the message
 * (with strictEnd, as smtpd_forbid_bare_newline = normalize or reject, only the sequence
 * <CR><LF>.<CR><LF> does); a leading "." is removed. Every line is passed on with CRLF, so what the queue holds and
 * what the next hop receives has no bare LF (no SMTP smuggling through the gateway). Each line
 * counts len + 2 bytes towards the size limit; past it, lines are counted but not passed on.
 * Long lines are passed on in pieces of at most PIECE bytes, so memory stays bounded.
 */
import { Writable } from 'node:stream';

const PIECE = 64 * 1024;

export interface CommandLine {
  line: Buffer;          // the command without its line ending, cut at line_length_limit
  truncated: boolean;    // the client sent more than line_length_limit before the newline
  originalLength: number; // bytes the client sent on the line, before cutting
  bareLf: boolean;       // ended by LF without CR
  pending: Buffer;       // input already received after this line (pipelining detection)
}

export interface DataSink {
  /** write - CRLF-terminated message lines (or pieces of a long line); resolves when taken. */
  write(chunk: Buffer): Promise<void>;
  /** end - the "." line arrived; resolves once the reply is sent and commands may go on. */
  end(result: DataResult): Promise<void>;
}

export interface DataResult {
  bytes: number;         // message bytes as Postfix counts them (each line len + 2)
  sizeExceeded: boolean; // bytes went past the limit given to startData
  bareLf: boolean;       // at least one line ended with a bare LF
}

export class SmtpdStream extends Writable {
  /** oncommand - set by the connection; called for each command line, in order. */
  oncommand: (cmd: CommandLine) => Promise<void> = async () => {};
  isClosed = false;                 // set by smtp-server on close/upgrade: drain, dispatch nothing
  lineLengthLimit: number;          // line_length_limit
  private carry: Buffer[] = [];     // bytes of the current unfinished line
  private carryLength = 0;
  private discarding = false;       // past line_length_limit: drop until the newline
  private droppedLength = 0;        // bytes dropped of the current command line
  // Message bytes to pass on from the chunk being read. Lines that go on exactly as they came
  // (CRLF, no leading dot, not continued from an earlier chunk) are one span of the chunk,
  // copied once by flushOutput: most of a message is such lines.
  private out: Buffer[] = [];
  private outLength = 0;
  private spanStart = 0;            // the span: chunk[spanStart, spanEnd)
  private spanEnd = 0;
  private data: {
    sink: DataSink;
    limit: number;                  // message_size_limit, 0 = none
    bytes: number;
    sizeExceeded: boolean;
    bareLf: boolean;
    lineStarted: boolean;           // part of the current line was already passed on
    strictEnd: boolean;             // only <CR><LF>.<CR><LF> ends the message
    previousCrlf: boolean;          // the line before ended with <CR><LF>
  } | null = null;

  constructor(lineLengthLimit: number) {
    super({ decodeStrings: true });
    this.lineLengthLimit = lineLengthLimit;
  }

  /** inData - true while a message is being received. */
  get inData(): boolean {
    return this.data !== null;
  }

  /** dataBytes - message bytes received so far, for `timeout after DATA (N bytes)`. */
  get dataBytes(): number {
    return this.data?.bytes ?? 0;
  }

  /** startData - switch to message mode after the 354 reply; the rest of the input is content. */
  startData(sink: DataSink, sizeLimit: number, strictEnd = false): void {
    this.data = { sink, limit: sizeLimit, bytes: 0, sizeExceeded: false, bareLf: false, lineStarted: false, strictEnd, previousCrlf: true };
    // Nothing of an earlier message whose sink failed may reach this one.
    this.out = [];
    this.outLength = this.spanStart = this.spanEnd = 0;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, next: (err?: Error | null) => void): void {
    this.consume(chunk).then(() => next(), (err: Error) => next(err));
  }

  private async consume(chunk: Buffer): Promise<void> {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.isClosed) return;
      const lf = chunk.indexOf(0x0a, pos);
      if (this.data) {
        pos = await this.consumeData(chunk, pos, lf);
        continue;
      }
      if (lf < 0) {
        this.keep(chunk.subarray(pos));
        return;
      }
      this.keep(chunk.subarray(pos, lf));
      pos = lf + 1;
      await this.dispatchCommand(chunk.subarray(pos));
    }
  }

  /** keep - buffer part of a command line, dropping what goes past line_length_limit. */
  private keep(part: Buffer): void {
    if (!part.length) return;
    const room = this.lineLengthLimit - this.carryLength;
    if (this.discarding || part.length > room) {
      const taken = Math.max(0, room);
      if (taken) this.pushCarry(part.subarray(0, taken));
      this.droppedLength += part.length - taken;
      this.discarding = true;
      return;
    }
    this.pushCarry(part);
  }

  private pushCarry(part: Buffer): void {
    // Copy: kept as a slice, a short unfinished line would hold its whole chunk in memory.
    this.carry.push(Buffer.from(part));
    this.carryLength += part.length;
  }

  private takeCarry(): Buffer {
    const line = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry, this.carryLength);
    this.carry = [];
    this.carryLength = 0;
    return line;
  }

  private async dispatchCommand(pending: Buffer): Promise<void> {
    let line = this.takeCarry();
    const originalLength = line.length + this.droppedLength;
    const truncated = this.discarding;
    this.discarding = false;
    this.droppedLength = 0;
    let bareLf = true;
    // With truncation the CR may have been dropped with the tail; that is not a bare LF.
    if (truncated) bareLf = false;
    else if (line.length && line[line.length - 1] === 0x0d) {
      line = line.subarray(0, line.length - 1);
      bareLf = false;
    }
    await this.oncommand({ line, truncated, originalLength, bareLf, pending });
  }

  /** consumeData - take message bytes from pos; returns where command input resumes. */
  private async consumeData(chunk: Buffer, pos: number, lf: number): Promise<number> {
    const d = this.data!;
    while (lf >= 0) {
      const start = pos;
      pos = lf + 1;
      // The line is line[from, to): indexes into the chunk when it is all there, as most lines
      // are, so that such a line costs no Buffer of its own.
      const whole = this.carryLength === 0;
      let line = chunk;
      let from = start;
      let to = lf;
      if (!whole) {
        this.pushCarry(chunk.subarray(start, lf));
        line = this.takeCarry();
        from = 0;
        to = line.length;
      }
      const bare = !(to > from && line[to - 1] === 0x0d);
      if (!bare) to -= 1;
      const endsData = !d.strictEnd || (!bare && d.previousCrlf);
      d.previousCrlf = !bare;
      const stuffed = !d.lineStarted && to > from && line[from] === 0x2e;
      if (stuffed && to - from === 1 && endsData) {
        await this.flushOutput(chunk, d);
        this.data = null;
        await d.sink.end({ bytes: d.bytes, sizeExceeded: d.sizeExceeded, bareLf: d.bareLf });
        return pos;
      }
      if (bare) d.bareLf = true;
      if (stuffed) from += 1;
      const continued = d.lineStarted;
      d.lineStarted = false;
      this.countData(to - from + 2);
      // Past the size limit a line is counted, not passed on.
      if (!d.sizeExceeded && whole && !bare && !stuffed && !continued) this.outputSpan(chunk, start, pos);
      else if (!d.sizeExceeded) {
        this.output(chunk, line.subarray(from, to));
        this.output(chunk, CRLF);
      }
      if (this.outLength >= PIECE) await this.flushOutput(chunk, d);
      lf = chunk.indexOf(0x0a, pos);
    }
    // No newline in the rest of the chunk: keep it, but never more than one piece.
    this.pushCarry(chunk.subarray(pos));
    if (this.carryLength > PIECE) {
      let piece = this.takeCarry();
      // A trailing CR may belong to a CRLF split across chunks: keep it for the next round.
      let keepCr = false;
      if (piece[piece.length - 1] === 0x0d) {
        piece = piece.subarray(0, piece.length - 1);
        keepCr = true;
      }
      if (!d.lineStarted && piece[0] === 0x2e) piece = piece.subarray(1);
      d.lineStarted = true;
      this.countData(piece.length);
      if (!d.sizeExceeded) this.output(chunk, piece);
      if (keepCr) this.pushCarry(Buffer.from([0x0d]));
    }
    await this.flushOutput(chunk, d);
    return chunk.length;
  }

  private outputSpan(chunk: Buffer, start: number, end: number): void {
    if (this.spanEnd !== start) {
      this.closeSpan(chunk);
      this.spanStart = start;
    }
    this.spanEnd = end;
    this.outLength += end - start;
  }

  private output(chunk: Buffer, bytes: Buffer): void {
    this.closeSpan(chunk);
    this.out.push(bytes);
    this.outLength += bytes.length;
  }

  private closeSpan(chunk: Buffer): void {
    if (this.spanEnd > this.spanStart) this.out.push(chunk.subarray(this.spanStart, this.spanEnd));
    this.spanStart = this.spanEnd = 0;
  }

  private async flushOutput(chunk: Buffer, d: NonNullable<SmtpdStream['data']>): Promise<void> {
    this.closeSpan(chunk);
    if (!this.out.length) return;
    // A single span goes on as the slice it is: the queue file writer copies what it keeps.
    const buf = this.out.length === 1 ? this.out[0] : Buffer.concat(this.out, this.outLength);
    this.out = [];
    this.outLength = 0;
    await d.sink.write(buf);
  }

  private countData(n: number): void {
    const d = this.data!;
    d.bytes += n;
    if (d.limit > 0 && d.bytes > d.limit) d.sizeExceeded = true;
  }
}

const CRLF = Buffer.from('\r\n');
