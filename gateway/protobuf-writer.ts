// Protobuf's wire primitives on a growing buffer, for encoders that write messages in one pass straight
// from JavaScript objects: telemetry/otlp-encoding.ts (spans) and subscribe-response-encoding.ts
// (Subscribe responses). A nested message of unknown length keeps bytes for its length up front and
// fills them in at its end; short strings are copied byte by byte (cheaper than a native call), long
// ones by Buffer#write.

/** Strings up to this many UTF-16 units are copied in JavaScript; longer ones by Buffer#write. */
export const shortStringLength = 20;
/**
 * protobufjs encodes strings below this many UTF-16 units in JavaScript, where a lone surrogate keeps
 * its own three bytes, and longer ones by Buffer#write, where it becomes U+FFFD.
 */
const protobufjsShortStringLength = 40;

/** Bytes of the varint of a length (non-negative, below 2^32). */
export function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

/** A growing buffer with protobuf's primitives. Callers reserve room before writing bytes. */
export class ProtoWriter {
  bytes: Buffer;
  pos = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  /** Room for `count` more bytes. */
  reserve(count: number): void {
    const needed = this.pos + count;
    if (needed <= this.bytes.length) return;
    let capacity = Math.max(this.bytes.length * 2, 64);
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.bytes.copy(grown, 0, 0, this.pos);
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.pos++] = value;
  }

  /** A varint of any number: uint32 as is, the rest as 64-bit two's complement (negatives take 10 bytes). */
  varint(value: number): void {
    this.reserve(10);
    if (value >= 0 && value <= 0xffffffff) {
      let rest = value >>> 0;
      while (rest > 0x7f) {
        this.bytes[this.pos++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      this.bytes[this.pos++] = rest;
      return;
    }
    const magnitude = Math.abs(value);
    let low = magnitude >>> 0;
    let high = (magnitude / 0x100000000) >>> 0;
    if (value < 0) {
      low = (~low + 1) >>> 0;
      high = (~high + (low === 0 ? 1 : 0)) >>> 0;
    }
    this.varint64(low, high);
  }

  /** The varint of the 64-bit value whose unsigned 32-bit halves are `low` and `high`. */
  varint64(low: number, high: number): void {
    this.reserve(10);
    while (high !== 0 || low > 0x7f) {
      this.bytes[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    this.bytes[this.pos++] = low;
  }

  /** An int32 as protobufjs writes any number: ToInt32 (`value | 0`), negatives as 10-byte varints. */
  int32(value: number): void {
    this.varint(value | 0);
  }

  /**
   * An int64 from a number as protobufjs takes it (long.js's Long.fromNumber): fractions truncated,
   * NaN as 0, numbers beyond the int64 range as its nearest end.
   */
  int64(value: number): void {
    if (value <= -(2 ** 63)) this.varint64(0, 0x80000000);
    else if (value + 1 >= 2 ** 63) this.varint64(0xffffffff, 0x7fffffff);
    else this.varint(value);
  }

  /** An int64 from a decimal string as protobufjs takes it (long.js's Long.fromString; see longFromDecimal). */
  int64Decimal(text: string): void {
    const value = longFromDecimal(text);
    this.varint64(Number(value & 0xffffffffn), Number(value >> 32n));
  }

  fixed32(value: number): void {
    this.reserve(4);
    this.uint32At(this.pos, value);
    this.pos += 4;
  }

  /** Little-endian, stored byte by byte: cheaper than Buffer#writeUInt32LE and its checks. */
  protected uint32At(at: number, value: number): void {
    const bytes = this.bytes;
    bytes[at] = value;
    bytes[at + 1] = value >>> 8;
    bytes[at + 2] = value >>> 16;
    bytes[at + 3] = value >>> 24;
  }

  double(value: number): void {
    this.reserve(8);
    this.bytes.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** A length-prefixed UTF-8 string (lone surrogates become U+FFFD, as TextEncoder makes them). */
  string(value: string): void {
    const length = value.length;
    this.reserve(5 + 3 * length);
    if (length <= shortStringLength) {
      const end = this.asciiAt(this.pos + 1, value);
      if (end >= 0) {
        this.bytes[this.pos] = length;
        this.pos = end;
        return;
      }
    }
    // UTF-8 takes at least one byte per UTF-16 unit: the prefix is at least varintSize(length) long.
    const guessed = varintSize(length);
    const written = this.bytes.write(value, this.pos + guessed, 'utf8');
    this.lengthAt(this.pos, guessed, written);
  }

  /**
   * A length-prefixed string as protobufjs writes it: as string() does, except below 40 UTF-16 units,
   * where protobufjs's own UTF-8 keeps a lone surrogate's three bytes (ED A0 80 for U+D800).
   */
  stringAsProtobufjs(value: string): void {
    const length = value.length;
    if (length >= protobufjsShortStringLength) {
      this.string(value);
      return;
    }
    // At most 3 bytes per UTF-16 unit, 117 in all: the length takes one byte.
    this.reserve(1 + 3 * length);
    const start = this.pos;
    this.pos = this.wtf8At(start + 1, value);
    this.bytes[start] = this.pos - start - 1;
  }

  /** Copies an ASCII string to `at` (room reserved); answers where it ends, or -1 if it is not ASCII. */
  protected asciiAt(at: number, value: string): number {
    const bytes = this.bytes;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) return -1;
      bytes[at++] = code;
    }
    return at;
  }

  /** Copies a string to `at` (room reserved) as UTF-8, a lone surrogate as its own three bytes; answers where it ends. */
  private wtf8At(at: number, value: string): number {
    const bytes = this.bytes;
    for (let i = 0; i < value.length; i++) {
      let code = value.charCodeAt(i);
      if (code < 0x80) {
        bytes[at++] = code;
      } else if (code < 0x800) {
        bytes[at++] = (code >> 6) | 0xc0;
        bytes[at++] = (code & 0x3f) | 0x80;
      } else if ((code & 0xfc00) === 0xd800 && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        code = 0x10000 + ((code & 0x3ff) << 10) + (value.charCodeAt(++i) & 0x3ff);
        bytes[at++] = (code >> 18) | 0xf0;
        bytes[at++] = ((code >> 12) & 0x3f) | 0x80;
        bytes[at++] = ((code >> 6) & 0x3f) | 0x80;
        bytes[at++] = (code & 0x3f) | 0x80;
      } else {
        bytes[at++] = (code >> 12) | 0xe0;
        bytes[at++] = ((code >> 6) & 0x3f) | 0x80;
        bytes[at++] = (code & 0x3f) | 0x80;
      }
    }
    return at;
  }

  /** Raw bytes prefixed with their length. */
  bytesField(value: Uint8Array): void {
    this.varint(value.length);
    this.raw(value);
  }

  raw(value: Uint8Array): void {
    this.reserve(value.length);
    this.bytes.set(value, this.pos);
    this.pos += value.length;
  }

  /** Starts a nested message of unknown length: `reserved` bytes are kept for its length. */
  begin(reserved = 1): number {
    this.reserve(reserved);
    const start = this.pos;
    this.pos += reserved;
    return start;
  }

  /** Ends the nested message begun at `start`. */
  end(start: number, reserved = 1): void {
    this.lengthAt(start, reserved, this.pos - start - reserved);
  }

  /**
   * Writes `length` as a varint at `start`, where `reserved` bytes were kept for it before the
   * `length` bytes that follow, moving those bytes when the varint takes more or fewer bytes.
   */
  private lengthAt(start: number, reserved: number, length: number): void {
    const size = varintSize(length);
    if (size !== reserved) {
      this.reserve(size - reserved);
      this.bytes.copyWithin(start + size, start + reserved, start + reserved + length);
    }
    const bytes = this.bytes;
    let rest = length;
    let at = start;
    while (rest > 0x7f) {
      bytes[at++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    bytes[at++] = rest;
    this.pos = at + length;
  }
}

/**
 * A decimal string as long.js's Long.fromString reads it, as 64 bits: '' throws, 'NaN' and the
 * Infinities are 0, a leading '-' negates what follows (any other '-' throws), and the rest is read
 * in chunks of 8 characters through parseInt, so that '12ab' is 12 and '1.5' is 1, wrapping at 2^64.
 * Not a hot path (the gateway's seconds are numbers), hence BigInt.
 */
function longFromDecimal(text: string): bigint {
  if (text.length === 0) throw new Error('empty string');
  if (text === 'NaN' || text === 'Infinity' || text === '+Infinity' || text === '-Infinity') return 0n;
  const hyphen = text.indexOf('-');
  if (hyphen > 0) throw new Error('interior hyphen');
  if (hyphen === 0) return BigInt.asUintN(64, -longFromDecimal(text.substring(1)));
  let value = 0n;
  for (let at = 0; at < text.length; at += 8) {
    const chunk = text.substring(at, at + 8);
    const digits = parseInt(chunk, 10);
    value = BigInt.asUintN(64, value * 10n ** BigInt(chunk.length) + BigInt(Number.isNaN(digits) ? 0 : digits));
  }
  return value;
}
