import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/** How a call is retried: exponential backoff with full jitter, until totalTimeoutMs has passed. */
export interface RetryOptions {
  /** First backoff. Default 100. */
  readonly initialBackoffMs?: number;
  /** Largest backoff. Default 5000. */
  readonly maxBackoffMs?: number;
  /** Give up (and reject with the last error) after this long. Default 60000. */
  readonly totalTimeoutMs?: number;
}

/**
 * Codes after which the same request may be sent again: the gateway was unreachable or draining,
 * the call timed out, or a rate limit answered. Publishes are made safe to repeat by their
 * idempotency keys, transactions by their ids.
 */
const retryableCodes = new Set([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED]);

export function isRetryable(error: unknown): boolean {
  return retryableCodes.has((error as ServiceError).code);
}

/** The trailer in which the gateway says how long to wait after RESOURCE_EXHAUSTED. */
export const retryAfterKey = 'relay-retry-after-ms';

/** The gateway's retry hint on RESOURCE_EXHAUSTED, when it sent one. */
function retryHintMs(error: unknown): number | undefined {
  const metadata = (error as ServiceError).metadata;
  if (!(metadata instanceof Metadata)) return undefined;
  const [hint] = metadata.get(retryAfterKey);
  const ms = Number(hint);
  return hint !== undefined && Number.isFinite(ms) ? ms : undefined;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The backoff before attempt n + 1 (n counted from 0): full jitter over an exponential ceiling. */
export function backoffMs(attempt: number, options: RetryOptions = {}): number {
  const ceiling = Math.min(options.maxBackoffMs ?? 5000, (options.initialBackoffMs ?? 100) * 2 ** attempt);
  return Math.random() * ceiling;
}

/** Runs call until it succeeds, fails with a code that is not retryable, or the total timeout passes. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const giveUpAt = Date.now() + (options.totalTimeoutMs ?? 60_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = retryHintMs(error) ?? backoffMs(attempt, options);
      if (!isRetryable(error) || Date.now() + wait > giveUpAt) throw error;
      await sleep(wait);
    }
  }
}
