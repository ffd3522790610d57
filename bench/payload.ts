// Payloads that carry their publish instant, and idempotency keys unique per run.
import { randomBytes } from 'node:crypto';
import { uniqueSuffix } from './peers/target.ts';

/**
 * Payloads of a fixed size whose first 8 bytes hold performance.now() at publish (float64 LE), so a
 * consumer in the same process measures publish -> delivery with the same clock. The rest is random
 * bytes, the same for every message.
 */
export class Payloads {
  private readonly template: Buffer;

  constructor(readonly size: number) {
    if (size < 8) throw new Error('payloads hold at least their 8-byte timestamp');
    this.template = randomBytes(size);
  }

  /** A new payload stamped with now. */
  stamped(now = performance.now()): Buffer {
    const payload = Buffer.allocUnsafe(this.size);
    this.template.copy(payload);
    payload.writeDoubleLE(now, 0);
    return payload;
  }
}

/** performance.now() at publish, as stamped by Payloads. */
export function publishedAt(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset, 8).getFloat64(0, true);
}

/** Idempotency keys `<run>-<n>`: unique within the run, never repeated (no duplicates are sent). */
export class Keys {
  private next = 0;
  private readonly prefix = uniqueSuffix();

  take(): string {
    return `${this.prefix}-${this.next++}`;
  }
}
