// Bad input gets a clear gRPC status, never a crash, never a lost or corrupted stored message.
// Every limit is checked at its edge: the limit itself passes, one more fails.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { loadConfig } from '../../gateway/config.ts';
import { createLogger } from '../../gateway/log.ts';
import { serve, type RunningGateway } from '../../gateway/server.ts';
import { connect, TestPublishStream, TestSubscriber, uniqueName, type Client } from '../helpers/client.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

interface Context {
  redis: RedisServer;
  gateway: RunningGateway;
  client: Client;
  topic: string;
  subscription: string;
  other: string;
  receipt: string;
  stored: { id: string; data: string }[];
}

const test = suite<Context>('bad input');
const KiB = 1024;
const MiB = 1024 * KiB;

test.before(async (context) => {
  context.redis = await startRedisServer();
  const config = loadConfig({ RELAY_LISTEN: '127.0.0.1:0', RELAY_POLL_INTERVAL_MS: '100' });
  context.gateway = await serve(config, new RedisMessageStore({ url: context.redis.url }), createLogger('silent'));
  const client = (context.client = connect(`127.0.0.1:${context.gateway.port}`));
  context.topic = uniqueName('topic');
  context.subscription = uniqueName('sub');
  context.other = uniqueName('sub');
  await client.call(client.admin, 'CreateTopic', { topic: { name: context.topic } });
  for (const name of [context.subscription, context.other]) {
    await client.call(client.admin, 'CreateSubscription', {
      subscription: { name, topic: context.topic, startPosition: 'START_POSITION_EARLIEST', ackDeadline: { seconds: 600 } },
    });
  }
  const published = await client.call<{ results: { messageId: string }[] }>(client.publisher, 'Publish', {
    topic: context.topic,
    messages: [{ data: Buffer.from('kept-1'), idempotencyKey: 'kept' }, { data: Buffer.from('kept-2') }],
  });
  context.stored = published.results.map((r, i) => ({ id: r.messageId, data: `kept-${i + 1}` }));
  // A real receipt of the other subscription, to settle on the wrong one.
  const other = new TestSubscriber(client, context.other, { maxOutstandingMessages: 1 });
  context.receipt = (await other.take(1))[0]!.receipt;
  other.cancel();
});

test.after(async ({ gateway, client, redis }) => {
  client.close();
  await gateway.close();
  await redis.stop();
});

type Case = [name: string, run: (context: Context) => Promise<unknown>, expected: status];

const admin = (method: string, request: object) => (context: Context) => context.client.call(context.client.admin, method, request);
const publish = (messages: object[], topic?: string, metadata?: Metadata) => (context: Context) =>
  context.client.call(context.client.publisher, 'Publish', { topic: topic ?? context.topic, messages }, metadata);
/** The same request as one PublishStream request: its answer's status stands for the call's. */
const publishStreamed = (messages: object[], topic?: string) => async (context: Context) => {
  const stream = new TestPublishStream(context.client);
  try {
    const answer = await stream.send({ topic: topic ?? context.topic, messages });
    if (answer.statusCode !== status.OK) throw Object.assign(new Error(answer.statusMessage), { code: answer.statusCode, details: answer.statusMessage });
  } finally {
    stream.call.end();
  }
};
const settle = (method: string, request: (context: Context) => object) => (context: Context) =>
  context.client.call(context.client.subscriber, method, { subscription: context.subscription, ...request(context) });
/** Opens a Subscribe stream and resolves when the server ends it with an error (or after 1 s of serving). */
const subscribe = (first: (context: Context) => object, later?: object) => async (context: Context) => {
  const stream = context.client.subscriber.Subscribe();
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('data', () => {});
    setTimeout(resolve, 1000);
  });
  stream.write(first(context));
  if (later) stream.write(later);
  try {
    await ended;
  } finally {
    stream.cancel();
  }
};
const message = (overrides: object = {}) => ({ data: Buffer.from('x'), ...overrides });
const attributes = (count: number, keyBytes = 4, valueBytes = 1) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [String(i).padStart(keyBytes, 'k'), 'v'.repeat(valueBytes)]));

