// The two workloads every scenario is made of, written once for all targets: saturating publishers
// with consumers that ack (throughput), and a publisher at a fixed rate (latency).
import { CpuMeter, GcPauseMeter, RssSampler, type CpuShares, type GcPauses } from './machine.ts';
import { Keys, Payloads, publishedAt } from './payload.ts';
import type { BenchTopic, Consumer, PublishItem, Target } from './peers/target.ts';
import { summarizeLatencies, type LatencySummary } from './stats.ts';

export interface ConsumerShape {
  /** Subscriptions of the topic, each with its own consumers (fan-out when above 1). */
  readonly subscriptions: number;
  /** Competing consumers per subscription. */
  readonly consumersPerSubscription: number;
  /** Most unacked deliveries per consumer (flow control / prefetch / pull batch). */
  readonly prefetch: number;
}

export interface ThroughputShape extends ConsumerShape {
  /** Messages published; every subscription receives all of them. */
  readonly messages: number;
  readonly payloadBytes: number;
  /** Messages per publish batch. */
  readonly batchSize: number;
  /** Publish batches in flight at once. */
  readonly inFlight: number;
}

/** Consumers of every subscription of a topic; counts deliveries and acks, and waits for them. */
class ConsumerPool {
  delivered = 0;
  acked = 0;
  lastAckAt = 0;
  private readonly consumers: Consumer[] = [];
  private failure: Error | undefined;
  private wake: () => void = () => {};

  private constructor(private readonly onDelivery: (data: Uint8Array) => void) {}

  static async start(topic: BenchTopic, shape: ConsumerShape, onDelivery: (data: Uint8Array) => void): Promise<ConsumerPool> {
    const pool = new ConsumerPool(onDelivery);
    for (let subscription = 0; subscription < shape.subscriptions; subscription++) {
      for (let i = 0; i < shape.consumersPerSubscription; i++) {
        pool.consumers.push(
          await topic.consume(subscription, shape.prefetch, {
            onMessage: (data) => {
              pool.delivered++;
              pool.onDelivery(data);
            },
            onAcked: (count) => {
              pool.acked += count;
              pool.lastAckAt = performance.now();
              pool.wake();
            },
            onError: (error) => {
              pool.failure ??= error;
              pool.wake();
            },
          }),
        );
      }
    }
    return pool;
  }

  /** Resolves once `count` acks were sent; rejects on a consumer error or after timeoutMs. */
  async until(count: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.acked < count) {
      if (this.failure) throw this.failure;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out: ${this.acked} of ${count} acked (${this.delivered} delivered) after ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (this.failure) throw this.failure;
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.close()));
  }
}

/** Publishes `messages` stamped payloads in batches, `inFlight` batches at a time; resolves when all are confirmed. */
async function publishAll(topic: BenchTopic, shape: ThroughputShape, payloads: Payloads, keys: Keys): Promise<void> {
  const batches = Math.ceil(shape.messages / shape.batchSize);
  let next = 0;
  const worker = async () => {
    while (next < batches) {
      const index = next++;
      const count = Math.min(shape.batchSize, shape.messages - index * shape.batchSize);
      await topic.publish(batch(count, payloads, keys));
    }
  };
  await Promise.all(Array.from({ length: Math.min(shape.inFlight, batches) }, worker));
}

function batch(count: number, payloads: Payloads, keys: Keys): PublishItem[] {
  const now = performance.now();
  return Array.from({ length: count }, () => ({ data: payloads.stamped(now), key: keys.take() }));
}

/** Generous: a run that takes this long is broken, not slow. */
function timeoutFor(messages: number): number {
  return 60_000 + messages;
}

export interface ThroughputResult {
  readonly messages: number;
  readonly deliveries: number;
  readonly seconds: number;
  /** Messages published and acked by every subscription, per second, from the first publish to the last ack. */
  readonly msgsPerSec: number;
  /** Deliveries (acked) per second, all subscriptions together. */
  readonly deliveriesPerSec: number;
  /** Payload MiB delivered per second. */
  readonly mibPerSec: number;
  /** How fast the publishers were confirmed, over the same run. */
  readonly publishMsgsPerSec: number;
  /** Publish -> delivery at saturation. */
  readonly latency: LatencySummary;
  /** Cores used during the run, by role. */
  readonly cpu: CpuShares;
  /** Peak RSS of the watched process (the gateway), NaN when none. */
  readonly peakRssBytes: number;
}

export interface Observation {
  /** Whose RSS to sample (the gateway). */
  readonly rssPid?: number;
  /** Called once the consumers are open, before the first publish. */
  readonly beforeLoad?: () => Promise<void>;
}

