// The Redis store's dead-letter outbox (lib/subscription-core.lua, forward-dead-letters.lua): a gateway
// that dies after the settling script, or after the forward but before the outbox entry is deleted,
// leaves work that any gateway's housekeeping finishes, and the dead letter arrives exactly once.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { subscriptionKeys } from '../../adapters/redis/keys.ts';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import type { MessageStore, OutgoingMessage } from '../../adapters/store.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const test = suite<{ redis: RedisServer; store: MessageStore }>('redis dead-letter outbox');

test.before(async (context) => {
  context.redis = await startRedisServer();
  context.store = new RedisMessageStore({ url: context.redis.url });
});

test.after(async ({ redis, store }) => {
  await store.close();
  await redis.stop();
});

function cli(redis: RedisServer, ...args: string[]): string {
  return spawnSync('redis-cli', ['-p', String(redis.port), ...args], { encoding: 'utf8' }).stdout.trim();
}

const message = (data: string): OutgoingMessage => ({ data: Buffer.from(data), attributes: {}, orderingKey: '', idempotencyKey: '', traceparent: '', tracestate: '' });

async function setUp(store: MessageStore) {
  const topic = `t-${randomUUID()}`;
  const dlq = `t-${randomUUID()}`;
  const subscription = `s-${randomUUID()}`;
  const dlqSubscription = `s-${randomUUID()}`;
  const topicSettings = { dedupWindowMs: 60_000, retentionMs: 86_400_000, retentionMessages: 0, maxBacklogMessages: 0, maxBacklogAgeMs: 0 };
  await store.createTopic({ ...topicSettings, name: topic });
  await store.createTopic({ ...topicSettings, name: dlq });
  const subscriptionSettings = { ackDeadlineMs: 10_000, startPosition: 'earliest', minBackoffMs: 100, maxBackoffMs: 1_000, ordering: false } as const;
  await store.createSubscription({ ...subscriptionSettings, name: subscription, topic, maxDeliveryAttempts: 5, deadLetterTopic: dlq });
  await store.createSubscription({ ...subscriptionSettings, name: dlqSubscription, topic: dlq, maxDeliveryAttempts: 0, deadLetterTopic: '' });
  return { topic, dlq, subscription, dlqSubscription, outbox: subscriptionKeys(topic, subscription).deadLetters };
}

async function deadLetters(store: MessageStore, dlqSubscription: string) {
  const { deliveries } = await store.receive(dlqSubscription, { consumer: 'c', maxMessages: 100, maxBytes: 1 << 20, allowOneOversized: true });
  return deliveries.map((delivery) => delivery.message);
}

test('a dead letter left in the outbox (the gateway died after settling it) is forwarded by the next housekeeping pass', async ({ redis, store }) => {
  const { topic, subscription, dlqSubscription, outbox } = await setUp(store);
  // What the settling script writes for a message rejected after 3 attempts.
  cli(redis, 'XADD', outbox, '*', 'd', 'lost?', 'a:k', 'v', 'o', '1-1', 'xt', topic, 'xs', subscription, 'xr', 'rejected', 'xa', '3');
  assert.equal(await deadLetters(store, dlqSubscription), [], 'not forwarded yet');
  await store.trim(topic);
  const [dead, ...more] = await deadLetters(store, dlqSubscription);
  assert.is(more.length, 0);
  assert.is(dead!.data.toString(), 'lost?');
  assert.equal(dead!.attributes, { k: 'v' });
  assert.equal(dead!.deadLetter, { sourceTopic: topic, subscription, reason: 'rejected', attempts: 3 });
  assert.is(cli(redis, 'XLEN', outbox), '0', 'the outbox is empty');
});

test('a dead letter forwarded but not deleted from the outbox (the gateway died in between) is not appended twice', async ({ redis, store }) => {
  const { topic, subscription, dlqSubscription, outbox } = await setUp(store);
  // A gateway that may do everything but XDEL dies, in effect, between the forward and the delete.
  assert.is(cli(redis, 'ACL', 'SETUSER', 'no-xdel', 'on', '>pw', '~*', '&*', '+@all', '-xdel'), 'OK');
  const crippled = new RedisMessageStore({ url: `redis://no-xdel:pw@127.0.0.1:${redis.port}` });
  try {
    await store.publish(topic, [message('poison')]);
    const { deliveries } = await store.receive(subscription, { consumer: 'c', maxMessages: 1, maxBytes: 1 << 20, allowOneOversized: true });
    const receipt = { messageId: deliveries[0]!.message.id, attempt: 1 };
    let failed = false;
    await crippled.reject(subscription, [receipt], 'bad').catch(() => (failed = true));
    assert.ok(failed, 'the reject failed after the forward');
    assert.is(cli(redis, 'XLEN', outbox), '1', 'the outbox still holds it');
    await store.trim(topic);
    await store.reject(subscription, [receipt], 'bad');
    const forwarded = await deadLetters(store, dlqSubscription);
    assert.equal(forwarded.map((m) => m.data.toString()), ['poison'], 'appended once');
    assert.is(cli(redis, 'XLEN', outbox), '0');
  } finally {
    await crippled.close();
  }
});

test.run();