/** Publish requests: name, messages, topic (the test topic when undefined), expected status. */
const publishCases: [name: string, messages: object[], topic: string | undefined, expected: status][] = [
  ['publishing to an unknown topic', [message()], 'no-such-topic', status.NOT_FOUND],
  ['publishing to a bad topic name', [message()], 'a/b', status.INVALID_ARGUMENT],
  ['an empty batch', [], undefined, status.INVALID_ARGUMENT],
  ['1000 messages in a batch', Array.from({ length: 1000 }, () => message()), undefined, status.OK],
  ['1001 messages in a batch', Array.from({ length: 1001 }, () => message()), undefined, status.RESOURCE_EXHAUSTED],
  ['a payload of exactly 1 MiB', [message({ data: Buffer.alloc(MiB) })], undefined, status.OK],
  ['a payload of 1 MiB + 1', [message({ data: Buffer.alloc(MiB + 1) })], undefined, status.INVALID_ARGUMENT],
  ['100 attributes', [message({ attributes: attributes(100) })], undefined, status.OK],
  ['101 attributes', [message({ attributes: attributes(101) })], undefined, status.INVALID_ARGUMENT],
  ['an attribute key of 256 bytes', [message({ attributes: attributes(1, 256) })], undefined, status.OK],
  ['an attribute key of 257 bytes', [message({ attributes: attributes(1, 257) })], undefined, status.INVALID_ARGUMENT],
  ['an attribute value of 4 KiB', [message({ attributes: attributes(1, 4, 4 * KiB) })], undefined, status.OK],
  ['an attribute value of 4 KiB + 1', [message({ attributes: attributes(1, 4, 4 * KiB + 1) })], undefined, status.INVALID_ARGUMENT],
  ['an empty attribute key', [message({ attributes: { '': 'v' } })], undefined, status.INVALID_ARGUMENT],
  ['an idempotency key of 257 bytes', [message({ idempotencyKey: 'k'.repeat(257) })], undefined, status.INVALID_ARGUMENT],
  ['an ordering key of 257 bytes', [message({ orderingKey: 'k'.repeat(257) })], undefined, status.INVALID_ARGUMENT],
  ['a batch of 10 MiB + 1 byte', [...Array.from({ length: 10 }, () => message({ data: Buffer.alloc(MiB) })), message({ data: Buffer.alloc(1) })], undefined, status.RESOURCE_EXHAUSTED],
  ['a stored idempotency key with other content', [message({ idempotencyKey: 'kept', data: Buffer.from('changed') })], undefined, status.ALREADY_EXISTS],
];

