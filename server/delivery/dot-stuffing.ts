/**
 * Dot-stuffing of a message for DATA (RFC 5321 4.5.2) at the speed of a native search: queue
 * files hold canonical CRLF lines, for which stuffing is a '.' before every line that starts
 * with one. nodemailer's DataStream does the same, and also mends bare CR and LF, in a
 * JavaScript loop over every byte: a tenth of the delivery thread's time for 100 KB messages.
 * Exports stuffDots, speedUpDataStream. Reads no parameters.
 */
import type DataStream from 'nodemailer/lib/smtp-connection/data-stream.js';

const DOT = Buffer.from('.');

/**
 * stuffDots - content with a '.' added before each line that starts with one, or null when the
 * content is not canonical (a bare CR or LF, or no CRLF at the end) and needs mending as well.
 */
export function stuffDots(content: Buffer): Buffer | null {
  if (content.length < 2 || content[content.length - 1] !== 0x0a) return null;
  // The searches go line by line, and String.prototype.indexOf on a latin1 copy is a builtin of
  // V8's: a third of what Buffer.indexOf costs per call through Node's binding, copy included.
  const text = content.toString('latin1');
  // Canonical: each CR is followed by an LF, and no other LF is left.
  let lf = text.indexOf('\n');
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 2)) {
    if (lf !== cr + 1) return null;
    lf = text.indexOf('\n', lf + 1);
  }
  if (lf >= 0) return null;
  const parts: Buffer[] = [];
  if (content[0] === 0x2e) parts.push(DOT);
  let from = 0;
  for (let dot = text.indexOf('\n.'); dot >= 0; dot = text.indexOf('\n.', dot + 2)) {
    parts.push(content.subarray(from, dot + 1), DOT);
    from = dot + 1;
  }
  if (parts.length === 0) return content;
  parts.push(content.subarray(from));
  return Buffer.concat(parts);
}

/**
 * speedUpDataStream - let one of nodemailer's DataStreams stuff a first chunk of canonical
 * content with stuffDots; anything else goes through its own transform, which also keeps the
 * counters and last byte its end-of-data line depends on.
 */
export function speedUpDataStream(stream: DataStream): void {
  const own = stream._transform;
  stream._transform = function (this: DataStream, chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void) {
    const stuffed = this.lastByte === false && Buffer.isBuffer(chunk) ? stuffDots(chunk) : null;
    if (stuffed === null || !Buffer.isBuffer(chunk)) return own.call(this, chunk, encoding, done);
    this.inByteCount += chunk.length;
    this.outByteCount += stuffed.length;
    this.lastByte = chunk[chunk.length - 1];
    this.push(stuffed);
    done();
  };
}
