// One message's whole life is one trace: a gateway in this process on a private Redis, real gRPC,
// tracing on with an in-memory exporter (gRPC and ioredis instrumented, as in the gateway process).
import { memoryExporter as exporter } from '../helpers/trace-in-memory.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Metadata } from '@grpc/grpc-js';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { publish, TestPublishStream, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startInProcess, type InProcessGateway } from '../helpers/in-process.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import {
  asPublisher,
  parentId,
  processSpan,
  spanId,
  traceId,
  traceparentSpanId,
  TraceTree,
} from '../helpers/tracing.ts';

const test = suite<{ running?: InProcessGateway; client?: Client; setupError?: unknown }>('tracing');
const fast = { retryPolicy: { minimumBackoff: { nanos: 20_000_000 }, maximumBackoff: { nanos: 50_000_000 } } };
const subscribers: TestSubscriber[] = [];

test.before(async (context) => {
  try {
    const redis = await startRedisServer();
    context.running = await startInProcess({ store: new RedisMessageStore({ url: redis.url }), cleanup: () => redis.stop() });
    context.client = context.running.client;
  } catch (error) {
    context.setupError = error;
  }
});
test.after.each(() => {
  for (const subscriber of subscribers.splice(0)) subscriber.cancel();
});
test.after(async ({ running }) => {
  await running?.stop();
});

const attribute = (span: ReadableSpan, key: string) => span.attributes[key];
const settle = (client: Client, verb: 'Ack' | 'Nack' | 'Reject', subscription: string, receipt: string) =>
  client.call(client.subscriber, verb, { subscription, receipts: [receipt] });

/** Publishes one message inside a publisher span; answers the span and the message id. */
async function publishTraced(client: Client, topic: string) {
  const { span, result } = await asPublisher('publisher', (metadata) => publish(client, topic, [{ data: Buffer.from('hello') }], metadata));
  return { publisher: span, messageId: result.results[0]!.messageId };
}

test('a message nacked twice and then acked is one trace: publisher, publish, Redis write, three deliveries, three process spans', async ({
  client,
  setupError,
}) => {
  if (setupError) throw setupError;
  const { topic, subscriptions } = await topicWithSubscriptions(client!, [fast]);
  const subscription = subscriptions[0]!;
  const { publisher, messageId } = await publishTraced(client!, topic);
  const subscriber = new TestSubscriber(client!, subscription);
  subscribers.push(subscriber);
  const processes = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const delivery = (await subscriber.take(attempt))[attempt - 1]!;
    assert.is(delivery.deliveryAttempt, attempt);
    processes.push(processSpan(topic, delivery.message!));
    await settle(client!, attempt < 3 ? 'Nack' : 'Ack', subscription, delivery.receipt);
  }

  const tree = new TraceTree(exporter.getFinishedSpans(), traceId(publisher));
  const publishSpan = tree.one(`publish ${topic}`);
  assert.ok(tree.descends(publishSpan, tree.one('publisher')), `publish descends from the publisher's span:\n${tree.describe()}`);
  assert.is(attribute(publishSpan, 'messaging.system'), 'relay');
  assert.is(attribute(publishSpan, 'messaging.operation.type'), 'send');
  assert.is(attribute(publishSpan, 'messaging.destination.name'), topic);
  assert.is(attribute(publishSpan, 'messaging.message.id'), messageId);
  assert.is(attribute(publishSpan, 'messaging.message.body.size'), 5);
  const writes = tree.childrenOf(publishSpan).filter((span) => attribute(span, 'db.system') === 'redis' || attribute(span, 'db.system.name') === 'redis');
  assert.is(writes.length, 1, `one Redis write under publish:\n${tree.describe()}`);

  const deliveries = tree.named(`deliver ${topic}`).sort((a, b) => Number(attribute(a, 'messaging.relay.delivery.attempt')) - Number(attribute(b, 'messaging.relay.delivery.attempt')));
  assert.is(deliveries.length, 3, tree.describe());
  assert.equal(
    deliveries.map((span) => [
      attribute(span, 'messaging.relay.delivery.attempt'),
      attribute(span, 'messaging.relay.delivery.reason'),
      attribute(span, 'messaging.relay.settlement.outcome'),
    ]),
    [
      [1, 'first', 'nack'],
      [2, 'nack', 'nack'],
      [3, 'nack', 'ack'],
    ],
  );
  for (const [i, delivery] of deliveries.entries()) {
    assert.is(parentId(delivery), spanId(publishSpan), 'each delivery is a child of the publish span');
    assert.is(attribute(delivery, 'messaging.message.id'), messageId);
    assert.is(attribute(delivery, 'messaging.consumer.group.name'), subscription);
    assert.is(attribute(delivery, 'messaging.operation.type'), 'receive');
    // The delivery carried its own span's context, so the subscriber's process span is its child.
    assert.is(traceparentSpanId(subscriber.deliveries[i]!.message!.traceparent), spanId(delivery));
    assert.is(traceId(processes[i]!), traceId(publisher));
    assert.is(parentId(processes[i]!), spanId(delivery));
  }
  assert.is(tree.named(`process ${topic}`).length, 3);
});

