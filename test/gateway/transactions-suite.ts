// Transactions through real gRPC, against a gateway on each store: atomic multi-topic publish,
// consume-transform-produce exactly once, and the ABORTED / idempotency rules.
import { status } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Delivery__Output } from '../../generated/ts/relay/v1/Delivery.ts';
import { publish, sleep, statusOf, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startInProcess, type InProcessGateway, type StoreFixture } from '../helpers/in-process.ts';

interface Context {
  running: InProcessGateway;
  client: Client;
}

export function defineTransactionsSuite(name: string, makeStore: () => Promise<StoreFixture>) {
  const test = suite<Context>(`transactions on ${name}`);
  const subscribers: TestSubscriber[] = [];
  const open = (client: Client, subscription: string, flow?: { maxOutstandingMessages?: number }) => {
    const subscriber = new TestSubscriber(client, subscription, flow);
    subscribers.push(subscriber);
    return subscriber;
  };

  test.before(async (context) => {
    context.running = await startInProcess(await makeStore(), { RELAY_POLL_INTERVAL_MS: '100' });
    context.client = context.running.client;
  });
  test.after.each(() => {
    for (const subscriber of subscribers.splice(0)) subscriber.cancel();
  });
  test.after(async ({ running }) => {
    await running.stop();
  });

  const prepare = (client: Client, request: object) =>
    client.call<{ transactionId: string; expireTime: { seconds: string } }>(client.transactions, 'Prepare', request);
  const commit = (client: Client, transactionId: string) =>
    client.call<{ messageIds: string[] }>(client.transactions, 'Commit', { transactionId });
  const abort = (client: Client, transactionId: string) => client.call(client.transactions, 'Abort', { transactionId });

  test('1,000 transactions of 2-5 messages over 3 topics: every subscription sees each committed one whole and contiguous, aborted ones never', async ({
    client,
  }) => {
    const topics = await Promise.all([0, 1, 2].map(() => topicWithSubscriptions(client)));
    const readers = topics.map(({ subscriptions }) => open(client, subscriptions[0]!, { maxOutstandingMessages: 5000 }));
    for (const reader of readers) reader.onDeliveries = (deliveries) => reader.ack(deliveries.map((d) => d.receipt));
    const expected = topics.map(() => new Map<string, number>());
    const aborted = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        const n = next++;
        const size = 2 + (n % 4);
        const messages = Array.from({ length: size }, (_, i) => ({ topic: topics[(n + i) % 3]!.topic, data: Buffer.from(`t${n}:${i}`) }));
        const { transactionId } = await prepare(client, {
          messages: messages.map((m) => ({ ...m, attributes: { txn: String(n), count: String(messages.filter((o) => o.topic === m.topic).length) } })),
        });
        if (n % 5 === 0) {
          await abort(client, transactionId);
          aborted.add(String(n));
          continue;
        }
        await commit(client, transactionId);
        messages.forEach((m) => {
          const index = topics.findIndex((t) => t.topic === m.topic);
          expected[index]!.set(String(n), (expected[index]!.get(String(n)) ?? 0) + 1);
        });
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    const totals = expected.map((map) => [...map.values()].reduce((a, b) => a + b, 0));
    await Promise.all(readers.map((reader, i) => reader.until(() => reader.deliveries.length >= totals[i]!, 20_000, `topic ${i} complete`)));
    await sleep(300);
    readers.forEach((reader, i) => {
      assert.is(reader.deliveries.length, totals[i], 'nothing extra (no aborted transaction visible)');
      // Each transaction's messages of this topic arrive together, all of them.
      const runs: { txn: string; length: number }[] = [];
      for (const delivery of reader.deliveries) {
        const txn = delivery.message!.attributes.txn!;
        assert.not.ok(aborted.has(txn), `aborted transaction ${txn} is invisible`);
        const last = runs[runs.length - 1];
        if (last?.txn === txn) last.length++;
        else runs.push({ txn, length: 1 });
      }
      const seen = new Set<string>();
      for (const run of runs) {
        assert.not.ok(seen.has(run.txn), `transaction ${run.txn} arrived in one piece`);
        seen.add(run.txn);
        assert.is(run.length, expected[i]!.get(run.txn), `all of transaction ${run.txn}'s messages for this topic`);
      }
      assert.is(seen.size, expected[i]!.size);
    });
  });

  test('consume-transform-produce: 5,000 inputs, random aborts and timeouts, exactly one output per input', async ({ client }) => {
    // Never dead-lettered: with 15% failed attempts, five in a row happen about once in 3 runs.
    const input = await topicWithSubscriptions(client, [
      {
        ackDeadline: { seconds: 10 },
        maxDeliveryAttempts: 0,
        retryPolicy: { minimumBackoff: { nanos: 10_000_000 }, maximumBackoff: { nanos: 50_000_000 } },
      },
    ]);
    const output = await topicWithSubscriptions(client);
    const total = 5000;
    for (let i = 0; i < total; i += 1000) {
      await publish(client, input.topic, Array.from({ length: 1000 }, (_, j) => ({ data: Buffer.from(`in-${i + j}`) })));
    }
    const outcomes = { committed: 0, aborted: 0, timedOut: 0 };
    const consumer = open(client, input.subscriptions[0]!, { maxOutstandingMessages: 200 });
    const transform = async (delivery: Delivery__Output) => {
      const roll = Math.random();
      const { transactionId } = await prepare(client, {
        messages: [{ topic: output.topic, data: Buffer.from(`out-${delivery.message!.data}`), attributes: { input: delivery.message!.messageId } }],
        acks: [{ subscription: input.subscriptions[0], receipt: delivery.receipt }],
        timeout: { seconds: 1 },
      });
      if (roll < 0.05) {
        outcomes.timedOut++; // never committed: it expires, and the input comes again
      } else if (roll < 0.15) {
        outcomes.aborted++;
        await abort(client, transactionId);
      } else {
        outcomes.committed++;
        await commit(client, transactionId);
      }
    };
    consumer.onDeliveries = (deliveries) => deliveries.forEach((delivery) => void transform(delivery));
    const reader = open(client, output.subscriptions[0]!, { maxOutstandingMessages: 10_000 });
    reader.onDeliveries = (deliveries) => reader.ack(deliveries.map((d) => d.receipt));
    try {
      await reader.until(() => reader.deliveries.length >= total, 30_000, 'one output per input');
    } catch (error) {
      const produced = new Set(reader.deliveries.map((d) => d.message!.attributes.input!));
      const missing = consumer.deliveries.filter((d) => !produced.has(d.message!.messageId));
      for (const d of missing.slice(0, 3)) {
        console.log('input without output:', d.message!.messageId, d.deliveryAttempt, d.reason, JSON.stringify(await client.call(client.admin, 'InspectMessage', { topic: input.topic, messageId: d.message!.messageId })));
      }
      console.log('input subscription stats:', JSON.stringify(await client.call(client.admin, 'GetSubscriptionStats', { subscription: input.subscriptions[0] })));
      throw error;
    }
    await sleep(1500);
    const perInput = new Map<string, number>();
    for (const delivery of reader.deliveries) {
      const id = delivery.message!.attributes.input!;
      perInput.set(id, (perInput.get(id) ?? 0) + 1);
    }
    const duplicates = [...perInput].filter(([, count]) => count > 1);
    console.log(`consume-transform-produce: ${JSON.stringify(outcomes)}, ${reader.deliveries.length} outputs for ${total} inputs`);
    assert.is(perInput.size, total, 'every input produced an output');
    assert.equal(duplicates, [], 'no input produced two');
    assert.ok(outcomes.aborted > 0 && outcomes.timedOut > 0, 'aborts and timeouts happened');
  });

  test('Commit twice answers the same ids; Abort twice is OK; Commit after Abort is ABORTED, Abort after Commit FAILED_PRECONDITION', async ({
    client,
  }) => {
    const { topic } = await topicWithSubscriptions(client);
    const { transactionId } = await prepare(client, { messages: [{ topic, data: Buffer.from('a') }, { topic, data: Buffer.from('b') }] });
    const first = await commit(client, transactionId);
    assert.equal(await commit(client, transactionId), first);
    assert.is(await statusOf(abort(client, transactionId)), status.FAILED_PRECONDITION);
    const other = await prepare(client, { messages: [{ topic, data: Buffer.from('c') }] });
    await abort(client, other.transactionId);
    await abort(client, other.transactionId);
    assert.is(await statusOf(commit(client, other.transactionId)), status.ABORTED);
    assert.is(await statusOf(commit(client, 'no-such-transaction')), status.NOT_FOUND);
  });

  test('a client-chosen id makes Prepare safe to retry: one transaction, staged once', async ({ client }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    const request = { transactionId: `retry-${Date.now()}`, messages: [{ topic, data: Buffer.from('once') }] };
    const first = await prepare(client, request);
    const again = await prepare(client, request);
    assert.equal(again, first);
    await commit(client, request.transactionId);
    const reader = open(client, subscriptions[0]!);
    await reader.take(1);
    await sleep(200);
    assert.is(reader.deliveries.length, 1);
  });

  test('a stale receipt makes Commit ABORTED and applies nothing', async ({ client }) => {
    const input = await topicWithSubscriptions(client, [{ ackDeadline: { seconds: 1 }, retryPolicy: { minimumBackoff: { nanos: 10_000_000 } } }]);
    const output = await topicWithSubscriptions(client);
    await publish(client, input.topic, [{ data: Buffer.from('x') }, { data: Buffer.from('y') }]);
    const consumer = open(client, input.subscriptions[0]!);
    const [x, y] = await consumer.take(2);
    // x's receipt goes stale: acked elsewhere first.
    await client.call(client.subscriber, 'Ack', { subscription: input.subscriptions[0], receipts: [x!.receipt] });
    const { transactionId } = await prepare(client, {
      messages: [{ topic: output.topic, data: Buffer.from('out') }],
      acks: [
        { subscription: input.subscriptions[0], receipt: x!.receipt },
        { subscription: input.subscriptions[0], receipt: y!.receipt },
      ],
    });
    const error = await commit(client, transactionId).catch((e) => e);
    assert.is(error.code, status.ABORTED);
    assert.match(error.details, /no longer current/);
    const reader = open(client, output.subscriptions[0]!);
    await sleep(300);
    assert.is(reader.deliveries.length, 0, 'no output');
    const [, , again] = await consumer.take(3, 5000);
    assert.is(again!.message!.messageId, y!.message!.messageId, 'y was not acked: it comes again');
  });

  test('Commit after the timeout is ABORTED; the consumed message comes again as after a nack', async ({ client }) => {
    const input = await topicWithSubscriptions(client, [{ retryPolicy: { minimumBackoff: { nanos: 10_000_000 } } }]);
    const output = await topicWithSubscriptions(client);
    await publish(client, input.topic, [{ data: Buffer.from('x') }]);
    const consumer = open(client, input.subscriptions[0]!);
    const [x] = await consumer.take(1);
    const { transactionId } = await prepare(client, {
      messages: [{ topic: output.topic, data: Buffer.from('out') }],
      acks: [{ subscription: input.subscriptions[0], receipt: x!.receipt }],
      timeout: { seconds: 1 },
    });
    const [, again] = await consumer.take(2, 5000);
    assert.is(again!.reason, 'DELIVERY_REASON_NACK');
    const error = await commit(client, transactionId).catch((e) => e);
    assert.is(error.code, status.ABORTED);
    assert.match(error.details, /expired/);
  });

  test('bad transaction input is INVALID_ARGUMENT or NOT_FOUND', async ({ client }) => {
    const { topic } = await topicWithSubscriptions(client);
    assert.is(await statusOf(prepare(client, {})), status.INVALID_ARGUMENT);
    assert.is(await statusOf(prepare(client, { messages: [{ topic: 'no-such-topic', data: Buffer.from('x') }] })), status.NOT_FOUND);
    assert.is(await statusOf(prepare(client, { messages: [{ topic, data: Buffer.from('x') }], timeout: { seconds: 901 } })), status.INVALID_ARGUMENT);
    assert.is(await statusOf(prepare(client, { messages: [{ topic, data: Buffer.from('x') }], transactionId: 'a b' })), status.INVALID_ARGUMENT);
    assert.is(
      await statusOf(prepare(client, { acks: [{ subscription: 'no-such-sub', receipt: 'no-such-sub/1-0/1' }] })),
      status.NOT_FOUND,
    );
    assert.is(await statusOf(prepare(client, { acks: [{ subscription: 'sub', receipt: 'garbage' }] })), status.INVALID_ARGUMENT);
    assert.is(await statusOf(commit(client, '')), status.INVALID_ARGUMENT);
  });

  return test;
}
