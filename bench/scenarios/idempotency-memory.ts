// Redis memory per stored idempotency key: the same messages published with keys to one topic and
// without keys to another; the difference in INFO memory used_memory, per key.
import { randomUUID } from 'node:crypto';
import { Payloads } from '../payload.ts';
import { usedMemory } from '../peers/private-redis.ts';
import { RelayTarget } from '../peers/relay.ts';
import type { BenchTopic, PublishItem } from '../peers/target.ts';
import { formatCount, medianOf } from '../stats.ts';
import { standardShape, repeat, type ScenarioContext, type ScenarioOutput } from './common.ts';

export interface IdempotencyRun {
  readonly keys: number;
  /** used_memory growth for the messages with keys, and for the same messages without. */
  readonly withKeysBytes: number;
  readonly withoutKeysBytes: number;
  readonly bytesPerKey: number;
}

export interface IdempotencyData {
  readonly runs: IdempotencyRun[];
  readonly median: IdempotencyRun;
}

/** Publishes `count` messages in standard batches, with a fresh UUID key each or with none. */
async function fill(topic: BenchTopic, count: number, withKeys: boolean): Promise<void> {
  const payloads = new Payloads(standardShape.payloadBytes);
  for (let sent = 0; sent < count; ) {
    const batches: Promise<void>[] = [];
    for (let b = 0; b < standardShape.inFlight && sent < count; b++) {
      const items: PublishItem[] = [];
      for (; items.length < standardShape.batchSize && sent < count; sent++) {
        items.push({ data: payloads.stamped(), key: withKeys ? randomUUID() : '' });
      }
      batches.push(topic.publish(items));
    }
    await Promise.all(batches);
  }
}

export async function idempotencyMemory(context: ScenarioContext): Promise<ScenarioOutput<IdempotencyData>> {
  const { sizes } = context.options;
  const keys = sizes.idempotencyKeys;
  const runs = await repeat(sizes.runs, async () => {
    const target = await RelayTarget.start({ fsync: 'everysec' });
    try {
      const url = target.redis.url;
      const keyed = await target.createTopic(0);
      const plain = await target.createTopic(0);
      const start = await usedMemory(url);
      await fill(keyed, keys, true);
      const afterKeyed = await usedMemory(url);
      await fill(plain, keys, false);
      const afterPlain = await usedMemory(url);
      const withKeysBytes = afterKeyed - start;
      const withoutKeysBytes = afterPlain - afterKeyed;
      const bytesPerKey = (withKeysBytes - withoutKeysBytes) / keys;
      context.progress(`idempotency keys: ${bytesPerKey.toFixed(0)} B of Redis memory per key`);
      return { keys, withKeysBytes, withoutKeysBytes, bytesPerKey };
    } finally {
      await target.close();
    }
  });
  const median = medianOf(runs);
  return {
    id: 'idempotency-memory',
    data: { runs, median },
    tables: [
      {
        title: `Redis memory per idempotency key: Relay, ${formatCount(keys)} messages with and without keys`,
        columns: ['used_memory growth with keys', 'without keys', 'bytes per key'],
        rows: [[formatCount(median.withKeysBytes), formatCount(median.withoutKeysBytes), median.bytesPerKey.toFixed(0)]],
        notes: [
          'Keys are UUIDs (36 characters); Relay stores each as a field of one hash per topic and dedup window',
          '(`relay:{<topic>}:idem:<window number>`): 16-byte key digest -> 8-byte content hash + message id; the hash',
          'expires two windows after it starts. 1 KiB payloads, no subscription; redis-server 7 with jemalloc.',
        ],
      },
    ],
  };
}
