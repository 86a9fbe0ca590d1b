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
  const parts: Buffer[] = [];
  if (content[0] === 0x2e) parts.push(DOT);
  let from = 0;
  let lines = 0;
  for (let lf = content.indexOf(0x0a); lf >= 0; lf = content.indexOf(0x0a, lf + 1)) {
    if (lf === 0 || content[lf - 1] !== 0x0d) return null;
    lines += 1;
    if (content[lf + 1] === 0x2e) {
      parts.push(content.subarray(from, lf + 1), DOT);
      from = lf + 1;
    }
  }
  // Each LF has its CR: as many CRs as lines means no other CR anywhere.
  let crs = 0;
  for (let cr = content.indexOf(0x0d); cr >= 0; cr = content.indexOf(0x0d, cr + 1)) crs += 1;
  if (crs !== lines) return null;
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
