/**
 * The queue file format, cut down from Postfix's record(3) and rec_type.h: an 8-byte header
 * (magic `PCQF`, version), then typed, length-prefixed records: REC_TYPE_NORM pieces of content
 * in arrival order, one REC_TYPE_XTRA holding the envelope as JSON, and REC_TYPE_END, which holds
 * its own offset, the content byte count and a CRC-32 of every byte before it. A file without a
 * valid END is not a queued message (Postfix discards queue files without END as well).
 * Exports the constants of the layout, encodeFileHeader, encodeRecordHeader, encodeEndRecord,
 * decodeEndPayload. Reads no parameters.
 *
 *   file   = "PCQF" version:u32be record*
 *   record = type:u8 length:u32be payload[length]
 *   END    = endOffset:u64be contentBytes:u64be crc32:u32be
 */

export const QUEUE_FILE_MAGIC = Buffer.from('PCQF', 'latin1');
export const QUEUE_FILE_VERSION = 1;
export const FILE_HEADER_LENGTH = 8; // magic, then the version as u32be
export const RECORD_HEADER_LENGTH = 5; // type u8, payload length u32be

/** Record types, as Postfix names them; the byte is the letter Postfix uses where there is one. */
export const REC_TYPE = {
  NORM: 0x4e, // 'N': a piece of message content
  XTRA: 0x58, // 'X': the envelope, JSON, after all content (Postfix: start of extracted info)
  END: 0x45, // 'E': last record of a complete file
} as const;

export const END_PAYLOAD_LENGTH = 20;

/** The writer cuts content into records of at most this many bytes (and buffers no more). */
export const CONTENT_RECORD_LENGTH = 32 * 1024;

/**
 * Largest payload a reader accepts per type: bounds what a damaged length can make a reader
 * allocate. The envelope bound leaves room for thousands of recipients.
 */
export const RECORD_LENGTH_LIMIT: Readonly<Record<number, number>> = {
  [REC_TYPE.NORM]: 1024 * 1024,
  [REC_TYPE.XTRA]: 64 * 1024 * 1024,
  [REC_TYPE.END]: END_PAYLOAD_LENGTH,
};

/** encodeFileHeader - the magic and version every queue file starts with. */
export function encodeFileHeader(): Buffer {
  const header = Buffer.alloc(FILE_HEADER_LENGTH);
  QUEUE_FILE_MAGIC.copy(header, 0);
  header.writeUInt32BE(QUEUE_FILE_VERSION, QUEUE_FILE_MAGIC.length);
  return header;
}

/** encodeRecordHeader - write a record's type and length at offset in target. */
export function encodeRecordHeader(target: Buffer, offset: number, type: number, length: number): void {
  target[offset] = type;
  target.writeUInt32BE(length, offset + 1);
}

/** encodeEndRecord - the END record for a file whose first endOffset bytes have the given CRC-32. */
export function encodeEndRecord(endOffset: number, contentBytes: number, crc: number): Buffer {
  const record = Buffer.alloc(RECORD_HEADER_LENGTH + END_PAYLOAD_LENGTH);
  encodeRecordHeader(record, 0, REC_TYPE.END, END_PAYLOAD_LENGTH);
  record.writeBigUInt64BE(BigInt(endOffset), RECORD_HEADER_LENGTH);
  record.writeBigUInt64BE(BigInt(contentBytes), RECORD_HEADER_LENGTH + 8);
  record.writeUInt32BE(crc, RECORD_HEADER_LENGTH + 16);
  return record;
}

/** decodeEndPayload - the three facts an END record vouches for. */
export function decodeEndPayload(payload: Buffer): { endOffset: bigint; contentBytes: bigint; crc: number } {
  return {
    endOffset: payload.readBigUInt64BE(0),
    contentBytes: payload.readBigUInt64BE(8),
    crc: payload.readUInt32BE(16),
  };
}
