// The Redis store reads new messages itself (XREADGROUP) and leases them in a second script
// (lease.lua): a gateway that dies in between leaves messages read and never leased, which the next
// housekeeping pass makes due (lease-orphans.lua); and a message larger than the topic's largest
// when the read was sized goes back undelivered, first in line.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { subscriptionKeys, topicKeys } from '../../adapters/redis/keys.ts';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import type { MessageStore, OutgoingMessage } from '../../adapters/store.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const test = suite<{ redis: RedisServer; store: MessageStore }>('redis read and lease');

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

const message = (data: string, orderingKey = ''): OutgoingMessage => ({
  data: Buffer.from(data),
  attributes: {},
  orderingKey,
  idempotencyKey: '',
  traceparent: '',
  tracestate: '',
});

const ACK_DEADLINE_MS = 200;

async function setUp(store: MessageStore, ordering = false) {
  const topic = `t-${randomUUID()}`;
  const subscription = `s-${randomUUID()}`;
  await store.createTopic({ name: topic, dedupWindowMs: 60_000, retentionMs: 86_400_000, retentionMessages: 0, maxBacklogMessages: 0, maxBacklogAgeMs: 0 });
  await store.createSubscription({
    name: subscription,
    topic,
    ackDeadlineMs: ACK_DEADLINE_MS,
    startPosition: 'earliest',
    minBackoffMs: 10,
    maxBackoffMs: 10,
    maxDeliveryAttempts: 0,
    deadLetterTopic: '',
    ordering,
  });
  return { topic, subscription, stream: topicKeys(topic).stream };
}

const receive = (store: MessageStore, subscription: string, maxBytes = 1 << 20) =>
  store.receive(subscription, { consumer: 'c', maxMessages: 100, maxBytes, allowOneOversized: true });

const summary = (deliveries: { message: { data: Buffer }; attempt: number; reason: string }[]) =>
  deliveries.map((d) => `${d.message.data.toString()} ${d.attempt} ${d.reason}`);

test('messages read by a gateway that died before leasing them are delivered again after housekeeping', async ({ redis, store }) => {
  const { topic, subscription, stream } = await setUp(store);
  await store.publish(topic, [message('a'), message('b')]);
  // What the dead gateway's read left: pending for its consumer, with no lease.
  assert.match(cli(redis, 'XREADGROUP', 'GROUP', subscription, 'dead-gateway', 'COUNT', '10', 'STREAMS', stream, '>'), /a[\s\S]*b/);
  assert.equal((await receive(store, subscription)).deliveries, [], 'nothing due yet');
  await store.trim(topic);
  assert.equal((await receive(store, subscription)).deliveries, [], 'not before an ack deadline has passed');
  await sleep(ACK_DEADLINE_MS + 50);
  await store.trim(topic);
  assert.equal(summary((await receive(store, subscription)).deliveries), ['a 2 lease-expired', 'b 2 lease-expired']);
  await store.trim(topic);
  assert.equal((await receive(store, subscription)).deliveries, [], 'made due once');
});

test('housekeeping leaves alone what is leased, parked or in its backoff', async ({ redis, store }) => {
  const { topic, subscription } = await setUp(store, true);
  await store.publish(topic, [message('a', 'k'), message('b', 'k'), message('c')]);
  const [a, c] = (await receive(store, subscription)).deliveries;
  assert.equal(summary([a!, c!]), ['a 1 first', 'c 1 first'], 'b is parked behind a');
  await store.extendLease(subscription, [{ messageId: a!.message.id, attempt: 1 }], 60_000);
  await store.nack(subscription, [{ messageId: c!.message.id, attempt: 1 }], 60_000, 'later');
  const due = subscriptionKeys(topic, subscription).due;
  const leases = cli(redis, 'ZRANGE', due, '0', '-1', 'WITHSCORES');
  await sleep(ACK_DEADLINE_MS + 50);
  await store.trim(topic);
  assert.is(cli(redis, 'ZRANGE', due, '0', '-1', 'WITHSCORES'), leases);
  assert.equal((await receive(store, subscription)).deliveries, []);
  const { backlog, inFlight } = await store.stats(subscription);
  assert.equal({ backlog, inFlight }, { backlog: 1, inFlight: 2 });
});

test('with ordering on, a message read and never leased holds its key again, or waits behind its holder', async ({ redis, store }) => {
  const { topic, subscription, stream } = await setUp(store, true);
  await store.publish(topic, [message('a', 'k'), message('b', 'k')]);
  cli(redis, 'XREADGROUP', 'GROUP', subscription, 'dead-gateway', 'COUNT', '10', 'STREAMS', stream, '>');
  await sleep(ACK_DEADLINE_MS + 50);
  await store.trim(topic);
  const [a, ...rest] = (await receive(store, subscription)).deliveries;
  assert.equal(summary([a!, ...rest]), ['a 2 lease-expired'], 'b waits for a');
  await store.ack(subscription, [{ messageId: a!.message.id, attempt: a!.attempt }]);
  assert.equal(summary((await receive(store, subscription)).deliveries), ['b 1 first']);
});

test('a message larger than the read was sized for goes back undelivered and comes first next time', async ({ redis, store }) => {
  const { topic, subscription } = await setUp(store);
  // receive.lua sizes the read by the largest payload so far (10 bytes): 3 fit in 35 bytes.
  await store.publish(topic, [message('0123456789')]);
  const [first] = (await receive(store, subscription)).deliveries;
  await store.ack(subscription, [{ messageId: first!.message.id, attempt: 1 }]);
  // What a publish between receive.lua and the read looks like: a larger payload than the largest
  // receive.lua knew of, which the HSET below puts back.
  await store.publish(topic, [message('x'.repeat(10)), message('y'.repeat(20)), message('z'.repeat(5))]);
  cli(redis, 'HSET', topicKeys(topic).meta, 'maxPayload', '10');
  const { deliveries } = await receive(store, subscription, 25);
  assert.equal(summary(deliveries), [`${'x'.repeat(10)} 1 first`], 'y no longer fits; z stays behind it');
  const { backlog, inFlight } = await store.stats(subscription);
  assert.equal({ backlog, inFlight }, { backlog: 2, inFlight: 1 }, 'y parked, z not read');
  await store.ack(subscription, [{ messageId: deliveries[0]!.message.id, attempt: 1 }]);
  assert.equal(summary((await receive(store, subscription, 100)).deliveries), [`${'y'.repeat(20)} 1 first`, `${'z'.repeat(5)} 1 first`]);
});

test.run();
