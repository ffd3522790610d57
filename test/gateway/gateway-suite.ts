// One suite of publish/subscribe behaviour through real gRPC over loopback, run against a gateway on
// each store (pubsub-memory.test.ts, pubsub-redis.test.ts).
import { status } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { publish, sleep, statusOf, TestPublishStream, TestSubscriber, topicWithSubscriptions, uniqueName, type Client } from '../helpers/client.ts';
import { maxStreamRequestsInFlight } from '../../gateway/publisher-service.ts';
import { startInProcess, type InProcessGateway, type StoreFixture } from '../helpers/in-process.ts';

interface Context {
  running: InProcessGateway;
  client: Client;
}

export function defineGatewaySuite(name: string, makeStore: () => Promise<StoreFixture>) {
  const test = suite<Context>(`gateway on ${name}`);
  const subscribers: TestSubscriber[] = [];
  const open = (client: Client, subscription: string, flow?: { maxOutstandingMessages?: number; maxOutstandingBytes?: number }) => {
    const subscriber = new TestSubscriber(client, subscription, flow);
    subscribers.push(subscriber);
    return subscriber;
  };

  test.before(async (context) => {
    context.running = await startInProcess(await makeStore());
    context.client = context.running.client;
  });

  test.after.each(() => {
    for (const subscriber of subscribers.splice(0)) subscriber.cancel();
  });

  test.after(async ({ running }) => {
    await running.stop();
  });

  const payloads = (count: number, size = 16) =>
    Array.from({ length: count }, (_, i) => ({ data: Buffer.alloc(size, i % 256), attributes: { index: String(i) } }));

  test('publish, subscribe and ack: deliveries carry id, payload, attributes, times, attempt and receipt', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    const before = Date.now();
    const published = await publish(client, topic, [
      { data: Buffer.from([0, 1, 2, 255]), attributes: { kind: 'binary' }, orderingKey: 'k1' },
      { data: Buffer.alloc(0), attributes: {} },
      { data: Buffer.from('third'), attributes: { a: '1', b: '2' } },
    ]);
    assert.is(published.results.length, 3);
    const subscriber = open(client, subscriptions[0]!);
    const deliveries = await subscriber.take(3);
    assert.equal(
      deliveries.map((d) => d.message!.messageId),
      published.results.map((r) => r.messageId),
    );
    const [first, second, third] = deliveries;
    assert.equal([...first!.message!.data], [0, 1, 2, 255]);
    assert.equal(first!.message!.attributes, { kind: 'binary' });
    assert.is(first!.message!.orderingKey, 'k1');
    assert.is(second!.message!.data.length, 0);
    assert.equal(third!.message!.attributes, { a: '1', b: '2' });
    for (const delivery of deliveries) {
      assert.is(delivery.deliveryAttempt, 1);
      assert.ok(delivery.receipt.length > 0);
      const publishMs = Number(delivery.message!.publishTime!.seconds) * 1000;
      assert.ok(publishMs >= Math.floor(before / 1000) * 1000 - 1000 && publishMs <= Date.now(), 'publish time is the publish instant');
      const leaseMs = Number(delivery.leaseDeadline!.seconds) * 1000;
      assert.ok(leaseMs > Date.now() + 20_000, 'lease deadline is about the 30 s default ahead');
    }
    subscriber.ack(deliveries.map((d) => d.receipt));
    const acked = await client.call<{ results: string[] }>(client.subscriber, 'Ack', {
      subscription: subscriptions[0],
      receipts: deliveries.map((d) => d.receipt),
    });
    assert.equal(acked.results, ['SETTLEMENT_RESULT_OK', 'SETTLEMENT_RESULT_OK', 'SETTLEMENT_RESULT_OK'], 'settling twice is OK');
  });

  test('PublishStream: each request answered in order, a failed one with its status while the stream carries on; the stored ones are delivered', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    const stream = new TestPublishStream(client);
    const message = (text: string, idempotencyKey = '') => ({ data: Buffer.from(text), idempotencyKey });
    // Sent without waiting: the answers must still come one per request, in request order.
    const answers = await Promise.all([
      stream.send({ topic, messages: [message('a', 'key-a'), message('b')] }),
      stream.send({ topic, messages: [] }),
      stream.send({ topic, messages: [message('c')] }),
      stream.send({ topic, messages: [message('other content', 'key-a')] }),
      stream.send({ topic, messages: [message('a', 'key-a')] }),
      stream.send({ topic: uniqueName('topic'), messages: [message('elsewhere')] }),
      stream.send({ topic, messages: [message('x'.repeat(10))] }),
    ]);
    const codes = answers.map((answer) => answer.statusCode);
    assert.equal(codes, [0, status.INVALID_ARGUMENT, 0, status.ALREADY_EXISTS, 0, status.INVALID_ARGUMENT, 0]);
    assert.match(answers[1]!.statusMessage, /at least one message/);
    assert.match(answers[5]!.statusMessage, /the topic of its first request/);
    for (const failed of [answers[1]!, answers[3]!, answers[5]!]) assert.equal(failed.results, []);
    assert.is(answers[0]!.results.length, 2);
    assert.equal(answers[4]!.results, [{ messageId: answers[0]!.results[0]!.messageId, duplicate: true }], 'a repeated key answers the original id');
    const stored = [answers[0]!.results[0]!, answers[0]!.results[1]!, answers[2]!.results[0]!, answers[6]!.results[0]!].map((result) => result.messageId);
    stream.call.end();
    assert.is(await stream.ended, 0, 'a half-closed stream ends OK once everything is answered');
    const deliveries = await open(client, subscriptions[0]!).take(4);
    assert.equal(deliveries.map((d) => d.message!.messageId), stored, 'stored in request order, nothing of a failed request');
    assert.equal(deliveries.map((d) => d.message!.data.toString()), ['a', 'b', 'c', 'x'.repeat(10)]);
  });

  test(`PublishStream: far more requests than the ${maxStreamRequestsInFlight} handled at once are all answered, in order`, async ({ client }) => {
    const { topic } = await topicWithSubscriptions(client, []);
    const stream = new TestPublishStream(client);
    const count = maxStreamRequestsInFlight * 8;
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => stream.send({ topic, messages: [{ data: Buffer.from(String(i)) }] })));
    assert.ok(answers.every((answer) => answer.statusCode === 0 && answer.results.length === 1));
    const ids = answers.map((answer) => answer.results[0]!.messageId);
    const ordered = [...ids].sort((a, b) => {
      const [am, as] = a.split('-').map(BigInt);
      const [bm, bs] = b.split('-').map(BigInt);
      return am! === bm! ? Number(as! - bs!) : Number(am! - bm!);
    });
    assert.equal(ids, ordered, 'ids grow with the requests: stored in request order');
    assert.is(new Set(ids).size, count);
    stream.call.end();
    assert.is(await stream.ended, 0);
  });

  test('PublishStream to an unknown topic: NOT_FOUND in the answer, and the stream stays open', async ({ client }) => {
    const topic = uniqueName('topic');
    const stream = new TestPublishStream(client);
    const missing = await stream.send({ topic, messages: [{ data: Buffer.from('x') }] });
    assert.is(missing.statusCode, status.NOT_FOUND);
    await client.call(client.admin, 'CreateTopic', { topic: { name: topic } });
    const found = await stream.send({ topic, messages: [{ data: Buffer.from('y') }] });
    assert.is(found.statusCode, 0);
    assert.is(found.results.length, 1);
    stream.call.end();
    assert.is(await stream.ended, 0);
  });

  test('fan-out: every subscription of a topic gets every message', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{}, {}]);
    const published = await publish(client, topic, payloads(20));
    const ids = published.results.map((r) => r.messageId);
    for (const subscription of subscriptions) {
      const deliveries = await open(client, subscription).take(20);
      assert.equal(deliveries.map((d) => d.message!.messageId), ids);
    }
  });

  test('a subscription starting at latest gets only messages published after it', async ({ client }) => {
    const topic = uniqueName('topic');
    await client.call(client.admin, 'CreateTopic', { topic: { name: topic } });
    await publish(client, topic, payloads(2));
    const subscription = uniqueName('sub');
    await client.call(client.admin, 'CreateSubscription', { subscription: { name: subscription, topic } });
    const after = await publish(client, topic, payloads(1));
    const subscriber = open(client, subscription);
    const [delivery] = await subscriber.take(1);
    assert.is(delivery!.message!.messageId, after.results[0]!.messageId);
    await sleep(200);
    assert.is(subscriber.deliveries.length, 1);
  });

  test('two consumers of one subscription split 1,000 messages, none leased to both at once', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    const total = 1000;
    for (let i = 0; i < total; i += 250) await publish(client, topic, payloads(250));
    const inFlight = new Set<string>();
    const seen = new Set<string>();
    let overlap = 0;
    const consumers = [0, 1].map(() => open(client, subscriptions[0]!, { maxOutstandingMessages: 20 }));
    const counts = consumers.map((consumer) => {
      let handled = 0;
      let count = 0;
      const pump = () => {
        const fresh = consumer.deliveries.slice(handled);
        handled = consumer.deliveries.length;
        for (const delivery of fresh) {
          const id = delivery.message!.messageId;
          if (inFlight.has(id)) overlap++;
          inFlight.add(id);
          seen.add(id);
          count++;
        }
        if (fresh.length) {
          setTimeout(() => {
            for (const delivery of fresh) inFlight.delete(delivery.message!.messageId);
            consumer.ack(fresh.map((d) => d.receipt));
          }, 2);
        }
      };
      const timer = setInterval(pump, 1);
      return { timer, count: () => count };
    });
    await consumers[0]!.until(() => seen.size >= total, 20_000, 'all messages');
    for (const { timer } of counts) clearInterval(timer);
    assert.is(overlap, 0, 'no message leased to two consumers at once');
    assert.is(seen.size, total);
    assert.ok(counts.every(({ count }) => count() > 0), `both consumers got work: ${counts.map(({ count }) => count())}`);
  });

  test('idempotent publish: the same key answers the same id and stores one message; other content is ALREADY_EXISTS', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    const message = { data: Buffer.from('once'), attributes: { a: 'b' }, idempotencyKey: 'order-42' };
    const first = await publish(client, topic, [message]);
    const again = await publish(client, topic, [message, message]);
    assert.equal(first.results, [{ messageId: first.results[0]!.messageId, duplicate: false }]);
    assert.equal(
      again.results.map((r) => [r.messageId, r.duplicate]),
      [
        [first.results[0]!.messageId, true],
        [first.results[0]!.messageId, true],
      ],
    );
    assert.is(await statusOf(publish(client, topic, [{ ...message, data: Buffer.from('other') }])), status.ALREADY_EXISTS);
    assert.is(await statusOf(publish(client, topic, [{ ...message, attributes: { a: 'c' } }])), status.ALREADY_EXISTS);
    const subscriber = open(client, subscriptions[0]!);
    await subscriber.take(1);
    await sleep(200);
    assert.is(subscriber.deliveries.length, 1, 'one stored message');
  });

  test('a batch with a conflicting key stores nothing', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    await publish(client, topic, [{ data: Buffer.from('x'), idempotencyKey: 'k' }]);
    const batch = [{ data: Buffer.from('a') }, { data: Buffer.from('b') }, { data: Buffer.from('y'), idempotencyKey: 'k' }];
    assert.is(await statusOf(publish(client, topic, batch)), status.ALREADY_EXISTS);
    const subscriber = open(client, subscriptions[0]!);
    await subscriber.take(1);
    await sleep(200);
    assert.equal(subscriber.deliveries.map((d) => d.message!.data.toString()), ['x']);
  });

  test('lease expiry redelivers with delivery_attempt 2; the old receipt is INVALID_RECEIPT', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{ ackDeadline: { seconds: 1 } }]);
    await publish(client, topic, payloads(1));
    const subscriber = open(client, subscriptions[0]!);
    const [first, second] = await subscriber.take(2, 5000);
    assert.is(second!.message!.messageId, first!.message!.messageId);
    assert.is(first!.deliveryAttempt, 1);
    assert.is(second!.deliveryAttempt, 2);
    const acked = await client.call<{ results: string[] }>(client.subscriber, 'Ack', {
      subscription: subscriptions[0],
      receipts: [first!.receipt, second!.receipt],
    });
    assert.equal(acked.results, ['SETTLEMENT_RESULT_INVALID_RECEIPT', 'SETTLEMENT_RESULT_OK']);
  });

  test('nack with a delay redelivers not before the delay', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    await publish(client, topic, payloads(1));
    const subscriber = open(client, subscriptions[0]!);
    const [first] = await subscriber.take(1);
    const nackedAt = Date.now();
    const nacked = await client.call<{ results: string[] }>(client.subscriber, 'Nack', {
      subscription: subscriptions[0],
      receipts: [first!.receipt],
      delay: { seconds: 1 },
    });
    assert.equal(nacked.results, ['SETTLEMENT_RESULT_OK']);
    const [, again] = await subscriber.take(2, 5000);
    assert.ok(Date.now() - nackedAt >= 990, `redelivered after ${Date.now() - nackedAt} ms`);
    assert.is(again!.deliveryAttempt, 2);
    assert.is(again!.message!.messageId, first!.message!.messageId);
  });

  test('nack on the stream without a delay waits the subscription backoff', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [
      { retryPolicy: { minimumBackoff: { nanos: 400_000_000 }, maximumBackoff: { seconds: 10 } } },
    ]);
    await publish(client, topic, payloads(1));
    const subscriber = open(client, subscriptions[0]!);
    const [first] = await subscriber.take(1);
    const nackedAt = Date.now();
    subscriber.send({ nackReceipts: [first!.receipt] });
    await subscriber.take(2, 5000);
    assert.ok(Date.now() - nackedAt >= 390, `redelivered after ${Date.now() - nackedAt} ms`);
  });

  test('closing a stream redelivers its unsettled messages at once to another consumer', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{ ackDeadline: { seconds: 60 } }]);
    const published = await publish(client, topic, payloads(5));
    const leaving = open(client, subscriptions[0]!);
    await leaving.take(5);
    const staying = open(client, subscriptions[0]!);
    await sleep(100);
    assert.is(staying.deliveries.length, 0, 'nothing for the second consumer while the first holds all');
    const closedAt = Date.now();
    leaving.cancel();
    const redelivered = await staying.take(5, 5000);
    assert.ok(Date.now() - closedAt < 5000, 'long before the 60 s lease');
    assert.equal(redelivered.map((d) => d.message!.messageId).sort(), published.results.map((r) => r.messageId).sort());
    assert.ok(redelivered.every((d) => d.deliveryAttempt === 2));
  });

  test('flow control: never more unsettled deliveries than the limit; raising it delivers more', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    await publish(client, topic, payloads(10));
    const subscriber = open(client, subscriptions[0]!, { maxOutstandingMessages: 3 });
    await subscriber.take(3);
    await sleep(300);
    assert.is(subscriber.deliveries.length, 3);
    subscriber.send({ flowControl: { maxOutstandingMessages: 6 } });
    await subscriber.take(6);
    await sleep(300);
    assert.is(subscriber.deliveries.length, 6);
    subscriber.ack(subscriber.deliveries.slice(0, 2).map((d) => d.receipt));
    await subscriber.take(8);
    await sleep(300);
    assert.is(subscriber.deliveries.length, 8);
  });

  test('flow control by bytes: deliveries stop at the byte limit; one larger message still comes alone', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    await publish(client, topic, [...payloads(4, 1000), { data: Buffer.alloc(5000) }]);
    const subscriber = open(client, subscriptions[0]!, { maxOutstandingBytes: 2500 });
    await subscriber.take(2);
    await sleep(300);
    assert.is(subscriber.deliveries.length, 2);
    subscriber.ack(subscriber.deliveries.map((d) => d.receipt));
    await subscriber.take(4);
    subscriber.ack(subscriber.deliveries.slice(2).map((d) => d.receipt));
    const all = await subscriber.take(5);
    assert.is(all[4]!.message!.data.length, 5000);
  });

  test('extend lease on the stream postpones redelivery', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{ ackDeadline: { seconds: 1 } }]);
    await publish(client, topic, payloads(1));
    const subscriber = open(client, subscriptions[0]!);
    const [first] = await subscriber.take(1);
    subscriber.send({ extendReceipts: [first!.receipt], extension: { seconds: 4 } });
    await sleep(1800);
    assert.is(subscriber.deliveries.length, 1, 'not redelivered after the original 1 s lease');
  });

  test('deleting a subscription ends its streams with NOT_FOUND', async ({ client }) => {
    const { subscriptions } = await topicWithSubscriptions(client);
    const subscriber = open(client, subscriptions[0]!);
    await sleep(100);
    await client.call(client.admin, 'DeleteSubscription', { name: subscriptions[0] });
    await subscriber.until(() => subscriber.error !== undefined, 5000, 'stream error');
    assert.is(subscriber.error!.code, status.NOT_FOUND);
  });

  test('admin: topics and subscriptions are created, listed in pages, fetched and deleted', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{}, {}]);
    const got = await client.call<{ topic: { name: string; dedupWindow: { seconds: string } } }>(client.admin, 'GetTopic', { name: topic });
    assert.is(got.topic.name, topic);
    assert.is(got.topic.dedupWindow.seconds, '120');
    const page = await client.call<{ subscriptions: { name: string }[]; nextPageToken: string }>(client.admin, 'ListSubscriptions', {
      topic,
      pageSize: 1,
    });
    assert.equal(page.subscriptions.map((s) => s.name), [[...subscriptions].sort()[0]]);
    const rest = await client.call<{ subscriptions: { name: string }[]; nextPageToken: string }>(client.admin, 'ListSubscriptions', {
      topic,
      pageSize: 1,
      pageToken: page.nextPageToken,
    });
    assert.equal(rest.subscriptions.map((s) => s.name), [[...subscriptions].sort()[1]]);
    assert.is(await statusOf(client.call(client.admin, 'DeleteTopic', { name: topic })), status.FAILED_PRECONDITION);
    for (const name of subscriptions) await client.call(client.admin, 'DeleteSubscription', { name });
    await client.call(client.admin, 'DeleteTopic', { name: topic });
    assert.is(await statusOf(client.call(client.admin, 'GetTopic', { name: topic })), status.NOT_FOUND);
  });

  return test;
}
