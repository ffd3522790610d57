// Two Redis stores (two gateways) on one redis-server: a publish wakes its own store's watchers at once
// and skips its own notice, while the other store's watchers still wake on that notice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { topicKeys } from '../../adapters/redis/keys.ts';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const test = suite('redis store: publish notices between gateways');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const message = (text: string) => ({ data: Buffer.from(text), attributes: {}, orderingKey: '', idempotencyKey: '', traceparent: '', tracestate: '' });

test("each store's publish wakes the watchers of both stores exactly once", async () => {
  const redis = await startRedisServer();
  const a = new RedisMessageStore({ url: redis.url });
  const b = new RedisMessageStore({ url: redis.url });
  try {
    const topic = 'notices';
    await a.createTopic({ name: topic, dedupWindowMs: 60_000, retentionMs: 3_600_000, retentionMessages: 0, maxBacklogMessages: 0, maxBacklogAgeMs: 0 });
    const calls = { a: 0, b: 0 };
    const unwatchA = a.watch(topic, () => calls.a++);
    const unwatchB = b.watch(topic, () => calls.b++);
    await sleep(200); // both listeners subscribed (and woken once when their connection became ready)
    const before = { ...calls };

    await a.publish(topic, [message('from a')]);
    await sleep(300); // the notice reaches b; a late one would reach a too
    assert.equal(calls, { a: before.a + 1, b: before.b + 1 }, "a's publish: a woken directly, b by the notice");

    await b.publish(topic, [message('from b')]);
    await sleep(300);
    assert.equal(calls, { a: before.a + 2, b: before.b + 2 }, "b's publish: b woken directly, a by the notice");
    unwatchA();
    unwatchB();
  } finally {
    await a.close();
    await b.close();
    await redis.stop();
  }
});

// ioredis sends a SUBSCRIBE at once on a connection that is connected but not yet ready; its ready
// check (INFO) that follows then fails in subscriber mode, and the reconnect that follows had no
// subscriptions left: every topic's dispatchers waited for the poll.
test('a topic watched while the listener connection is being set up is subscribed, and so is the first', async () => {
  const redis = await startRedisServer();
  const store = new RedisMessageStore({ url: redis.url });
  const other = new RedisMessageStore({ url: redis.url });
  const admin = new Redis(redis.url);
  try {
    const topics = ['first', 'second'];
    for (const name of topics) {
      await store.createTopic({ name, dedupWindowMs: 60_000, retentionMs: 3_600_000, retentionMessages: 0, maxBacklogMessages: 0, maxBacklogAgeMs: 0 });
    }
    const woken = { first: 0, second: 0 };
    store.watch('first', () => woken.first++);
    const listener = (store as unknown as { listener: Redis }).listener;
    await new Promise<void>((resolve) => listener.once('connect', () => resolve(void store.watch('second', () => woken.second++))));
    await sleep(500); // connected and ready (or, before the fix, reconnected)
    const numsub = (await admin.pubsub('NUMSUB', ...topics.map((name) => topicKeys(name).channel))) as (string | number)[];
    assert.equal(numsub.filter((_, i) => i % 2 === 1).map(Number), [1, 1], 'both channels have the listener');
    const before = { ...woken };
    await other.publish('first', [message('to first')]);
    await other.publish('second', [message('to second')]);
    await sleep(300);
    assert.equal(woken, { first: before.first + 1, second: before.second + 1 }, "the other store's notices wake both");
  } finally {
    admin.disconnect();
    await store.close();
    await other.close();
    await redis.stop();
  }
});

test.run();
