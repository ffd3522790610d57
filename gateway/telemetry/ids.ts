// Trace and span ids, drawn as the SDK's RandomIdGenerator draws them: 32 bits per Math.random()
// call, big-endian, and the last byte set to 1 should every bit be 0. The SDK writes the draws into a
// Buffer and reads them back as hex, a native call per id; these are written as hex directly, the
// same ids for the same draws (test/gateway/ids.test.ts), at about half the cost. Relay makes
// two ids per message (its create and deliver spans).
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

/** The character codes of the lowercase hex digits. */
const hex = [...'0123456789abcdef'].map((digit) => digit.charCodeAt(0));

/** A 32-bit draw, as the SDK makes it. */
const draw = () => (Math.random() * 2 ** 32) >>> 0;

/** The 16 hex digits of two 32-bit numbers, the first one first (one flat string, no Buffer). */
function hex16(high: number, low: number): string {
  return String.fromCharCode(
    hex[high >>> 28]!, hex[(high >>> 24) & 15]!, hex[(high >>> 20) & 15]!, hex[(high >>> 16) & 15]!,
    hex[(high >>> 12) & 15]!, hex[(high >>> 8) & 15]!, hex[(high >>> 4) & 15]!, hex[high & 15]!,
    hex[low >>> 28]!, hex[(low >>> 24) & 15]!, hex[(low >>> 20) & 15]!, hex[(low >>> 16) & 15]!,
    hex[(low >>> 12) & 15]!, hex[(low >>> 8) & 15]!, hex[(low >>> 4) & 15]!, hex[low & 15]!,
  );
}

export class RelayIdGenerator implements IdGenerator {
  /** 16 random bytes as 32 lowercase hex digits. */
  generateTraceId(): string {
    const first = draw();
    const second = draw();
    const third = draw();
    const fourth = draw();
    // All zero is no valid W3C id: the SDK then sets the last byte to 1.
    return hex16(first, second) + hex16(third, fourth || (first | second | third ? 0 : 1));
  }

  /** 8 random bytes as 16 lowercase hex digits. */
  generateSpanId(): string {
    const first = draw();
    const second = draw();
    return hex16(first, second || (first ? 0 : 1));
  }
}
