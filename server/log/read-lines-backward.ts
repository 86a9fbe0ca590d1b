/**
 * Reading a text file backwards, line by line, from its end to its start, in fixed chunks: log
 * search shows the newest lines first and stops early, so it never reads more of a large
 * maillog than it needs, and never holds more than a chunk and one line in memory.
 * Exports readLinesBackward, BackwardLine. Reads no parameters.
 * The file's size is taken when reading starts: lines appended meanwhile are not seen. A file
 * cut short meanwhile (logrotate's copytruncate) ends the reading; its old lines are gone.
 * A line longer than LINE_LIMIT bytes is not a maillog line (maillog.ts writes far shorter
 * ones) and is skipped, so a file without newlines cannot make the reader hold all of it.
 */
import fs from 'node:fs/promises';

/** One line and where it starts in the file. */
export interface BackwardLine {
  text: string;   // without the newline, decoded as UTF-8
  offset: number; // byte offset of its first byte: the file up to here is still unread
}

const CHUNK_BYTES = 64 * 1024;
const LINE_LIMIT = 64 * 1024;
const NEWLINE = 0x0a;

/** readLinesBackward - the file's lines, last first; a missing file has none. */
export async function* readLinesBackward(file: string, options: { chunkBytes?: number } = {}): AsyncGenerator<BackwardLine> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    let position = (await handle.stat()).size;
    // The bytes after the last newline seen so far: the end of a line whose start is not yet read.
    let partial: Buffer = Buffer.alloc(0);
    let overlong = false; // the partial line went past LINE_LIMIT: drop it up to its start
    let atEnd = true; // a newline that ends the file ends its last line, it starts no empty one
    while (position > 0) {
      const length = Math.min(chunkBytes, position);
      const chunk = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(chunk, 0, length, position - length);
      if (bytesRead < length) return; // truncated under us
      position -= length;
      let end = length; // chunk[..end] is still to split
      for (let i = length - 1; i >= 0; i--) {
        if (chunk[i] !== NEWLINE) continue;
        const piece = chunk.subarray(i + 1, end);
        end = i;
        if (atEnd && piece.length === 0 && partial.length === 0) {
          atEnd = false;
          continue;
        }
        atEnd = false;
        if (!overlong) yield { text: Buffer.concat([piece, partial]).toString('utf8'), offset: position + i + 1 };
        partial = Buffer.alloc(0);
        overlong = false;
      }
      if (!overlong) {
        partial = Buffer.concat([chunk.subarray(0, end), partial]);
        if (partial.length > LINE_LIMIT) {
          overlong = true;
          partial = Buffer.alloc(0);
        }
      }
      if (end > 0) atEnd = false;
    }
    if (!overlong && partial.length > 0) yield { text: partial.toString('utf8'), offset: 0 };
  } finally {
    await handle.close();
  }
}
