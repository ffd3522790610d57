// Prometheus metrics scraped over HTTP from a gateway (in this process, real gRPC, memory store) with
// RELAY_METRICS_PORT set: counters, histograms and gauges move as messages flow.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { publish, TestSubscriber, topicWithSubscriptions } from '../helpers/client.ts';
import { startInProcess } from '../helpers/in-process.ts';
import { freePort } from '../helpers/redis-server.ts';

const test = suite('metrics');
const fast = { retryPolicy: { minimumBackoff: { nanos: 20_000_000 }, maximumBackoff: { nanos: 50_000_000 } } };
const memory = () => ({ store: new MemoryMessageStore(), cleanup: async () => {} });

/** The error a promise rejects with, as text ('' when it resolves). */
async function failure(promise: () => Promise<unknown>): Promise<string> {
  try {
    await promise();
  } catch (error) {
    return String((error as Error).cause ?? error);
  }
  return '';
}

/** Every sample of a Prometheus text exposition: `name{labels}` -> value. */
async function scrape(port: number): Promise<Map<string, number>> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.is(response.status, 200);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

/** The sample of `name` whose labels include all of `labels` (undefined when none). */
function sample(samples: Map<string, number>, name: string, labels: Record<string, string>): number | undefined {
  for (const [key, value] of samples) {
    if (!key.startsWith(`${name}{`) && key !== name) continue;
    if (Object.entries(labels).every(([label, wanted]) => key.includes(`${label}="${wanted}"`))) return value;
  }
  return undefined;
}

test('counters, latency histograms and subscription gauges follow publish, delivery, nack, ack and reject', async () => {
  const port = await freePort();
  const running = await startInProcess(memory(), { RELAY_METRICS_PORT: String(port) });
  const { client } = running;
  const subscribers: TestSubscriber[] = [];
  try {
    assert.is(running.gateway.metricsPort, port);
    const { topic, subscriptions } = await topicWithSubscriptions(client, [fast]);
    const subscription = subscriptions[0]!;
    const bySubscription = { messaging_consumer_group_name: subscription };
    const byTopic = { messaging_destination_name: topic };
    const before = await scrape(port);
    assert.is(sample(before, 'relay_messages_published_total', byTopic), undefined);

    await publish(client, topic, [{ data: Buffer.from('a') }, { data: Buffer.from('b') }, { data: Buffer.from('c') }]);
    const subscriber = new TestSubscriber(client, subscription, { maxOutstandingMessages: 3 });
    subscribers.push(subscriber);
    const [a, b, c] = await subscriber.take(3);
    // Held and unsettled: in flight on this gateway and in the store, the oldest aging.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const holding = await scrape(port);
    assert.is(sample(holding, 'relay_deliveries_in_flight', bySubscription), 3);
    assert.is(sample(holding, 'relay_subscription_in_flight', bySubscription), 3);
    assert.ok(sample(holding, 'relay_subscription_oldest_unacked_age', bySubscription)! >= 0.03);

    subscriber.ack([a!.receipt]);
    await client.call(client.subscriber, 'Ack', { subscription, receipts: [b!.receipt] });
    await client.call(client.subscriber, 'Nack', { subscription, receipts: [c!.receipt] });
    const [again] = (await subscriber.take(4)).slice(3);
    assert.is(again!.reason, 'DELIVERY_REASON_NACK');
    await client.call(client.subscriber, 'Reject', { subscription, receipts: [again!.receipt] });
    // Two more: one leased, one left in the backlog behind flow control (one outstanding at most).
    subscriber.send({ flowControl: { maxOutstandingMessages: 1 } });
    await publish(client, topic, [{ data: Buffer.from('d') }, { data: Buffer.from('e') }]);
    await subscriber.take(5);
    await subscriber.until(() => subscriber.deliveries.length === 5, 5000);

    const after = await scrape(port);
    assert.is(sample(after, 'relay_messages_published_total', byTopic), 5);
    assert.is(sample(after, 'relay_publish_duration_count', byTopic), 2);
    assert.is(sample(after, 'relay_publish_duration_bucket', { ...byTopic, le: '+Inf' }), 2);
    assert.is(sample(after, 'relay_messages_delivered_total', { ...bySubscription, messaging_relay_delivery_reason: 'first' }), 4);
    assert.is(sample(after, 'relay_messages_delivered_total', { ...bySubscription, messaging_relay_delivery_reason: 'nack' }), 1);
    assert.is(sample(after, 'relay_messages_acked_total', bySubscription), 2);
    assert.is(sample(after, 'relay_messages_nacked_total', bySubscription), 1);
    assert.is(sample(after, 'relay_messages_rejected_total', bySubscription), 1);
    assert.is(sample(after, 'relay_message_publish_to_ack_duration_count', bySubscription), 2);
    assert.is(sample(after, 'relay_message_publish_to_ack_duration_bucket', { ...bySubscription, le: '0.001' }), 0, 'acks came later than 1 ms');
    assert.is(sample(after, 'relay_message_publish_to_ack_duration_bucket', { ...bySubscription, le: '600' }), 2);
    assert.is(sample(after, 'relay_deliveries_in_flight', bySubscription), 1);
    assert.is(sample(after, 'relay_subscription_in_flight', bySubscription), 1);
    assert.is(sample(after, 'relay_subscription_backlog', bySubscription), 1);
    assert.is(sample(after, 'relay_subscription_dead_lettered', bySubscription), 1, 'rejected without a dead-letter topic: dropped and counted');

    const elsewhere = await fetch(`http://127.0.0.1:${port}/`);
    assert.is(elsewhere.status, 404);
  } finally {
    for (const subscriber of subscribers) subscriber.cancel();
    await running.stop();
  }
  const closed = await failure(() => fetch(`http://127.0.0.1:${port}/metrics`));
  assert.match(closed, /ECONNREFUSED|other side closed/, `the endpoint closes with the gateway: ${closed}`);
});

test('without RELAY_METRICS_PORT nothing is served', async () => {
  const running = await startInProcess(memory());
  try {
    assert.is(running.gateway.metricsPort, undefined);
  } finally {
    await running.stop();
  }
});

test('a taken metrics port fails the start', async () => {
  const first = await startInProcess(memory(), { RELAY_METRICS_PORT: String(await freePort()) });
  try {
    assert.match(await failure(() => startInProcess(memory(), { RELAY_METRICS_PORT: String(first.gateway.metricsPort) })), /EADDRINUSE/);
  } finally {
    await first.stop();
  }
});

test.run();
