import { OtlpDecodeError } from './otlp-types.js';

/**
 * A minimal reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/):
 * tags, varints, 64-bit and 32-bit fixed values and length-delimited fields. Groups (wire types 3
 * and 4) are deprecated and never used by OTLP, so they are rejected as malformed.
 */
export const WIRE = { varint: 0, i64: 1, len: 2, i32: 5 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface Tag {
  field: number;
  wireType: number;
}

/** A cursor over one message's bytes; stateful by nature, hence a class. */
export class ProtoReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  tag(): Tag {
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) this.fail('field number 0');
    return { field, wireType };
  }

  /** A varint that must fit in a double exactly (tags, lengths, enums, bools). */
  varint(): number {
    const value = this.varintBig();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('varint too large');
    return Number(value);
  }

  /** A varint as an unsigned 64-bit integer. */
  varintBig(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte();
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** int64 (two's complement in a varint), as a decimal string. */
  int64(): string {
    return BigInt.asIntN(64, this.varintBig()).toString();
  }

  /** fixed64, as a decimal string (OTLP's nanosecond timestamps). */
  fixed64(): string {
    this.need(8);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value.toString();
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  bytesField(): Uint8Array {
    const length = this.varint();
    this.need(length);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  string(): string {
    try {
      return utf8.decode(this.bytesField());
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw err;
      return this.fail('string field is not valid UTF-8');
    }
  }

  /** Skips a field of a wire type the caller does not read. */
  skip(wireType: number): void {
    if (wireType === WIRE.varint) this.varintBig();
    else if (wireType === WIRE.i64) this.advance(8);
    else if (wireType === WIRE.len) this.bytesField();
    else if (wireType === WIRE.i32) this.advance(4);
    else this.fail(`unsupported wire type ${wireType}`);
  }

  /** Throws unless the field has the wire type its schema says (a corrupt body usually doesn't). */
  expect(tag: Tag, wireType: number): void {
    if (tag.wireType !== wireType) {
      this.fail(`field ${tag.field} has wire type ${tag.wireType}, expected ${wireType}`);
    }
  }

  fail(problem: string): never {
    throw new OtlpDecodeError(`${problem} at byte ${this.pos}`);
  }

  private byte(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  private advance(n: number): void {
    this.need(n);
    this.pos += n;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) this.fail('message truncated');
  }
}

/** Lower-case hex of an id's bytes; OTLP/JSON spells trace and span ids this way. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Reads every field of a message, handing each tag to `onField` (which must consume it). */
export function readMessage(bytes: Uint8Array, onField: (r: ProtoReader, tag: Tag) => void): void {
  const reader = new ProtoReader(bytes);
  while (!reader.atEnd()) onField(reader, reader.tag());
}

// Typed field reads: each checks the wire type first, so a corrupt body fails with a reason
// rather than reading a length as a number or a number as bytes.

/** A length-delimited field (a sub-message or bytes). */
export function lenField(r: ProtoReader, t: Tag): Uint8Array {
  r.expect(t, WIRE.len);
  return r.bytesField();
}
/** A UTF-8 string field. */
export function stringField(r: ProtoReader, t: Tag): string {
  r.expect(t, WIRE.len);
  return r.string();
}
/** A varint field that fits in a double (enums, bools, small counts). */
export function varintField(r: ProtoReader, t: Tag): number {
  r.expect(t, WIRE.varint);
  return r.varint();
}
/** An int64 field, as a decimal string. */
export function int64Field(r: ProtoReader, t: Tag): string {
  r.expect(t, WIRE.varint);
  return r.int64();
}
/** A fixed64 field (OTLP's nanosecond timestamps), as a decimal string. */
export function fixed64Field(r: ProtoReader, t: Tag): string {
  r.expect(t, WIRE.i64);
  return r.fixed64();
}
/** A double field. */
export function doubleField(r: ProtoReader, t: Tag): number {
  r.expect(t, WIRE.i64);
  return r.double();
}
