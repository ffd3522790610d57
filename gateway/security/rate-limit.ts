// Limits per principal that keep one client from starving the others: publish rate in messages and
// payload bytes per second (token buckets holding one second of rate: the burst), and concurrently
// open streams (Subscribe and PublishStream). A refusal says how long to wait.

/** A bucket of `ratePerSecond` tokens at most, refilled continuously. */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    readonly ratePerSecond: number,
    nowMs: number,
  ) {
    this.tokens = ratePerSecond;
    this.updatedMs = nowMs;
  }

  /** Milliseconds until `cost` tokens are there: 0 now, Infinity never (more than the bucket holds). */
  waitMs(cost: number, nowMs: number): number {
    this.tokens = Math.min(this.ratePerSecond, this.tokens + ((nowMs - this.updatedMs) * this.ratePerSecond) / 1000);
    this.updatedMs = nowMs;
    if (cost > this.ratePerSecond) return Infinity;
    // (less a rounding error: 0.99 tokens at 10/s is 1 ms short, not 2)
    return cost <= this.tokens ? 0 : Math.ceil(((cost - this.tokens) * 1000) / this.ratePerSecond - 1e-9);
  }

  take(cost: number): void {
    this.tokens -= cost;
  }

  full(nowMs: number): boolean {
    return this.waitMs(this.ratePerSecond, nowMs) === 0;
  }
}

export interface LimitOptions {
  /** 0 = unlimited. */
  readonly publishMessagesPerSecond: number;
  readonly publishBytesPerSecond: number;
  readonly maxStreamsPerPrincipal: number;
}

/** A refused request: why, and when to retry (undefined: not by waiting; the request is too large). */
export interface Refusal {
  readonly message: string;
  readonly retryAfterMs: number | undefined;
}

/** Buckets of principals not seen for a while are full again: forget them past this many. */
const maxRememberedPrincipals = 10_000;

/** Retry hint of a refused stream: streams close at their clients' pace, so this is a guess. */
const streamRetryAfterMs = 1000;

export class PrincipalLimits {
  private readonly buckets = new Map<string, { messages: TokenBucket | undefined; bytes: TokenBucket | undefined }>();
  private readonly streams = new Map<string, number>();

  constructor(private readonly options: LimitOptions) {}

  /** False when every limit is 0 (unlimited). */
  get enabled(): boolean {
    return Boolean(this.options.publishMessagesPerSecond || this.options.publishBytesPerSecond || this.options.maxStreamsPerPrincipal);
  }

  /** Admits a publish of `messages` messages with `bytes` payload bytes, or says why not (taking nothing). */
  admitPublish(principal: string, messages: number, bytes: number, nowMs = Date.now()): Refusal | undefined {
    const { publishMessagesPerSecond, publishBytesPerSecond } = this.options;
    if (!publishMessagesPerSecond && !publishBytesPerSecond) return undefined;
    let buckets = this.buckets.get(principal);
    if (!buckets) {
      if (this.buckets.size >= maxRememberedPrincipals) this.forgetFullBuckets(nowMs);
      buckets = {
        messages: publishMessagesPerSecond ? new TokenBucket(publishMessagesPerSecond, nowMs) : undefined,
        bytes: publishBytesPerSecond ? new TokenBucket(publishBytesPerSecond, nowMs) : undefined,
      };
      this.buckets.set(principal, buckets);
    }
    const waitMs = Math.max(buckets.messages?.waitMs(messages, nowMs) ?? 0, buckets.bytes?.waitMs(bytes, nowMs) ?? 0);
    if (waitMs === Infinity) {
      return {
        message: `a publish of ${messages} messages and ${bytes} payload bytes exceeds the rate limit of one second ` +
          `(${publishMessagesPerSecond || 'unlimited'} messages/s, ${publishBytesPerSecond || 'unlimited'} bytes/s): send smaller batches`,
        retryAfterMs: undefined,
      };
    }
    if (waitMs > 0) {
      return { message: `publish rate limit of ${principal} reached; retry in ${waitMs} ms`, retryAfterMs: waitMs };
    }
    buckets.messages?.take(messages);
    buckets.bytes?.take(bytes);
    return undefined;
  }

  /** Counts a new stream (Subscribe or PublishStream) of `principal`; returns its release, or a refusal at the limit. */
  openStream(principal: string): { release: () => void } | Refusal {
    const max = this.options.maxStreamsPerPrincipal;
    const open = this.streams.get(principal) ?? 0;
    if (max && open >= max) {
      return { message: `${principal} has ${open} streams open (Subscribe and PublishStream), the most allowed; close one first`, retryAfterMs: streamRetryAfterMs };
    }
    this.streams.set(principal, open + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = this.streams.get(principal)! - 1;
        if (left === 0) this.streams.delete(principal);
        else this.streams.set(principal, left);
      },
    };
  }

  private forgetFullBuckets(nowMs: number): void {
    for (const [principal, { messages, bytes }] of this.buckets) {
      if ((messages?.full(nowMs) ?? true) && (bytes?.full(nowMs) ?? true)) this.buckets.delete(principal);
    }
  }
}