test('a message nacked up to max attempts keeps its trace into the dead-letter topic: dead-lettering span, dead letter delivered as a child of publish', async ({
  client,
  setupError,
}) => {
  if (setupError) throw setupError;
  const dlq = await topicWithSubscriptions(client!, [{}]);
  const { topic, subscriptions } = await topicWithSubscriptions(client!, [{ ...fast, maxDeliveryAttempts: 2, deadLetterTopic: dlq.topic }]);
  const subscription = subscriptions[0]!;
  const { publisher } = await publishTraced(client!, topic);
  const subscriber = new TestSubscriber(client!, subscription);
  const dead = new TestSubscriber(client!, dlq.subscriptions[0]!);
  subscribers.push(subscriber, dead);
  for (let attempt = 1; attempt <= 2; attempt++) {
    const delivery = (await subscriber.take(attempt))[attempt - 1]!;
    processSpan(topic, delivery.message!);
    await settle(client!, 'Nack', subscription, delivery.receipt);
  }
  const [deadLetter] = await dead.take(1);
  assert.is(deadLetter!.message!.traceparent.split('-')[1], traceId(publisher), 'the dead letter carries the trace on');
  await settle(client!, 'Ack', dlq.subscriptions[0]!, deadLetter!.receipt);

  const tree = new TraceTree(exporter.getFinishedSpans(), traceId(publisher));
  const publishSpan = tree.one(`publish ${topic}`);
  const last = tree.named(`deliver ${topic}`).find((span) => attribute(span, 'messaging.relay.delivery.attempt') === 2);
  assert.ok(last, tree.describe());
  const deadLettering = tree.one(`dead_letter ${topic}`);
  assert.is(parentId(deadLettering), spanId(last!), `the dead-lettering span is a child of the last delivery:\n${tree.describe()}`);
  assert.is(attribute(deadLettering, 'messaging.relay.dead_letter.reason'), 'max-delivery-attempts');
  assert.is(attribute(deadLettering, 'messaging.relay.dead_letter.topic'), dlq.topic);
  const redelivered = tree.one(`deliver ${dlq.topic}`);
  assert.is(parentId(redelivered), spanId(publishSpan), 'the dead letter is delivered as a child of the original publish span');
  assert.is(attribute(redelivered, 'messaging.relay.settlement.outcome'), 'ack');
});

test('a rejected message gets a dead-lettering span under its delivery, with outcome reject', async ({ client, setupError }) => {
  if (setupError) throw setupError;
  const { topic, subscriptions } = await topicWithSubscriptions(client!, [{}]);
  const { publisher } = await publishTraced(client!, topic);
  const subscriber = new TestSubscriber(client!, subscriptions[0]!);
  subscribers.push(subscriber);
  const [delivery] = await subscriber.take(1);
  await settle(client!, 'Reject', subscriptions[0]!, delivery!.receipt);
  const tree = new TraceTree(exporter.getFinishedSpans(), traceId(publisher));
  const deliver = tree.one(`deliver ${topic}`);
  assert.is(attribute(deliver, 'messaging.relay.settlement.outcome'), 'reject');
  const deadLettering = tree.one(`dead_letter ${topic}`);
  assert.is(parentId(deadLettering), spanId(deliver));
  assert.is(attribute(deadLettering, 'messaging.relay.dead_letter.reason'), 'rejected');
  assert.is(attribute(deadLettering, 'messaging.relay.dead_letter.topic'), undefined, 'no dead-letter topic: dropped');
});

