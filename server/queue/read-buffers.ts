/**
 * Buffers that queue files are read into, lent and given back, so that a thread reading a
 * message after another allocates nothing. Every new Buffer counts towards V8's external
 * memory, and with it towards the limit that starts a full collection: read fresh, 100 KB
 * messages set off one full collection of the delivery thread per hundred or so messages,
 * each marking its whole heap. Postfix has no equivalent: its smtp client reads a queue file
 * through one fixed-size VSTREAM buffer.
 * A buffer is given back only by whoever knows that nothing else still holds it; one that is
 * never given back is collected like any other.
 * Exports ReadBuffers, createReadBuffers. Reads no parameters.
 */

/** take(length): a buffer of exactly length bytes; give(buffer): back for reuse, if it was lent. */
export interface ReadBuffers {
  take(length: number): Buffer;
  give(buffer: Buffer): void;
}

// Sizes are rounded up to a power of two from 64 KiB, so that similar messages share buffers;
// a file larger than the largest size gets a buffer of its own, never kept.
const SMALLEST = 64 * 1024;
const LARGEST = 8 * 1024 * 1024;

/** createReadBuffers - a pool that keeps at most idleBytes of buffers not lent. */
export function createReadBuffers(idleBytes = 16 * 1024 * 1024): ReadBuffers {
  const idle = new Map<number, ArrayBuffer[]>();
  const lent = new WeakSet<ArrayBuffer>();
  let idleTotal = 0;
  return {
    take(length) {
      if (length > LARGEST) return Buffer.allocUnsafeSlow(length);
      let size = SMALLEST;
      while (size < length) size *= 2;
      const kept = idle.get(size)?.pop();
      if (kept) idleTotal -= size;
      const memory = kept ?? Buffer.allocUnsafeSlow(size).buffer;
      lent.add(memory);
      return Buffer.from(memory, 0, length);
    },
    give(buffer) {
      const memory = buffer.buffer;
      if (!(memory instanceof ArrayBuffer) || !lent.has(memory)) return;
      lent.delete(memory);
      if (idleTotal + memory.byteLength > idleBytes) return;
      const list = idle.get(memory.byteLength) ?? [];
      list.push(memory);
      idle.set(memory.byteLength, list);
      idleTotal += memory.byteLength;
    },
  };
}
