// Transactions survive gateways killed at random moments: 50 SIGKILLs of the gateway that runs the
// transactions while a second one serves the consumers and takes the retries. Every input yields
// exactly one output on each of two topics (no torn transaction, no duplicate), and once finished
// transactions are forgotten no transaction key is left in Redis.
import { spawnSync } from 'node:child_process';
import { status, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Delivery__Output } from '../../generated/ts/relay/v1/Delivery.ts';
import { connect, publish, sleep, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const test = suite('transactions under SIGKILL');
const inputs = 1500;
const kills = 50;

test(`${kills} SIGKILLs during consume-transform-produce: no torn transactions, no duplicates, no keys left`, async () => {
  const redis = await startRedisServer(['--appendonly', 'yes']);
  const env = { REDIS_URL: redis.url, RELAY_POLL_INTERVAL_MS: '100', RELAY_FINISHED_TRANSACTION_TTL_MS: '3000' };
  const started: GatewayProcess[] = [];
  const clients: Client[] = [];
  const transactionKeys = () =>
    spawnSync('redis-cli', ['-p', String(redis.port), '--scan', '--pattern', 'relay:t*'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  let victim: { process: GatewayProcess; client: Client } | undefined;
  let stopKilling = false;
  try {
    const stable = await startGateway(env);
    started.push(stable);
    const stableClient = connect(stable.address);
    clients.push(stableClient);
    const restartVictim = async () => {
      const process = await startGateway(env);
      started.push(process);
      const client = connect(process.address);
      clients.push(client);
      victim = { process, client };
    };
    await restartVictim();
    const keysBefore = transactionKeys().filter((key) => key.startsWith('relay:txn') || key === 'relay:transaction-deadlines');

    const input = await topicWithSubscriptions(stableClient, [
      { ackDeadline: { seconds: 30 }, maxDeliveryAttempts: 0, retryPolicy: { minimumBackoff: { nanos: 50_000_000 }, maximumBackoff: { nanos: 200_000_000 } } },
    ]);
    const outputs = await Promise.all([0, 1].map(() => topicWithSubscriptions(stableClient)));
    for (let i = 0; i < inputs; i += 500) {
      await publish(stableClient, input.topic, Array.from({ length: 500 }, (_, j) => ({ data: Buffer.from(`in-${i + j}`) })));
    }

    /** Calls on the victim gateway, falling back to the stable one while the victim is down. */
    const call = async <T>(method: string, request: object): Promise<T> => {
      for (let tries = 0; ; tries++) {
        const client = tries % 2 === 0 && victim ? victim.client : stableClient;
        try {
          return await client.call<T>(client.transactions, method, request);
        } catch (error) {
          if ((error as ServiceError).code !== status.UNAVAILABLE || tries > 50) throw error;
          await sleep(20);
        }
      }
    };
    const outcomes = { committed: 0, aborted: 0 };
    const transform = async (delivery: Delivery__Output) => {
      const id = `t-${delivery.message!.messageId}-${delivery.deliveryAttempt}`;
      const messages = outputs.map(({ topic }) => ({ topic, data: Buffer.from('out'), attributes: { input: delivery.message!.messageId } }));
      await call('Prepare', { transactionId: id, messages, acks: [{ subscription: input.subscriptions[0], receipt: delivery.receipt }], timeout: { seconds: 5 } });
      try {
        await call('Commit', { transactionId: id });
        outcomes.committed++;
      } catch (error) {
        // Expired while its gateway was down: the input comes again and gets a new transaction.
        if ((error as ServiceError).code !== status.ABORTED) throw error;
        outcomes.aborted++;
      }
    };
    const consumer = new TestSubscriber(stableClient, input.subscriptions[0]!, { maxOutstandingMessages: 50 });
    const failures: unknown[] = [];
    consumer.onDeliveries = (deliveries) => deliveries.forEach((delivery) => transform(delivery).catch((error) => failures.push(error)));
    const readers = outputs.map(({ subscriptions }) => new TestSubscriber(stableClient, subscriptions[0]!, { maxOutstandingMessages: 5000 }));
    for (const reader of readers) reader.onDeliveries = (deliveries) => reader.ack(deliveries.map((d) => d.receipt));

    let killed = 0;
    const killer = (async () => {
      while (killed < kills && !stopKilling) {
        await sleep(50 + Math.random() * 200);
        const { process } = victim!;
        victim = undefined;
        await process.kill();
        killed++;
        await restartVictim();
      }
    })();
    await readers[0]!.until(() => readers.every((reader) => reader.deliveries.length >= inputs) && killed >= kills, 180_000, 'all outputs and all kills');
    await killer;
    await sleep(1000);
    consumer.cancel();
    for (const reader of readers) reader.cancel();

    console.log(`transactions under SIGKILL: ${killed} kills, ${JSON.stringify(outcomes)}, outputs ${readers.map((r) => r.deliveries.length)}`);
    assert.equal(failures.map(String), []);
    for (const reader of readers) {
      const perInput = new Map<string, number>();
      for (const delivery of reader.deliveries) perInput.set(delivery.message!.attributes.input!, (perInput.get(delivery.message!.attributes.input!) ?? 0) + 1);
      assert.is(perInput.size, inputs, 'every input produced its output on this topic (no torn transaction)');
      assert.equal([...perInput].filter(([, n]) => n > 1), [], 'no duplicates');
    }
    // Finished transactions are remembered 3 s, expired ones are swept: then nothing remains.
    const deadline = Date.now() + 15_000;
    let left = transactionKeys().filter((key) => key.startsWith('relay:txn') || key === 'relay:transaction-deadlines');
    while (left.length > keysBefore.length && Date.now() < deadline) {
      await sleep(250);
      left = transactionKeys().filter((key) => key.startsWith('relay:txn') || key === 'relay:transaction-deadlines');
    }
    assert.equal(left, keysBefore, 'no transaction keys left behind');
  } finally {
    stopKilling = true;
    for (const client of clients) client.close();
    await Promise.all(started.map((process) => process.kill()));
    await redis.stop();
  }
});

test.run();
