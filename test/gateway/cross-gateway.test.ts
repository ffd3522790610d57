// Two gateways on one Redis: settlements made through one free the flow-control credit of a stream
// on the other (a load balancer may send a client's unary calls anywhere).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { publish, TestSubscriber, topicWithSubscriptions } from '../helpers/client.ts';
import { startInProcess } from '../helpers/in-process.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const test = suite('cross-gateway settlement');

test('acks through gateway B let a full stream on gateway A receive more, without waiting for the lease', async () => {
  const redis = await startRedisServer();
  const a = await startInProcess({ store: new RedisMessageStore({ url: redis.url }), cleanup: async () => {} });
  const b = await startInProcess({ store: new RedisMessageStore({ url: redis.url }), cleanup: () => redis.stop() });
  try {
    const { topic, subscriptions } = await topicWithSubscriptions(a.client, [{ ackDeadline: { seconds: 600 } }]);
    await publish(a.client, topic, [1, 2, 3, 4].map((i) => ({ data: Buffer.from(`m${i}`) })));
    const stream = new TestSubscriber(a.client, subscriptions[0]!, { maxOutstandingMessages: 2 });
    const held = await stream.take(2);
    await b.client.call(b.client.subscriber, 'Ack', { subscription: subscriptions[0], receipts: held.map((d) => d.receipt) });
    const startedAt = Date.now();
    const all = await stream.take(4, 5000);
    assert.ok(Date.now() - startedAt < 5000, 'long before the 600 s lease');
    assert.equal(all.map((d) => d.message!.data.toString()), ['m1', 'm2', 'm3', 'm4']);
    stream.cancel();
  } finally {
    await a.stop();
    await b.stop();
  }
});

test.run();