const cases: Case[] = [
  ['a topic without a name', admin('CreateTopic', { topic: { name: '' } }), status.INVALID_ARGUMENT],
  ['no topic at all', admin('CreateTopic', {}), status.INVALID_ARGUMENT],
  ['a topic name with a space', admin('CreateTopic', { topic: { name: 'a b' } }), status.INVALID_ARGUMENT],
  ['a topic name with a hash tag brace', admin('CreateTopic', { topic: { name: 'a{b}' } }), status.INVALID_ARGUMENT],
  ['a topic name starting with a dash', admin('CreateTopic', { topic: { name: '-a' } }), status.INVALID_ARGUMENT],
  ['a topic name of 201 characters', admin('CreateTopic', { topic: { name: 'a'.repeat(201) } }), status.INVALID_ARGUMENT],
  ['a topic name of 200 characters', admin('CreateTopic', { topic: { name: uniqueName().padEnd(200, 'x') } }), status.OK],
  ['a topic that exists', (c) => admin('CreateTopic', { topic: { name: c.topic } })(c), status.ALREADY_EXISTS],
  ['a dedup window over 7 days', admin('CreateTopic', { topic: { name: uniqueName(), dedupWindow: { seconds: 7 * 86400 + 1 } } }), status.INVALID_ARGUMENT],
  ['a dedup window of exactly 7 days', admin('CreateTopic', { topic: { name: uniqueName(), dedupWindow: { seconds: 7 * 86400 } } }), status.OK],
  ['a negative dedup window', admin('CreateTopic', { topic: { name: uniqueName(), dedupWindow: { seconds: -5 } } }), status.INVALID_ARGUMENT],
  ['negative retention messages', admin('CreateTopic', { topic: { name: uniqueName(), retentionMessages: -1 } }), status.INVALID_ARGUMENT],
  ['a retention of 366 days', admin('CreateTopic', { topic: { name: uniqueName(), retentionDuration: { seconds: 366 * 86400 } } }), status.INVALID_ARGUMENT],
  ['a retention of 365 days', admin('CreateTopic', { topic: { name: uniqueName(), retentionDuration: { seconds: 365 * 86400 } } }), status.OK],
  ['getting an unknown topic', admin('GetTopic', { name: 'no-such-topic' }), status.NOT_FOUND],
  ['deleting a topic that has subscriptions', (c) => admin('DeleteTopic', { name: c.topic })(c), status.FAILED_PRECONDITION],
  ['a page size over 1000', admin('ListTopics', { pageSize: 1001 }), status.INVALID_ARGUMENT],
  ['a page token that is no name', admin('ListTopics', { pageToken: '../etc' }), status.INVALID_ARGUMENT],
  ['a subscription of an unknown topic', admin('CreateSubscription', { subscription: { name: uniqueName(), topic: 'no-such-topic' } }), status.NOT_FOUND],
  ['a subscription without a topic', admin('CreateSubscription', { subscription: { name: uniqueName() } }), status.INVALID_ARGUMENT],
  ['a subscription name that exists', (c) => admin('CreateSubscription', { subscription: { name: c.subscription, topic: c.topic } })(c), status.ALREADY_EXISTS],
  ['an ack deadline under 1 s', (c) => admin('CreateSubscription', { subscription: { name: uniqueName(), topic: c.topic, ackDeadline: { nanos: 999_000_000 } } })(c), status.INVALID_ARGUMENT],
  ['an ack deadline of 600 s', (c) => admin('CreateSubscription', { subscription: { name: uniqueName(), topic: c.topic, ackDeadline: { seconds: 600 } } })(c), status.OK],
  ['an ack deadline of 601 s', (c) => admin('CreateSubscription', { subscription: { name: uniqueName(), topic: c.topic, ackDeadline: { seconds: 601 } } })(c), status.INVALID_ARGUMENT],
  ['a minimum backoff above the maximum', (c) => admin('CreateSubscription', { subscription: { name: uniqueName(), topic: c.topic, retryPolicy: { minimumBackoff: { seconds: 5 }, maximumBackoff: { seconds: 1 } } } })(c), status.INVALID_ARGUMENT],
  ['negative max delivery attempts', (c) => admin('CreateSubscription', { subscription: { name: uniqueName(), topic: c.topic, maxDeliveryAttempts: -1 } })(c), status.INVALID_ARGUMENT],
  ['a dead-letter topic that is the topic itself', (c) => admin('CreateSubscription', { subscription: { name: uniqueName(), topic: c.topic, deadLetterTopic: c.topic } })(c), status.INVALID_ARGUMENT],
  ['an unknown dead-letter topic', (c) => admin('CreateSubscription', { subscription: { name: uniqueName(), topic: c.topic, deadLetterTopic: 'no-such-topic' } })(c), status.NOT_FOUND],
  ['a dead-letter topic name with a brace', (c) => admin('CreateSubscription', { subscription: { name: uniqueName(), topic: c.topic, deadLetterTopic: 'x}' } })(c), status.INVALID_ARGUMENT],

  // Every publish case twice: as a Publish call, and as the request of a PublishStream.
  ...publishCases.flatMap(([name, messages, topic, expected]): Case[] => [
    [name, publish(messages, topic), expected],
    [`${name}, over a PublishStream`, publishStreamed(messages, topic), expected],
  ]),
  [
    'oversized metadata',
    (c) => {
      const metadata = new Metadata();
      metadata.set('x-filler', 'f'.repeat(64 * KiB));
      return publish([message()], c.topic, metadata)(c);
    },
    status.RESOURCE_EXHAUSTED,
  ],

  ['subscribing to an unknown subscription', subscribe(() => ({ subscription: 'no-such-sub' })), status.NOT_FOUND],
  ['subscribing without a subscription name', subscribe(() => ({})), status.INVALID_ARGUMENT],
  ['flow control of 0 messages', subscribe((c) => ({ subscription: c.subscription, flowControl: { maxOutstandingMessages: 0 } })), status.INVALID_ARGUMENT],
  ['flow control of -1 bytes', subscribe((c) => ({ subscription: c.subscription, flowControl: { maxOutstandingBytes: -1 } })), status.INVALID_ARGUMENT],
  ['flow control lowered to 0 mid-stream', subscribe((c) => ({ subscription: c.subscription }), { flowControl: { maxOutstandingMessages: 0 } }), status.INVALID_ARGUMENT],
  ['a malformed receipt on the stream', subscribe((c) => ({ subscription: c.subscription }), { ackReceipts: ['garbage'] }), status.INVALID_ARGUMENT],

  ['acking a malformed receipt', settle('Ack', () => ({ receipts: ['not-a-receipt'] })), status.INVALID_ARGUMENT],
  ['acking a receipt with attempt 0', settle('Ack', (c) => ({ receipts: [`${c.subscription}/1-0/0`] })), status.INVALID_ARGUMENT],
  ['acking a receipt of another subscription', settle('Ack', (c) => ({ receipts: [c.receipt] })), status.INVALID_ARGUMENT],
  ['acking no receipts', settle('Ack', () => ({ receipts: [] })), status.INVALID_ARGUMENT],
  ['acking 1001 receipts', settle('Ack', (c) => ({ receipts: Array.from({ length: 1001 }, (_, i) => `${c.subscription}/1-${i}/1`) })), status.RESOURCE_EXHAUSTED],
  ['acking on an unknown subscription', (c) => c.client.call(c.client.subscriber, 'Ack', { subscription: 'no-such-sub', receipts: ['no-such-sub/1-0/1'] }), status.NOT_FOUND],
  ['a nack delay over 600 s', settle('Nack', (c) => ({ receipts: [`${c.subscription}/1-0/1`], delay: { seconds: 601 } })), status.INVALID_ARGUMENT],
  ['extending a lease without an extension', settle('ExtendLease', (c) => ({ receipts: [`${c.subscription}/1-0/1`] })), status.INVALID_ARGUMENT],
  ['rejecting a receipt of another subscription', settle('Reject', (c) => ({ receipts: [c.receipt] })), status.INVALID_ARGUMENT],
  ['a nack reason over 1 KiB', settle('Nack', (c) => ({ receipts: [`${c.subscription}/1-0/1`], reason: 'r'.repeat(1025) })), status.INVALID_ARGUMENT],
  ['a reject reason of 1 KiB', settle('Reject', (c) => ({ receipts: [`${c.subscription}/1-0/1`], reason: 'r'.repeat(1024) })), status.OK],
  ['a seek without a target', admin('Seek', {}), status.INVALID_ARGUMENT],
  ['a seek to a malformed id', (c) => admin('Seek', { subscription: c.subscription, messageId: 'abc' })(c), status.INVALID_ARGUMENT],
  ['a seek of an unknown subscription', admin('Seek', { subscription: 'no-such-sub', messageId: '1-0' }), status.NOT_FOUND],
  ['stats of an unknown subscription', admin('GetSubscriptionStats', { subscription: 'no-such-sub' }), status.NOT_FOUND],
  ['inspecting a malformed id', (c) => admin('InspectMessage', { topic: c.topic, messageId: '1-x' })(c), status.INVALID_ARGUMENT],
  ['inspecting an unknown message', (c) => admin('InspectMessage', { topic: c.topic, messageId: '1-0' })(c), status.NOT_FOUND],
  ['inspecting in an unknown topic', admin('InspectMessage', { topic: 'no-such-topic', messageId: '1-0' }), status.NOT_FOUND],
  ['redriving an unknown topic', admin('Redrive', { deadLetterTopic: 'no-such-topic' }), status.NOT_FOUND],
  ['redriving a malformed id', (c) => admin('Redrive', { deadLetterTopic: c.topic, messageIds: ['x'] })(c), status.INVALID_ARGUMENT],
  ['an empty transaction', (c) => c.client.call(c.client.transactions, 'Prepare', {}), status.INVALID_ARGUMENT],
  ['a transaction of 1001 messages', (c) => c.client.call(c.client.transactions, 'Prepare', { messages: Array.from({ length: 1001 }, () => ({ topic: c.topic, data: Buffer.from('x') })) }), status.RESOURCE_EXHAUSTED],
  ['a transaction timeout of 15 min + 1 s', (c) => c.client.call(c.client.transactions, 'Prepare', { messages: [{ topic: c.topic, data: Buffer.from('x') }], timeout: { seconds: 901 } }), status.INVALID_ARGUMENT],
  ['a transaction id of 129 characters', (c) => c.client.call(c.client.transactions, 'Prepare', { transactionId: 'x'.repeat(129), messages: [{ topic: c.topic, data: Buffer.from('x') }] }), status.INVALID_ARGUMENT],
  ['a transaction acking a receipt of another subscription', (c) => c.client.call(c.client.transactions, 'Prepare', { acks: [{ subscription: c.subscription, receipt: c.receipt }] }), status.INVALID_ARGUMENT],
  ['committing an unknown transaction', (c) => c.client.call(c.client.transactions, 'Commit', { transactionId: 'no-such-transaction' }), status.NOT_FOUND],
  ['aborting without an id', (c) => c.client.call(c.client.transactions, 'Abort', {}), status.INVALID_ARGUMENT],
];

