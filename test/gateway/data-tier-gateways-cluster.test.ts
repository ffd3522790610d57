import { status } from '@grpc/grpc-js';
import * as assert from 'uvu/assert';
import { publish, statusOf, TestSubscriber, topicWithSubscriptions } from '../helpers/client.ts';
import { startRedisCluster } from '../helpers/redis-cluster.ts';
import { defineGatewaysSuite } from './data-tier-gateways-suite.ts';

const test = defineGatewaysSuite('a 3-master Redis Cluster', async () => {
  const cluster = await startRedisCluster(3);
  return { env: { REDIS_URL: cluster.url, RELAY_REDIS_CLUSTER_NODES: cluster.addresses.join(',') }, stop: () => cluster.stop() };
});

test('a message rejected through one gateway reaches its dead-letter topic, in another slot, for a subscriber on another gateway', async ({ clients }) => {
  const [a, b] = clients as [(typeof clients)[0], (typeof clients)[0]];
  const dlq = await topicWithSubscriptions(a);
  const source = await topicWithSubscriptions(a, [{ deadLetterTopic: dlq.topic }]);
  await publish(a, source.topic, [{ data: Buffer.from('poison'), attributes: { kind: 'test' } }]);
  const consumer = new TestSubscriber(a, source.subscriptions[0]!);
  const dlqReader = new TestSubscriber(b, dlq.subscriptions[0]!);
  try {
    const [delivery] = await consumer.take(1);
    await a.call(a.subscriber, 'Reject', { subscription: source.subscriptions[0], receipts: [delivery!.receipt], reason: 'bad input' });
    const [dead] = await dlqReader.take(1, 10_000);
    assert.is(dead!.message!.data.toString(), 'poison');
    assert.equal(dead!.message!.attributes, { kind: 'test' });
    assert.is(dead!.message!.originalMessageId, delivery!.message!.messageId);
    assert.is(dead!.message!.deadLetter!.reason, 'bad input');
  } finally {
    consumer.cancel();
    dlqReader.cancel();
  }
});

test('Prepare, Commit and Abort answer UNIMPLEMENTED: one atomic step cannot span the slots', async ({ clients }) => {
  const client = clients[0]!;
  const { topic } = await topicWithSubscriptions(client);
  const prepare = client.call(client.transactions, 'Prepare', { transactionId: 'tx-1', messages: [{ topic, data: Buffer.from('x') }] });
  assert.is(await statusOf(prepare), status.UNIMPLEMENTED);
  assert.is(await statusOf(client.call(client.transactions, 'Commit', { transactionId: 'tx-1' })), status.UNIMPLEMENTED);
  assert.is(await statusOf(client.call(client.transactions, 'Abort', { transactionId: 'tx-1' })), status.UNIMPLEMENTED);
});

test.run();
