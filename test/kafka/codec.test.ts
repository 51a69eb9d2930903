import { describe, expect, it } from 'vitest';
import { ProtocolError, Reader, Writer } from '../../server/kafka/codec.js';

describe('wire codec', () => {
  it('round-trips fixed, string, bytes and array types', () => {
    const w = new Writer(4).int8(-2).int16(-300).int32(70000).int64(2 ** 40).bool(true).string('héllo').nullableString(null).bytes(Buffer.from([1, 2])).nullableBytes(null).int32Array([5, 6]);
    const r = new Reader(w.toBuffer());
    expect([r.int8(), r.int16(), r.int32(), r.int64(), r.bool(), r.string(), r.nullableString(), [...r.bytes()], r.nullableBytes(), r.array((x) => x.int32())]).toEqual([-2, -300, 70000, 2 ** 40, true, 'héllo', null, [1, 2], null, [5, 6]]);
    expect(r.remaining()).toBe(0);
  });

  it('writes unsigned varints and compact forms (N+1) with tags', () => {
    expect([...new Writer().uvarint(300).toBuffer()]).toEqual([0xac, 0x02]);
    const w = new Writer().compactNullableString('ab').compactNullableString(null).compactArray([1, 2], (x, v) => x.int8(v)).emptyTags();
    expect([...w.toBuffer()]).toEqual([3, 0x61, 0x62, 0, 3, 1, 2, 0]);
    const r = new Reader(w.toBuffer());
    expect([r.compactString(), r.compactNullableString(), r.compactArray((x) => x.int8())]).toEqual(['ab', null, [1, 2]]);
    r.skipTags();
    const tagged = new Reader(Buffer.from([2, 0, 1, 9, 5, 2, 7, 7]));
    tagged.skipTags();
    expect(tagged.remaining()).toBe(0);
  });

  it('keeps raw buffers by reference', () => {
    const big = Buffer.alloc(1000, 1);
    const w = new Writer().int32(1).raw(big).int16(2);
    expect(w.length).toBe(1006);
    expect(w.buffers()[1]).toBe(big);
  });

  it('throws ProtocolError on underruns and absurd counts', () => {
    expect(() => new Reader(Buffer.from([0, 5, 1])).string()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0x7f, 0, 0, 0])).array((x) => x.int8())).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 1])).uvarint()).toThrow(ProtocolError);
  });
});