test(`${cases.length} bad inputs each get their status, and the gateway keeps serving`, async (context) => {
  assert.ok(cases.filter(([, , code]) => code !== status.OK).length >= 25);
  const wrong: string[] = [];
  for (const [name, run, expected] of cases) {
    let actual: status = status.OK;
    let details = '';
    try {
      await run(context);
    } catch (error) {
      actual = (error as ServiceError).code;
      details = (error as ServiceError).details;
    }
    if (actual !== expected) wrong.push(`${name}: expected ${status[expected]}, got ${status[actual]} (${details})`);
    else if (expected !== status.OK && !details) wrong.push(`${name}: ${status[expected]} without details`);
    else if (/ERR |WRONGTYPE|NOSCRIPT|redis/i.test(details) && expected === status.INTERNAL) wrong.push(`${name}: leaks Redis text`);
  }
  assert.equal(wrong, []);
});

test('after all of it, the stored messages are intact and deliverable', async ({ client, subscription, stored }) => {
  const subscriber = new TestSubscriber(client, subscription, { maxOutstandingMessages: 2 });
  const deliveries = await subscriber.take(2);
  subscriber.cancel();
  assert.equal(
    deliveries.map((d) => ({ id: d.message!.messageId, data: d.message!.data.toString() })),
    stored,
  );
});

test.run();
