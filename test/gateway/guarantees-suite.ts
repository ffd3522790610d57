// Delivery guarantees through real gRPC: dead letters, reject, redrive, exactly-once settlement,
// lease extension, ordering keys, seek, stats and inspect — run against a gateway on each store.
import { Metadata, status } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { publish, sleep, statusOf, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startInProcess, type InProcessGateway, type StoreFixture } from '../helpers/in-process.ts';

interface Context {
  running: InProcessGateway;
  client: Client;
}

const fast = { retryPolicy: { minimumBackoff: { nanos: 50_000_000 }, maximumBackoff: { nanos: 200_000_000 } } };
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

export function defineGuaranteesSuite(name: string, makeStore: () => Promise<StoreFixture>) {
  const test = suite<Context>(`guarantees on ${name}`);
  const subscribers: TestSubscriber[] = [];
  const open = (client: Client, subscription: string, first?: Record<string, unknown>) => {
    const subscriber = new TestSubscriber(client, subscription);
    if (first) subscriber.send(first);
    subscribers.push(subscriber);
    return subscriber;
  };

  test.before(async (context) => {
    context.running = await startInProcess(await makeStore(), { RELAY_TRIM_INTERVAL_MS: '200' });
    context.client = context.running.client;
  });
  test.after.each(() => {
    for (const subscriber of subscribers.splice(0)) subscriber.cancel();
  });
  test.after(async ({ running }) => {
    await running.stop();
  });

  const call = <T>(client: Client, service: 'admin' | 'subscriber', method: string, request: object) =>
    client.call<T>(client[service], method, request);
  const stats = (client: Client, subscription: string) =>
    call<{ backlog: string; inFlight: string; deadLettered: string }>(client, 'admin', 'GetSubscriptionStats', { subscription });
  const inspect = (client: Client, topic: string, messageId: string) =>
    call<{ states: { subscription: string; state: string; deliveryAttempts: number; lastError: string }[]; traceId: string }>(
      client,
      'admin',
      'InspectMessage',
      { topic, messageId },
    );

  /** A source topic whose subscription dead-letters into a second topic, read by a third subscription. */
  async function withDeadLetters(client: Client, settings: Record<string, unknown> = {}) {
    const dlq = await topicWithSubscriptions(client, [{}]);
    const source = await topicWithSubscriptions(client, [{ deadLetterTopic: dlq.topic, maxDeliveryAttempts: 3, ...fast, ...settings }]);
    return { source: source.topic, subscription: source.subscriptions[0]!, dlq: dlq.topic, dlqSubscription: dlq.subscriptions[0]! };
  }

  test('a message nacked max-attempts times is dead-lettered exactly once with its metadata, never delivered again', async ({ client }) => {
    const { source, subscription, dlqSubscription } = await withDeadLetters(client);
    const metadata = new Metadata();
    metadata.set('traceparent', traceparent);
    const [published] = (await publish(client, source, [{ data: Buffer.from([0, 7, 255]), attributes: { kind: 'poison' }, orderingKey: 'k' }], metadata))
      .results;
    const consumer = open(client, subscription);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const delivery = (await consumer.take(attempt, 5000))[attempt - 1]!;
      assert.is(delivery.deliveryAttempt, attempt);
      assert.is(delivery.reason, attempt === 1 ? 'DELIVERY_REASON_FIRST' : 'DELIVERY_REASON_NACK');
      consumer.send({ nackReceipts: [delivery.receipt], nackReason: `failed ${attempt}` });
    }
    const [dead] = await open(client, dlqSubscription).take(1, 5000);
    const message = dead!.message!;
    assert.equal([...message.data], [0, 7, 255]);
    assert.equal(message.attributes, { kind: 'poison' });
    assert.is(message.orderingKey, 'k');
    assert.is(message.traceparent, traceparent);
    assert.is(message.originalMessageId, published!.messageId);
    assert.equal(message.deadLetter, {
      sourceTopic: source,
      subscription,
      reason: 'max-delivery-attempts',
      deliveryAttempts: 3,
    });
    await sleep(500);
    assert.is(consumer.deliveries.length, 3, 'never delivered again from the source');
    assert.is(Number((await stats(client, subscription)).deadLettered), 1);
    const inspected = await inspect(client, source, published!.messageId);
    assert.equal(inspected.states.map((s) => [s.state, s.lastError]), [['MESSAGE_STATE_DEAD_LETTERED', 'max-delivery-attempts']]);
    assert.is(inspected.traceId, '0af7651916cd43dd8448eb211c80319c');
  });

  test('without a dead-letter topic an exhausted message is dropped and counted', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{ maxDeliveryAttempts: 1, ...fast }]);
    await publish(client, topic, [{ data: Buffer.from('x') }]);
    const consumer = open(client, subscriptions[0]!);
    const [delivery] = await consumer.take(1);
    consumer.send({ nackReceipts: [delivery!.receipt] });
    for (let i = 0; i < 50 && Number((await stats(client, subscriptions[0]!)).deadLettered) === 0; i++) await sleep(50);
    const counts = await stats(client, subscriptions[0]!);
    assert.equal([Number(counts.deadLettered), Number(counts.inFlight), Number(counts.backlog)], [1, 0, 0]);
    assert.is(consumer.deliveries.length, 1);
  });

  test('Reject dead-letters at once with its reason; Redrive brings it back with reason REDRIVE', async ({ client }) => {
    const { source, subscription, dlq, dlqSubscription } = await withDeadLetters(client);
    const [published] = (await publish(client, source, [{ data: Buffer.from('bad'), attributes: { a: '1' } }])).results;
    const consumer = open(client, subscription);
    const [delivery] = await consumer.take(1);
    const rejected = await call<{ results: string[] }>(client, 'subscriber', 'Reject', {
      subscription,
      receipts: [delivery!.receipt],
      reason: 'schema mismatch',
    });
    assert.equal(rejected.results, ['SETTLEMENT_RESULT_OK']);
    const [dead] = await open(client, dlqSubscription).take(1, 5000);
    assert.is(dead!.message!.deadLetter!.reason, 'schema mismatch');
    assert.is(dead!.message!.deadLetter!.deliveryAttempts, 1);

    const redriven = await call<{ redriven: string }>(client, 'admin', 'Redrive', { deadLetterTopic: dlq });
    assert.is(Number(redriven.redriven), 1);
    const [, back] = await consumer.take(2, 5000);
    assert.is(back!.reason, 'DELIVERY_REASON_REDRIVE');
    assert.is(back!.deliveryAttempt, 1);
    assert.is(back!.message!.originalMessageId, published!.messageId);
    assert.is(back!.message!.data.toString(), 'bad');
    assert.equal(back!.message!.attributes, { a: '1' });
    // Gone from the dead-letter topic: a subscription reading it from the start finds nothing.
    const late = `${dlqSubscription}-late`;
    await call(client, 'admin', 'CreateSubscription', { subscription: { name: late, topic: dlq, startPosition: 'START_POSITION_EARLIEST' } });
    const reader = open(client, late);
    await sleep(300);
    assert.is(reader.deliveries.length, 0);
    const again = await call<{ redriven: string }>(client, 'admin', 'Redrive', { deadLetterTopic: dlq });
    assert.is(Number(again.redriven), 0);
  });

  test('a stale receipt answers INVALID_RECEIPT and changes nothing: the message stays with its new holder', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{ ackDeadline: { seconds: 1 }, ...fast }]);
    const [published] = (await publish(client, topic, [{ data: Buffer.from('x') }])).results;
    const consumer = open(client, subscriptions[0]!);
    const [first, second] = await consumer.take(2, 5000);
    assert.is(second!.deliveryAttempt, 2);
    assert.is(second!.reason, 'DELIVERY_REASON_LEASE_EXPIRED');
    for (const method of ['Ack', 'Nack', 'ExtendLease', 'Reject']) {
      const answer = await call<{ results: string[] }>(client, 'subscriber', method, {
        subscription: subscriptions[0],
        receipts: [first!.receipt],
        extension: { seconds: 5 },
      });
      assert.equal(answer.results, ['SETTLEMENT_RESULT_INVALID_RECEIPT'], method);
    }
    const state = (await inspect(client, topic, published!.messageId)).states[0]!;
    assert.equal([state.state, state.deliveryAttempts], ['MESSAGE_STATE_IN_FLIGHT', 2]);
    const acked = await call<{ results: string[] }>(client, 'subscriber', 'Ack', { subscription: subscriptions[0], receipts: [second!.receipt] });
    assert.equal(acked.results, ['SETTLEMENT_RESULT_OK']);
    assert.is((await inspect(client, topic, published!.messageId)).states[0]!.state, 'MESSAGE_STATE_ACKED');
  });

  test('a stream with automatic lease extension holds a message 3x the ack deadline without redelivery', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{ ackDeadline: { seconds: 1 }, ...fast }]);
    await publish(client, topic, [{ data: Buffer.from('slow work') }]);
    const consumer = new TestSubscriber(client, subscriptions[0]!, undefined, { autoExtendLease: true });
    subscribers.push(consumer);
    const [delivery] = await consumer.take(1);
    await sleep(3200);
    assert.is(consumer.deliveries.length, 1, 'no redelivery while the handler runs');
    const acked = await call<{ results: string[] }>(client, 'subscriber', 'Ack', { subscription: subscriptions[0], receipts: [delivery!.receipt] });
    assert.equal(acked.results, ['SETTLEMENT_RESULT_OK']);
  });

  test('ordering: 20 keys x 200 messages, 4 consumers nacking 10%: per key one unsettled at a time, acked in publish order', async ({
    client,
  }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [
      { enableOrdering: true, maxDeliveryAttempts: 0, retryPolicy: { minimumBackoff: { nanos: 5_000_000 }, maximumBackoff: { nanos: 20_000_000 } } },
    ]);
    const keys = 20;
    const perKey = 200;
    const published = new Map<string, string[]>();
    for (let round = 0; round < perKey; round += 20) {
      const messages: { data: Buffer; orderingKey: string }[] = [];
      for (let i = round; i < round + 20; i++) for (let k = 0; k < keys; k++) messages.push({ data: Buffer.from(`${k}:${i}`), orderingKey: `key-${k}` });
      const { results } = await publish(client, topic, messages);
      results.forEach((result, i) => {
        const key = messages[i]!.orderingKey;
        published.set(key, [...(published.get(key) ?? []), result.messageId]);
      });
    }
    // Also keyless messages, which are never held back.
    await publish(client, topic, [{ data: Buffer.from('free') }]);
    const unsettled = new Map<string, string>();
    const acked = new Map<string, string[]>();
    const violations: string[] = [];
    let ackedCount = 0;
    let freeSeen = false;
    const consumers = [0, 1, 2, 3].map(() => open(client, subscriptions[0]!));
    for (const consumer of consumers) {
      consumer.onDeliveries = (deliveries) => {
        for (const delivery of deliveries) {
          const key = delivery.message!.orderingKey;
          const id = delivery.message!.messageId;
          if (!key) {
            freeSeen = true;
            consumer.ack([delivery.receipt]);
            continue;
          }
          if (unsettled.has(key)) violations.push(`${key}: ${id} delivered while ${unsettled.get(key)} was unsettled`);
          unsettled.set(key, id);
          const nack = Math.random() < 0.1;
          // Settled a moment later; the key is free from the instant the settlement leaves.
          setTimeout(() => {
            unsettled.delete(key);
            if (nack) {
              consumer.send({ nackReceipts: [delivery.receipt] });
            } else {
              acked.set(key, [...(acked.get(key) ?? []), id]);
              ackedCount++;
              consumer.ack([delivery.receipt]);
            }
          }, 1);
        }
      };
    }
    await consumers[0]!.until(() => ackedCount >= keys * perKey, 60_000, 'every keyed message acked');
    assert.equal(violations, []);
    assert.ok(freeSeen, 'the keyless message was delivered');
    for (const [key, ids] of published) assert.equal(acked.get(key), ids, `acks of ${key} in publish order`);
  });

  test('seek to a message id redelivers it and everything after with reason SEEK; stats count backlog and in flight', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    const ids = (await publish(client, topic, [1, 2, 3, 4, 5].map((i) => ({ data: Buffer.from(`m${i}`) })))).results.map((r) => r.messageId);
    assert.equal(Object.values(await stats(client, subscriptions[0]!)).map(Number).slice(0, 2), [5, 0]);
    const consumer = open(client, subscriptions[0]!);
    const first = await consumer.take(5);
    const counts = await stats(client, subscriptions[0]!);
    assert.equal([Number(counts.backlog), Number(counts.inFlight)], [0, 5]);
    consumer.ack(first.map((d) => d.receipt));
    await sleep(200);
    await call(client, 'admin', 'Seek', { subscription: subscriptions[0], messageId: ids[2] });
    const again = (await consumer.take(8, 5000)).slice(5);
    assert.equal(again.map((d) => d.message!.messageId), ids.slice(2));
    assert.ok(again.every((d) => d.reason === 'DELIVERY_REASON_SEEK' && d.deliveryAttempt === 1));
    assert.is((await inspect(client, topic, ids[0]!)).states[0]!.state, 'MESSAGE_STATE_ACKED');
    assert.is(await statusOf(call(client, 'admin', 'Seek', { subscription: subscriptions[0] })), status.INVALID_ARGUMENT);
  });

  test('seek to a time redelivers what was published from then on', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    await publish(client, topic, [{ data: Buffer.from('old') }]);
    await sleep(30);
    const from = Date.now();
    await sleep(5);
    const [recent] = (await publish(client, topic, [{ data: Buffer.from('new') }])).results;
    const consumer = open(client, subscriptions[0]!);
    consumer.ack((await consumer.take(2)).map((d) => d.receipt));
    await sleep(200);
    await call(client, 'admin', 'Seek', { subscription: subscriptions[0], time: { seconds: Math.floor(from / 1000), nanos: (from % 1000) * 1e6 } });
    const [, , again] = await consumer.take(3, 5000);
    assert.is(again!.message!.messageId, recent!.messageId);
    await sleep(200);
    assert.is(consumer.deliveries.length, 3);
  });

  test('retention runs by itself: a paused subscription keeps what it has not settled, then the rest goes', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{}, {}], { retentionMessages: 2 });
    const ids = (await publish(client, topic, [1, 2, 3, 4, 5].map((i) => ({ data: Buffer.from(`m${i}`) })))).results.map((r) => r.messageId);
    const reader = open(client, subscriptions[0]!);
    reader.ack((await reader.take(5)).map((d) => d.receipt));
    await sleep(600);
    assert.is((await inspect(client, topic, ids[0]!)).states.length, 2, 'the paused subscription holds the oldest message');
    await call(client, 'admin', 'DeleteSubscription', { name: subscriptions[1] });
    const deadline = Date.now() + 5000;
    while ((await statusOf(inspect(client, topic, ids[2]!))) !== status.NOT_FOUND && Date.now() < deadline) await sleep(100);
    assert.is(await statusOf(inspect(client, topic, ids[2]!)), status.NOT_FOUND, 'trimmed to the newest 2');
    assert.is((await inspect(client, topic, ids[3]!)).states[0]!.state, 'MESSAGE_STATE_ACKED');
  });

  return test;
}
