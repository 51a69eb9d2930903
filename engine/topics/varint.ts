/**
 * Zig-zag VARINT / VARLONG as used inside Kafka records (not the unsigned varints of flexible
 * protocol fields). Values are JS numbers: varlongs beyond 2^53 are not expected in records.
 */

/** Bytes needed for zig-zag `value`. */
export function varintSize(value: number): number {
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    n++;
  }
  return n;
}

/** Writes zig-zag `value` at `pos`; returns the next position. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  while (z >= 128) {
    buf[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[pos++] = z;
  return pos;
}

/** Cursor-based reader: `readVarint` stores the next position in `cursor.pos`. */
export interface Cursor {
  pos: number;
}

export function readVarint(buf: Buffer, cursor: Cursor): number {
  let pos = cursor.pos;
  let b = buf[pos++];
  if (b === undefined) throw new RangeError('varint past end of buffer');
  let z = b & 0x7f;
  let mul = 128;
  while (b & 0x80) {
    b = buf[pos++];
    if (b === undefined) throw new RangeError('varint past end of buffer');
    if (mul > 2 ** 63) throw new RangeError('varint too long');
    z += (b & 0x7f) * mul;
    mul *= 128;
  }
  cursor.pos = pos;
  // zig-zag decode without 32-bit ops (values may exceed int32)
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}
