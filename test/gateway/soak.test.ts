// A soak: 10,000 messages through two gateway processes on one Redis, one SIGKILLed mid-run, with
// consumers that ack, nack, time out and disconnect at random. At the end every message is acked or
// dead-lettered as the policy says, none is lost, and nothing is left pending.
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Delivery__Output } from '../../generated/ts/relay/v1/Delivery.ts';
import { connect, publish, sleep, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const test = suite('soak');
const total = 10_000;
const maxAttempts = 5;

test('10,000 messages, 2 gateways (one SIGKILLed), random ack/nack/timeout/disconnect: all acked or dead-lettered, none lost', async () => {
  const redis = await startRedisServer(['--appendonly', 'yes']);
  const env = { REDIS_URL: redis.url, RELAY_POLL_INTERVAL_MS: '100' };
  const gateways: GatewayProcess[] = [];
  const clients: Client[] = [];
  const alive = () => clients.filter((_, i) => gateways[i]!.pid !== killedPid);
  let killedPid = -1;
  const consumers: TestSubscriber[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      gateways.push(await startGateway(env));
      clients.push(connect(gateways[i]!.address));
    }
    const [first] = clients as [Client, Client];
    const dlq = await topicWithSubscriptions(first, [{}]);
    const source = await topicWithSubscriptions(first, [
      {
        ackDeadline: { seconds: 1 },
        maxDeliveryAttempts: maxAttempts,
        deadLetterTopic: dlq.topic,
        retryPolicy: { minimumBackoff: { nanos: 10_000_000 }, maximumBackoff: { nanos: 50_000_000 } },
      },
    ]);
    const subscription = source.subscriptions[0]!;
    const published = new Set<string>();
    for (let i = 0; i < total; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => ({ data: Buffer.from(`m${i + j}`), idempotencyKey: `k${i + j}` }));
      for (const result of (await publish(clients[(i / 500) % 2]!, source.topic, batch)).results) published.add(result.messageId);
    }
    assert.is(published.size, total);

    const acked = new Set<string>();
    const outcomes = { ack: 0, nack: 0, timeout: 0, disconnect: 0, ackRetried: 0 };
    /** Acks through a live gateway; a receipt's ack is idempotent, so it is retried where the call failed. */
    const ack = async (deliveries: Delivery__Output[]) => {
      for (let tries = 0; tries < 20; tries++) {
        const client = alive()[tries % alive().length]!;
        try {
          const { results } = await client.call<{ results: string[] }>(client.subscriber, 'Ack', {
            subscription,
            receipts: deliveries.map((d) => d.receipt),
          });
          results.forEach((result, i) => result === 'SETTLEMENT_RESULT_OK' && acked.add(deliveries[i]!.message!.messageId));
          return;
        } catch {
          outcomes.ackRetried++;
          await sleep(100);
        }
      }
    };
    const consume = (client: Client) => {
      const consumer = new TestSubscriber(client, subscription, { maxOutstandingMessages: 200 });
      consumers.push(consumer);
      consumer.onDeliveries = (deliveries) => {
        const toAck: Delivery__Output[] = [];
        const toNack: string[] = [];
        for (const delivery of deliveries) {
          const roll = Math.random();
          if (roll < 0.65) toAck.push(delivery);
          else if (roll < 0.85) toNack.push(delivery.receipt);
          else outcomes.timeout++; // never settled: the lease runs out
        }
        outcomes.ack += toAck.length;
        outcomes.nack += toNack.length;
        if (toNack.length) consumer.send({ nackReceipts: toNack });
        if (toAck.length) void ack(toAck);
        if (Math.random() < 0.02) {
          // Goes away with what it holds, and comes back on a live gateway.
          outcomes.disconnect++;
          consumer.cancel();
          consume(alive()[Math.floor(Math.random() * alive().length)]!);
        }
      };
      // A broken stream (its gateway died) reconnects elsewhere.
      void consumer.until(() => consumer.error !== undefined, 120_000, 'stream error').then(
        () => !consumer.cancelled && consume(alive()[0]!),
        () => {},
      );
    };
    for (const client of [...clients, ...clients]) consume(client);

    const deadLettered = new Map<string, Delivery__Output>();
    const dlqReader = new TestSubscriber(clients[1]!, dlq.subscriptions[0]!);
    consumers.push(dlqReader);
    dlqReader.onDeliveries = (deliveries) => {
      for (const delivery of deliveries) deadLettered.set(delivery.message!.originalMessageId, delivery);
      dlqReader.ack(deliveries.map((d) => d.receipt));
    };

    const settled = () => acked.size + deadLettered.size;
    await dlqReader.until(() => settled() >= total / 3, 60_000, 'a third settled');
    killedPid = gateways[0]!.pid;
    assert.is(await gateways[0]!.kill(), 'SIGKILL');
    await dlqReader.until(() => settled() >= total, 120_000, `all settled (${settled()} so far)`);

    const lost = [...published].filter((id) => !acked.has(id) && !deadLettered.has(id));
    const both = [...acked].filter((id) => deadLettered.has(id));
    const badPolicy = [...deadLettered.values()].filter(
      (d) => d.message!.deadLetter!.reason !== 'max-delivery-attempts' || d.message!.deadLetter!.deliveryAttempts !== maxAttempts,
    );
    const stats = await clients[1]!.call<{ backlog: string; inFlight: string; deadLettered: string }>(clients[1]!.admin, 'GetSubscriptionStats', {
      subscription,
    });
    const pending = spawnSync('redis-cli', ['-p', String(redis.port), 'XPENDING', `relay:{${source.topic}}:stream`, subscription], {
      encoding: 'utf8',
    }).stdout.split('\n')[0];
    console.log(
      `soak: ${total} published, ${acked.size} acked, ${deadLettered.size} dead-lettered, ${lost.length} lost; ` +
        `deliveries handled: ${JSON.stringify(outcomes)}; Redis pending entries left: ${pending}`,
    );
    assert.equal(lost, [], 'none lost');
    assert.equal(both, [], 'none both acked and dead-lettered');
    assert.equal(badPolicy, [], 'dead-lettered only after max attempts');
    assert.equal([Number(stats.backlog), Number(stats.inFlight), Number(stats.deadLettered)], [0, 0, deadLettered.size]);
    assert.is(pending, '0', 'no pending entries left');
  } finally {
    for (const consumer of consumers) consumer.cancel();
    for (const client of clients) client.close();
    await Promise.all(gateways.map((gateway) => gateway.kill()));
    await redis.stop();
  }
});

test.run();
