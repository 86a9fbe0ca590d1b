/**
 * Postfix's cleanup, the part that sees the message as it arrives: prepends the Received:
 * header, reads the primary header block (hop count, Message-ID, an mbox `From ` first line
 * turned into X-Mailbox-Line:) and passes every byte on to the queue file.
 * Reads: hopcount_limit (given by the caller). The hop count includes Received: and
 * Delivered-To: headers of the primary header block and the gateway's own Received:
 * (spec/protocol.md §8); the verdict is given at the end, after the whole message was read.
 * XXX header_checks and body_checks hook in here with the policy engine (issue 3).
 */

export interface CleanupResult {
  hops: number;            // Received: + Delivered-To: in the primary header block, own header included
  hopsExceeded: boolean;   // hops >= hopcount_limit: `554 5.4.0 Error: too many hops`
  messageId: string | null; // Message-ID: value, for the `ID: message-id=<...>` log line
}

const HEADER_NAME = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/;

export class CleanupMessage {
  private inHeaders = true;       // still in the primary header block
  private firstLine = true;
  private atLineStart = true;     // the next byte begins a line
  private hops = 1;               // our own Received: header
  private messageId: string | null = null;
  private lastHeader = '';        // lower-case name of the header being continued

  constructor(
    private readonly sink: (chunk: Buffer) => Promise<void>, // the queue file's content writer
    private readonly hopcountLimit: number,                   // hopcount_limit
  ) {}

  /** start - write the gateway's own headers ahead of the client's content. */
  async start(receivedHeader: string): Promise<void> {
    await this.sink(Buffer.from(receivedHeader, 'latin1'));
  }

  /** write - CRLF-terminated lines (a long line may come in pieces) from the DATA parser. */
  async write(chunk: Buffer): Promise<void> {
    if (!this.inHeaders) return this.sink(chunk);
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < chunk.length && this.inHeaders) {
      const crlf = chunk.indexOf('\r\n', pos, 'latin1');
      const end = crlf < 0 ? chunk.length : crlf + 2;
      const piece = chunk.subarray(pos, end);
      if (this.atLineStart) out.push(...this.inspectLine(crlf < 0 ? piece : chunk.subarray(pos, crlf), piece));
      else out.push(piece);
      this.atLineStart = crlf >= 0;
      pos = end;
    }
    if (pos < chunk.length) out.push(chunk.subarray(pos));
    await this.sink(out.length === 1 ? out[0] : Buffer.concat(out));
  }

  /** inspectLine - classify a header-block line; returns what to write for it. */
  private inspectLine(line: Buffer, whole: Buffer): Buffer[] {
    const first = this.firstLine;
    this.firstLine = false;
    if (line.length === 0) {
      this.inHeaders = false;
      return [whole];
    }
    if (line[0] === 0x20 || line[0] === 0x09) {
      if (this.lastHeader === 'message-id' && this.messageId !== null && !this.messageId) {
        this.messageId = line.toString('latin1').trim();
      }
      return [whole];
    }
    const text = line.subarray(0, 1000).toString('latin1');
    if (first && text.startsWith('From ')) {
      this.lastHeader = 'x-mailbox-line';
      return [Buffer.from('X-Mailbox-Line: ', 'latin1'), whole];
    }
    const m = HEADER_NAME.exec(text);
    if (!m) {
      // A line that is not a header ends the primary header block, as in Postfix.
      this.inHeaders = false;
      return [whole];
    }
    this.lastHeader = m[1].toLowerCase();
    if (this.lastHeader === 'received' || this.lastHeader === 'delivered-to') this.hops++;
    if (this.lastHeader === 'message-id' && this.messageId === null) {
      this.messageId = text.slice(m[0].length).trim();
    }
    return [whole];
  }

  /** finish - the verdict on what was read; call after the final dot. */
  finish(): CleanupResult {
    return {
      hops: this.hops,
      hopsExceeded: this.hops >= this.hopcountLimit,
      messageId: this.messageId,
    };
  }
}