test('a batch publish is one publish span with a create span per message, the parent of that message’s deliveries; a closed stream ends its deliveries as stream_closed', async ({
  client,
  setupError,
}) => {
  if (setupError) throw setupError;
  const { topic, subscriptions } = await topicWithSubscriptions(client!, [{}]);
  const { span: publisher, result } = await asPublisher('publisher', (metadata) =>
    publish(client!, topic, [{ data: Buffer.from('a') }, { data: Buffer.from('bb') }], metadata),
  );
  const ids = result.results.map((outcome) => outcome.messageId);
  const first = new TestSubscriber(client!, subscriptions[0]!);
  await first.take(2);
  await first.close();
  const second = new TestSubscriber(client!, subscriptions[0]!);
  subscribers.push(second);
  const again = await second.take(2);
  for (const delivery of again) await settle(client!, 'Ack', subscriptions[0]!, delivery.receipt);

  const tree = new TraceTree(exporter.getFinishedSpans(), traceId(publisher));
  const publishSpan = tree.one(`publish ${topic}`);
  assert.is(attribute(publishSpan, 'messaging.batch.message_count'), 2);
  assert.is(attribute(publishSpan, 'messaging.message.id'), undefined, 'a batch span names no one message');
  const creates = tree.named(`create ${topic}`);
  assert.equal(
    creates.map((span) => [parentId(span), attribute(span, 'messaging.message.id'), attribute(span, 'messaging.message.body.size')]),
    ids.map((id, i) => [spanId(publishSpan), id, i + 1]),
    tree.describe(),
  );
  for (const [i, id] of ids.entries()) {
    const deliveries = tree.named(`deliver ${topic}`).filter((span) => attribute(span, 'messaging.message.id') === id);
    assert.ok(deliveries.every((span) => parentId(span) === spanId(creates[i]!)), tree.describe());
    assert.equal(
      deliveries.map((span) => [attribute(span, 'messaging.relay.delivery.reason'), attribute(span, 'messaging.relay.settlement.outcome')]).sort(),
      [
        ['consumer_lost', 'ack'],
        ['first', 'stream_closed'],
      ],
      tree.describe(),
    );
  }
});

test('a PublishStream request is a publish span under its own publisher’s span (its trace fields, else the stream’s metadata), the parent of its message’s deliveries', async ({
  client,
  setupError,
}) => {
  if (setupError) throw setupError;
  const { topic, subscriptions } = await topicWithSubscriptions(client!, [{}]);
  // The stream opens in one publisher's trace; its second request carries another's context.
  let stream: TestPublishStream | undefined;
  const { span: opener, result: first } = await asPublisher('opener', (metadata) => {
    stream = new TestPublishStream(client!, metadata);
    return stream.send({ topic, messages: [{ data: Buffer.from('one') }] });
  });
  const { span: other, result: second } = await asPublisher('other', (metadata) =>
    stream!.send({ topic, messages: [{ data: Buffer.from('two') }], traceparent: String(metadata.get('traceparent')[0]) }),
  );
  stream!.call.end();
  await stream!.ended;
  const subscriber = new TestSubscriber(client!, subscriptions[0]!);
  subscribers.push(subscriber);
  const deliveries = await subscriber.take(2);
  for (const delivery of deliveries) await settle(client!, 'Ack', subscriptions[0]!, delivery.receipt);

  for (const [publisher, answer] of [[opener, first], [other, second]] as const) {
    const id = answer.results[0]!.messageId;
    const tree = new TraceTree(exporter.getFinishedSpans(), traceId(publisher));
    const publishSpan = tree.one(`publish ${topic}`);
    assert.is(parentId(publishSpan), spanId(publisher), tree.describe());
    assert.is(attribute(publishSpan, 'messaging.message.id'), id);
    const deliverSpan = tree.one(`deliver ${topic}`);
    assert.is(parentId(deliverSpan), spanId(publishSpan), tree.describe());
    const delivery = deliveries.find((each) => each.message!.messageId === id)!;
    assert.is(traceparentSpanId(delivery.message!.traceparent), spanId(deliverSpan), 'the delivery carries its delivery span');
  }
});

