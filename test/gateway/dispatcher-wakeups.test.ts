// When the dispatcher asks the store for deliveries: not after a settlement while the store has
// nothing new, and never missing news that arrives while a receive is under way. The poll interval is
// a minute, so only the store's notifications can deliver within these tests' timeouts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import type { Receipt, ReceiveRequest, ReceiveResult, Settlement } from '../../adapters/store.ts';
import { publish, sleep, TestSubscriber, topicWithSubscriptions } from '../helpers/client.ts';
import { startInProcess, type InProcessGateway } from '../helpers/in-process.ts';

/**
 * The memory store, counting receives, running `duringNextReceive` after the next one has its answer,
 * and taking `ackDelayMs` to apply an ack.
 */
class WatchedStore extends MemoryMessageStore {
  receives = 0;
  duringNextReceive: (() => Promise<void>) | undefined;
  ackDelayMs = 0;

  override async ack(subscription: string, receipts: readonly Receipt[]): Promise<Settlement[]> {
    await sleep(this.ackDelayMs);
    return super.ack(subscription, receipts);
  }

  override async receive(subscription: string, request: ReceiveRequest): Promise<ReceiveResult> {
    this.receives++;
    const result = await super.receive(subscription, request);
    const during = this.duringNextReceive;
    this.duringNextReceive = undefined;
    await during?.();
    return result;
  }
}

const test = suite<{ store: WatchedStore; running: InProcessGateway }>('dispatcher wake-ups');

test.before.each(async (context) => {
  context.store = new WatchedStore();
  context.running = await startInProcess({ store: context.store, cleanup: async () => {} }, { RELAY_POLL_INTERVAL_MS: '60000' });
});

test.after.each(async ({ running }) => {
  await running.stop();
});

test('an ack of the only message draws no receive: the store said it had no more', async ({ store, running }) => {
  const { topic, subscriptions } = await topicWithSubscriptions(running.client);
  const stream = new TestSubscriber(running.client, subscriptions[0]!);
  await publish(running.client, topic, [{ data: Buffer.from('only') }]);
  const [delivery] = await stream.take(1);
  await sleep(100);
  const before = store.receives;
  stream.ack([delivery!.receipt]);
  await sleep(300);
  assert.is(store.receives, before, 'no receive after the ack');
  await publish(running.client, topic, [{ data: Buffer.from('next') }]);
  await stream.take(2, 2000);
  stream.cancel();
});

test('a message published while a receive is under way is delivered at once, though that receive came back short', async ({ store, running }) => {
  const { topic, subscriptions } = await topicWithSubscriptions(running.client);
  const stream = new TestSubscriber(running.client, subscriptions[0]!);
  await stream.until(() => store.receives > 0, 2000, 'the first receive');
  await sleep(100);
  // The next receive comes back short after this message was published: its notification is news.
  store.duringNextReceive = async () => void (await store.publish(topic, [message('during')]));
  await publish(running.client, topic, [{ data: Buffer.from('wake') }]);
  const delivered = await stream.take(2, 2000);
  assert.equal(delivered.map((d) => d.message!.data.toString()).sort(), ['during', 'wake']);
  stream.cancel();
});

test('an ack frees its stream’s credit as it arrives, not once the store applied it', async ({ store, running }) => {
  const { topic, subscriptions } = await topicWithSubscriptions(running.client);
  const stream = new TestSubscriber(running.client, subscriptions[0]!, { maxOutstandingMessages: 1 });
  await publish(running.client, topic, [{ data: Buffer.from('a') }, { data: Buffer.from('b') }]);
  const [first] = await stream.take(1);
  store.ackDelayMs = 1500;
  const ackedAt = Date.now();
  stream.ack([first!.receipt]);
  await stream.take(2, 1000);
  assert.ok(Date.now() - ackedAt < 1000, 'the second delivery came while the ack was still being applied');
  stream.cancel();
});

function message(text: string) {
  return { data: Buffer.from(text), attributes: {}, orderingKey: '', idempotencyKey: '', traceparent: '', tracestate: '' };
}

test.run();
