import { constants, crc32, deflateRawSync } from "node:zlib";

/**
 * One gzip member built from pieces compressed apart: each piece is raw deflate ending in a full flush (the
 * compressor's window is reset, so no later block refers back into it), which makes a piece compressed once
 * valid at any place in the stream. A page compressed once can then be sent with a new value between its
 * pieces (the status page's per-response nonce) for the cost of compressing that value, not the page.
 */
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block (fixed Huffman, end of block): the stream ends here. */
const FINAL = Buffer.from([0x03, 0x00]);

export interface Piece {
  raw: Buffer;
  deflated: Buffer;
}

export function piece(raw: Buffer, level = 6): Piece {
  return { raw, deflated: deflateRawSync(raw, { level, finishFlush: constants.Z_FULL_FLUSH }) };
}

/** The gzip of the pieces' raw bytes in order. */
export function gzipOf(pieces: readonly Piece[]): Buffer {
  let crc = 0;
  let length = 0;
  for (const p of pieces) {
    // Node 20's crc32 of an empty Buffer cut from its pool (Buffer.from("")) is not the identity: skip those.
    if (p.raw.length > 0) crc = crc32(p.raw, crc);
    length += p.raw.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length >>> 0, 4);
  return Buffer.concat([HEADER, ...pieces.map((p) => p.deflated), FINAL, trailer]);
}