test('a consume-transform-produce transaction keeps one trace: prepare and commit under the input’s process span, the output delivered as a child of prepare', async ({
  client,
  setupError,
}) => {
  if (setupError) throw setupError;
  const input = await topicWithSubscriptions(client!, [fast]);
  const output = await topicWithSubscriptions(client!, [fast]);
  const { publisher } = await publishTraced(client!, input.topic);
  const consumer = new TestSubscriber(client!, input.subscriptions[0]!);
  const reader = new TestSubscriber(client!, output.subscriptions[0]!);
  subscribers.push(consumer, reader);
  const [delivery] = await consumer.take(1);
  const processing = processSpan(input.topic, delivery!.message!);

  // The subscriber's calls carry its process span's context, as its gRPC instrumentation would.
  const metadata = new Metadata();
  metadata.set('traceparent', `00-${traceId(processing)}-${spanId(processing)}-01`);
  const { transactionId } = await client!.call<{ transactionId: string }>(
    client!.transactions,
    'Prepare',
    { messages: [{ topic: output.topic, data: Buffer.from('transformed') }], acks: [{ subscription: input.subscriptions[0], receipt: delivery!.receipt }] },
    metadata,
  );
  await client!.call(client!.transactions, 'Commit', { transactionId }, metadata);
  const [outputDelivery] = await reader.take(1);
  await settle(client!, 'Ack', output.subscriptions[0]!, outputDelivery!.receipt);

  const tree = new TraceTree(exporter.getFinishedSpans(), traceId(publisher));
  const prepare = tree.one('prepare');
  const commit = tree.one('commit');
  assert.ok(tree.descends(prepare, processing), `prepare descends from the process span:\n${tree.describe()}`);
  assert.ok(tree.descends(commit, processing), `commit descends from the process span:\n${tree.describe()}`);
  assert.is(attribute(prepare, 'messaging.relay.transaction.id'), transactionId);
  assert.is(attribute(commit, 'messaging.relay.transaction.id'), transactionId);
  assert.is(attribute(prepare, 'messaging.batch.message_count'), 1);
  assert.is(attribute(prepare, 'messaging.relay.transaction.ack_count'), 1);
  const deliveredOut = tree.one(`deliver ${output.topic}`);
  assert.is(parentId(deliveredOut), spanId(prepare), `the output's delivery is a child of prepare:\n${tree.describe()}`);
  assert.is(traceparentSpanId(outputDelivery!.message!.traceparent), spanId(deliveredOut));
});

test('abort is a span of its own, attributed with the transaction id', async ({ client, setupError }) => {
  if (setupError) throw setupError;
  const { topic } = await topicWithSubscriptions(client!, [fast]);
  const { span, result } = await asPublisher('aborter', (metadata) =>
    client!
      .call<{ transactionId: string }>(client!.transactions, 'Prepare', { messages: [{ topic, data: Buffer.from('never') }] }, metadata)
      .then(async ({ transactionId }) => {
        await client!.call(client!.transactions, 'Abort', { transactionId }, metadata);
        return transactionId;
      }),
  );
  const tree = new TraceTree(exporter.getFinishedSpans(), traceId(span));
  const abort = tree.one('abort');
  assert.ok(tree.descends(abort, tree.one('aborter')), tree.describe());
  assert.is(attribute(abort, 'messaging.relay.transaction.id'), result);
  assert.is(attribute(abort, 'messaging.operation.type'), 'settle');
});

test.run();