/** Saturating publishers -> the topic's subscriptions -> consumers that ack; one measured run. */
export async function measureThroughput(target: Target, topic: BenchTopic, shape: ThroughputShape, observe: Observation = {}): Promise<ThroughputResult> {
  const samples: number[] = [];
  const pool = await ConsumerPool.start(topic, shape, (data) => samples.push(performance.now() - publishedAt(data)));
  const expected = shape.messages * shape.subscriptions;
  const meter = new CpuMeter(target.processes);
  let rss: RssSampler | undefined;
  try {
    await observe.beforeLoad?.();
    if (observe.rssPid !== undefined) rss = new RssSampler(observe.rssPid);
    meter.start();
    const startedAt = performance.now();
    let publishedAtEnd = Number.NaN;
    const publishing = publishAll(topic, shape, new Payloads(shape.payloadBytes), new Keys()).then(() => {
      publishedAtEnd = performance.now();
    });
    await Promise.all([publishing, pool.until(expected, timeoutFor(expected))]);
    const seconds = (pool.lastAckAt - startedAt) / 1000;
    const cpu = meter.stop();
    return {
      messages: shape.messages,
      deliveries: pool.delivered,
      seconds,
      msgsPerSec: shape.messages / seconds,
      deliveriesPerSec: expected / seconds,
      mibPerSec: (expected * shape.payloadBytes) / 1024 / 1024 / seconds,
      publishMsgsPerSec: (shape.messages * 1000) / (publishedAtEnd - startedAt),
      latency: summarizeLatencies(samples),
      cpu,
      peakRssBytes: rss?.stop() ?? Number.NaN,
    };
  } finally {
    rss?.stop();
    await pool.close();
  }
}

/** Publishers alone (nobody consumes): confirmed messages per second. */
export async function measurePublish(topic: BenchTopic, shape: ThroughputShape): Promise<number> {
  const startedAt = performance.now();
  await publishAll(topic, shape, new Payloads(shape.payloadBytes), new Keys());
  return (shape.messages * 1000) / (performance.now() - startedAt);
}

export interface DrainResult {
  readonly acked: number;
  readonly seconds: number;
  readonly msgsPerSec: number;
}

/**
 * Consumers alone on a topic whose messages are waiting: acks per second from opening the consumers
 * to the last ack, once nothing was delivered for `quietMs` (the backlog is drained).
 */
export async function measureDrain(topic: BenchTopic, shape: ConsumerShape, quietMs = 2000): Promise<DrainResult> {
  const startedAt = performance.now();
  const pool = await ConsumerPool.start(topic, shape, () => {});
  try {
    for (let seen = -1; pool.acked !== seen; ) {
      seen = pool.acked;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      pool.throwIfFailed();
    }
    const seconds = (pool.lastAckAt - startedAt) / 1000;
    return { acked: pool.acked, seconds, msgsPerSec: pool.acked / seconds };
  } finally {
    await pool.close();
  }
}

export interface LatencyShape extends ConsumerShape {
  readonly ratePerSec: number;
  readonly payloadBytes: number;
  /** Measured seconds, after the warm-up. */
  readonly seconds: number;
  /** Seconds published first and left out of the figures. */
  readonly warmupSeconds: number;
}

export interface LatencyResult extends LatencySummary {
  readonly ratePerSec: number;
  /** The rate the publisher actually kept during the measured part. */
  readonly achievedPerSec: number;
  /** The load generator's own GC pauses during the measured part: deliveries meanwhile are seen late. */
  readonly generatorGc: GcPauses;
}

/**
 * Publishes at a fixed rate (each millisecond tick publishes, as one batch, the messages due by then),
 * and measures publish -> delivery at the consumers. Publishes do not wait for each other.
 */
export async function measureLatency(topic: BenchTopic, shape: LatencyShape): Promise<LatencyResult> {
  const payloads = new Payloads(shape.payloadBytes);
  const keys = new Keys();
  const total = Math.round(shape.ratePerSec * (shape.warmupSeconds + shape.seconds));
  const startedAt = performance.now();
  const measureFrom = startedAt + shape.warmupSeconds * 1000;
  const samples: number[] = [];
  const pool = await ConsumerPool.start(topic, shape, (data) => {
    const sent = publishedAt(data);
    if (sent >= measureFrom) samples.push(performance.now() - sent);
  });
  try {
    const confirmations: Promise<unknown>[] = [];
    let failure: unknown;
    let sent = 0;
    let firstMeasured = Number.NaN;
    let lastSent = Number.NaN;
    let gcPauses: GcPauseMeter | undefined;
    const origin = performance.now();
    while (sent < total && failure === undefined) {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - origin) * shape.ratePerSec) / 1000)) - sent;
      if (due > 0) {
        if (now >= measureFrom && Number.isNaN(firstMeasured)) {
          firstMeasured = now;
          gcPauses = new GcPauseMeter();
        }
        confirmations.push(topic.publish(batch(due, payloads, keys)).catch((error: unknown) => (failure ??= error)));
        sent += due;
        lastSent = now;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(confirmations);
    if (failure !== undefined) throw failure;
    await pool.until(total, timeoutFor(total));
    const generatorGc = gcPauses?.stop() ?? { count: 0, totalMs: 0, longestMs: 0 };
    const summary = summarizeLatencies(samples);
    return { ...summary, ratePerSec: shape.ratePerSec, achievedPerSec: (summary.count * 1000) / (lastSent - firstMeasured), generatorGc };
  } finally {
    await pool.close();
  }
}
