// The real export path: a gateway process on a private Redis, told only by OTEL_* variables to export
// over OTLP/HTTP (protobuf) to a receiver on loopback; the receiver decodes what arrives and the test
// checks the span tree of one message nacked once and then acked.
import { Metadata } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, publish, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

interface Context {
  redis?: RedisServer;
  receiver?: OtlpReceiver;
  gateway?: GatewayProcess;
  client?: Client;
  setupError?: unknown;
}

const test = suite<Context>('tracing export');
const fast = { retryPolicy: { minimumBackoff: { nanos: 20_000_000 }, maximumBackoff: { nanos: 50_000_000 } } };

// uvu 0.5 swallows an error thrown by a before hook: keep it for the test to throw.
test.before(async (context) => {
  try {
    context.redis = await startRedisServer();
    context.receiver = await startOtlpReceiver();
    context.gateway = await startGateway({
      REDIS_URL: context.redis.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: context.receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    context.client = connect(context.gateway.address);
  } catch (error) {
    context.setupError = error;
  }
});

test.after(async (context) => {
  context.client?.close();
  await context.gateway?.stop();
  await context.receiver?.close();
  await context.redis?.stop();
});

test('a message nacked once and acked arrives over OTLP/HTTP as one trace: RPC, publish, Redis write, two deliveries', async ({
  client,
  receiver,
  gateway,
  setupError,
}) => {
  if (setupError) throw setupError;
  const { topic, subscriptions } = await topicWithSubscriptions(client!, [fast]);
  const subscription = subscriptions[0]!;
  // A publisher in any language: its span's context goes in the call's metadata.
  const traceId = randomBytes(16).toString('hex');
  const publisherSpanId = randomBytes(8).toString('hex');
  const metadata = new Metadata();
  metadata.set('traceparent', `00-${traceId}-${publisherSpanId}-01`);
  const { messageId } = (await publish(client!, topic, [{ data: Buffer.from('hello') }], metadata)).results[0]!;
  const subscriber = new TestSubscriber(client!, subscription);
  try {
    const [first] = await subscriber.take(1);
    await client!.call(client!.subscriber, 'Nack', { subscription, receipts: [first!.receipt] });
    const second = (await subscriber.take(2))[1]!;
    await client!.call(client!.subscriber, 'Ack', { subscription, receipts: [second.receipt] });

    const inTrace = (spans: ReceivedSpan[]) => spans.filter((span) => span.traceId === traceId);
    const settledDeliveries = (spans: ReceivedSpan[]) =>
      inTrace(spans).filter((span) => span.name === `deliver ${topic}` && span.attributes['messaging.relay.settlement.outcome']);
    try {
      await receiver!.until((spans) => settledDeliveries(spans).length === 2, 10_000, 'two settled deliveries');
    } catch (error) {
      throw new Error(`${(error as Error).message}\ngateway log:\n${gateway!.output()}`);
    }
    assert.ok(receiver!.contentTypes.every((type) => type.startsWith('application/x-protobuf')), receiver!.contentTypes.join());

    const spans = inTrace(receiver!.spans);
    const one = (name: string) => {
      const found = spans.filter((span) => span.name === name);
      assert.is(found.length, 1, `one ${name}: ${spans.map((span) => span.name).join(', ')}`);
      return found[0]!;
    };
    assert.ok(spans.every((span) => span.service === 'relay'), 'service.name defaults to relay');
    const rpc = one('grpc.relay.v1.PublisherService/Publish');
    assert.is(rpc.parentSpanId, publisherSpanId, "the Publish RPC's server span is the publisher's child");
    const publishSpan = one(`publish ${topic}`);
    assert.is(publishSpan.parentSpanId, rpc.spanId);
    assert.is(publishSpan.attributes['messaging.message.id'], messageId);
    assert.is(publishSpan.attributes['messaging.system'], 'relay');
    const writes = spans.filter((span) => span.parentSpanId === publishSpan.spanId && span.name === 'evalsha');
    assert.is(writes.length, 1, 'the Redis write is a child of publish');
    assert.is(writes[0]!.attributes['db.system.name'] ?? writes[0]!.attributes['db.system'], 'redis');

    const deliveries = settledDeliveries(receiver!.spans).sort(
      (a, b) => Number(a.attributes['messaging.relay.delivery.attempt']) - Number(b.attributes['messaging.relay.delivery.attempt']),
    );
    assert.equal(
      deliveries.map((span) => [
        span.parentSpanId === publishSpan.spanId,
        span.attributes['messaging.relay.delivery.attempt'],
        span.attributes['messaging.relay.delivery.reason'],
        span.attributes['messaging.relay.settlement.outcome'],
        span.attributes['messaging.consumer.group.name'],
      ]),
      [
        [true, 1, 'first', 'nack', subscription],
        [true, 2, 'nack', 'ack', subscription],
      ],
    );
    // Each delivery carried its own span's context.
    assert.equal(
      subscriber.deliveries.map((delivery) => delivery.message!.traceparent),
      deliveries.map((span) => `00-${traceId}-${span.spanId}-01`),
    );
  } finally {
    subscriber.cancel();
  }
});

test('without an OTLP endpoint nothing is traced and deliveries carry the stored publisher context', async () => {
  const gateway = await startGateway({ OTEL_BSP_SCHEDULE_DELAY: '100' });
  const client = connect(gateway.address);
  try {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{}]);
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const metadata = new Metadata();
    metadata.set('traceparent', traceparent);
    metadata.set('tracestate', 'vendor=1');
    await publish(client, topic, [{ data: Buffer.from('x') }], metadata);
    const subscriber = new TestSubscriber(client, subscriptions[0]!);
    const [delivery] = await subscriber.take(1);
    subscriber.cancel();
    assert.is(delivery!.message!.traceparent, traceparent);
    assert.is(delivery!.message!.tracestate, 'vendor=1');
  } finally {
    client.close();
    await gateway.stop();
  }
});

test('an unsupported OTEL_EXPORTER_OTLP_PROTOCOL stops the gateway at start with exit code 2', async () => {
  let failure = '';
  try {
    const gateway = await startGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    await gateway.stop();
  } catch (error) {
    failure = String(error);
  }
  assert.match(failure, /exited \(2\)/);
  assert.match(failure, /OTEL_EXPORTER_OTLP_PROTOCOL must be grpc or http\/protobuf/);
});

test.run();
