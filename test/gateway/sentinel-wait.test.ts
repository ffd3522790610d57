// RELAY_REDIS_WAIT_REPLICAS=1: a publish or commit is confirmed only once the replica has it. With
// the replica frozen (SIGSTOP) the call answers UNAVAILABLE after RELAY_REDIS_WAIT_TIMEOUT_MS; what it
// wrote is stored all the same, so the client's retry answers it as a duplicate (or the same ids).
import { status, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, publish, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startRedisSentinel, type RedisSentinelSetup } from '../helpers/redis-sentinel.ts';

const WAIT_TIMEOUT_MS = 500;

interface Context {
  sentinel: RedisSentinelSetup;
  gateways: GatewayProcess[];
  /** A client of the first gateway, and one of a second on the same Redis. */
  client: Client;
  other: Client;
}

const test = suite<Context>('WAIT for replicas', {} as never);

test.before(async (context) => {
  context.sentinel = await startRedisSentinel();
  const env = {
    REDIS_URL: 'redis://sentinel',
    RELAY_REDIS_SENTINELS: context.sentinel.sentinels.join(','),
    RELAY_REDIS_SENTINEL_NAME: context.sentinel.name,
    RELAY_REDIS_WAIT_REPLICAS: '1',
    RELAY_REDIS_WAIT_TIMEOUT_MS: String(WAIT_TIMEOUT_MS),
  };
  context.gateways = [await startGateway(env), await startGateway(env)];
  context.client = connect(context.gateways[0]!.address);
  context.other = connect(context.gateways[1]!.address);
});

test.after(async ({ sentinel, gateways, client, other }) => {
  client?.close();
  other?.close();
  await Promise.all((gateways ?? []).map((gateway) => gateway.kill()));
  await sentinel?.stop();
});

/** Runs `during` with the replica frozen; it always thaws again. */
async function withReplicaStopped<T>(sentinel: RedisSentinelSetup, during: () => Promise<T>): Promise<T> {
  const replica = await sentinel.replica();
  process.kill(replica.pid, 'SIGSTOP');
  try {
    return await during();
  } finally {
    process.kill(replica.pid, 'SIGCONT');
  }
}

async function timed<T>(call: Promise<T>): Promise<{ error: ServiceError | undefined; value: T | undefined; ms: number }> {
  const started = Date.now();
  try {
    const value = await call;
    return { error: undefined, value, ms: Date.now() - started };
  } catch (error) {
    return { error: error as ServiceError, value: undefined, ms: Date.now() - started };
  }
}

test('with the replica up, a publish is confirmed', async ({ client }) => {
  const { topic } = await topicWithSubscriptions(client);
  const { error, value } = await timed(publish(client, topic, [{ data: Buffer.from('replicated'), idempotencyKey: 'one' }]));
  assert.is(error, undefined);
  assert.is(value!.results[0]!.duplicate, false);
});

test('with the replica stopped, a publish answers UNAVAILABLE after the wait timeout; stored all the same, its retry is a duplicate', async ({
  sentinel,
  client,
}) => {
  const { topic, subscriptions } = await topicWithSubscriptions(client);
  const message = { data: Buffer.from('stored while the replica slept'), idempotencyKey: 'retried' };
  const first = await withReplicaStopped(sentinel, () => timed(publish(client, topic, [message])));
  assert.is(first.error?.code, status.UNAVAILABLE, `answered ${first.error?.code ?? 'OK'}`);
  assert.match(first.error!.details, /0 of 1 replicas acknowledged it within 500 ms/);
  assert.ok(first.ms >= WAIT_TIMEOUT_MS - 10, `answered after ${first.ms} ms, before the timeout`);
  assert.ok(first.ms < WAIT_TIMEOUT_MS + 10_000, `answered after ${first.ms} ms`);

  const retry = await timed(publish(client, topic, [message]));
  assert.is(retry.error, undefined, retry.error?.message);
  assert.is(retry.value!.results[0]!.duplicate, true, 'the first attempt had stored it');

  const subscriber = new TestSubscriber(client, subscriptions[0]!);
  const [delivery] = await subscriber.take(1, 10_000);
  assert.is(delivery!.message!.messageId, retry.value!.results[0]!.messageId);
  assert.is(delivery!.message!.data.toString(), message.data.toString());
  subscriber.cancel();
});

test('a retry through another gateway is confirmed only once the replica has what the first one stored', async ({ sentinel, client, other }) => {
  // The other gateway's connection has writes of its own, acknowledged by the replica (WAIT).
  const { topic } = await topicWithSubscriptions(other);
  await publish(other, topic, [{ data: Buffer.from('replicated') }]);
  const message = { data: Buffer.from('stored through the first gateway'), idempotencyKey: 'elsewhere' };
  await withReplicaStopped(sentinel, async () => {
    const first = await timed(publish(client, topic, [message]));
    assert.is(first.error?.code, status.UNAVAILABLE, `answered ${first.error?.code ?? 'OK'}`);
    const retry = await timed(publish(other, topic, [message]));
    assert.is(retry.error?.code, status.UNAVAILABLE, 'a duplicate was confirmed while its original was on the primary only');
  });
  const after = await publish(other, topic, [message]);
  assert.is(after.results[0]!.duplicate, true);
});

test('with the replica stopped, Commit answers UNAVAILABLE; a repeated Commit answers the same ids', async ({ sentinel, client }) => {
  const { topic, subscriptions } = await topicWithSubscriptions(client);
  const { transactionId } = await client.call<{ transactionId: string }>(client.transactions, 'Prepare', {
    messages: [
      { topic, data: Buffer.from('a') },
      { topic, data: Buffer.from('b') },
    ],
  });
  const commit = () => client.call<{ messageIds: string[] }>(client.transactions, 'Commit', { transactionId });
  const first = await withReplicaStopped(sentinel, () => timed(commit()));
  assert.is(first.error?.code, status.UNAVAILABLE, `answered ${first.error?.code ?? 'OK'}`);
  assert.ok(first.ms >= WAIT_TIMEOUT_MS - 10, `answered after ${first.ms} ms, before the timeout`);

  const again = await commit();
  assert.is(again.messageIds.length, 2);
  const subscriber = new TestSubscriber(client, subscriptions[0]!);
  const deliveries = await subscriber.take(2, 10_000);
  assert.equal(
    deliveries.map((delivery) => delivery.message!.messageId),
    again.messageIds,
  );
  subscriber.cancel();
});

test.run();
