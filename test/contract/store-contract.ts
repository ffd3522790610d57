// The one behaviour every MessageStore must have. Each adapter's test file calls defineStoreContract;
// a test that passes on one adapter and fails on another is a bug in the adapter, not in this file.
// Tests share one store, so each works in its own names (`t-${randomUUID()}`) and never assumes an
// empty store. Timing checks are one-sided ("not before X") or read the store's own due times
// (nextDueMs), so a loaded machine makes them slower, never red.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  StoreError,
  type Delivery,
  type MessageStore,
  type OutgoingMessage,
  type ReceiveRequest,
  type ReceiveResult,
  type StagedAck,
  type StagedMessage,
  type StoreErrorCode,
  type SubscriptionConfig,
  type TopicConfig,
} from '../../adapters/store.ts';

export interface StoreFixture {
  readonly store: MessageStore;
  cleanup(): Promise<void>;
}

/** A store running on a server of the test's own: cleanup closes the store, then stops the server. */
export function storeOn(store: MessageStore, stopServer: () => Promise<void>): StoreFixture {
  return {
    store,
    cleanup: async () => {
      await store.close();
      await stopServer();
    },
  };
}

/** Settings a test may ask of a store of its own; every adapter takes them under these names. */
export interface StoreOptions {
  /** Passed on to the store; its own default when absent. */
  readonly finishedTransactionTtlMs?: number;
}

/** What a store cannot do in its deployment, as documented (README); the contract checks the documented answer instead. */
export interface StoreLimits {
  /** 'unimplemented': prepare, commit and abort throw unimplemented (transactions on a Redis Cluster). */
  readonly transactions?: 'atomic' | 'unimplemented';
}

/** How long a poll waits for something that should happen soon; generous for a loaded 2-core machine. */
const EVENTUALLY_MS = 5_000;
/** Tolerated difference between the store's clock and ours (Redis may use its own TIME). */
const CLOCK_SLACK_MS = 10;
/**
 * Time for a new watch to take effect before the test relies on it. watch() cannot be awaited, and an
 * adapter listening over the network (Redis pub/sub) subscribes asynchronously; a gateway re-polls
 * after watching, so a watch that starts a moment late loses nothing.
 */
const WATCH_SETTLE_MS = 100;

/** What the gateway fills in when a topic is created without them. */
const TOPIC_DEFAULTS = {
  dedupWindowMs: 60_000,
  retentionMs: 7 * 24 * 3_600_000,
  retentionMessages: 0,
  maxBacklogMessages: 0,
  maxBacklogAgeMs: 0,
} as const;
/** A subscription's settings other than name, topic, ack deadline and start position, unless a test says otherwise. */
const SUBSCRIPTION_DEFAULTS = {
  minBackoffMs: 100,
  maxBackoffMs: 1_000,
  maxDeliveryAttempts: 0,
  deadLetterTopic: '',
  ordering: false,
} as const;

export function defineStoreContract(
  name: string,
  makeStore: (options?: StoreOptions) => Promise<StoreFixture>,
  limits: StoreLimits = {},
): void {
  // One store for every suite: made in the first suite's before hook, cleaned in the last one's after.
  let fixture: StoreFixture | undefined;
  let store!: MessageStore;
  const suites: ReturnType<typeof suite>[] = [];
  const newSuite = (title: string) => {
    const s = suite(`${name} store: ${title}`);
    s.before(async () => {
      fixture ??= await makeStore();
      store = fixture.store;
    });
    suites.push(s);
    return s;
  };

  // ---------------------------------------------------------------- helpers using the shared store

  const uniqueName = () => `t-${randomUUID()}`;

  async function createTopic(options: Partial<Omit<TopicConfig, 'createTimeMs'>> = {}): Promise<string> {
    const topic = await store.createTopic(topicSettings(uniqueName(), options));
    return topic.name;
  }

  async function createSubscription(
    topic: string,
    options: Partial<Omit<SubscriptionConfig, 'createTimeMs' | 'topic'>> = {},
  ): Promise<string> {
    const subscription = await store.createSubscription({
      name: uniqueName(),
      topic,
      ackDeadlineMs: 10_000,
      startPosition: 'earliest',
      ...SUBSCRIPTION_DEFAULTS,
      ...options,
    });
    return subscription.name;
  }

  async function topicWithSubscription(
    options: Partial<Omit<SubscriptionConfig, 'createTimeMs' | 'topic'>> = {},
  ): Promise<{ topic: string; subscription: string }> {
    const topic = await createTopic();
    return { topic, subscription: await createSubscription(topic, options) };
  }

  async function receive(subscription: string, request: Partial<ReceiveRequest> = {}): Promise<ReceiveResult> {
    return store.receive(subscription, {
      consumer: 'consumer-a',
      maxMessages: 100,
      maxBytes: 10 * 1024 * 1024,
      allowOneOversized: true,
      ...request,
    });
  }

  /** Receives until at least one delivery arrives; fails after EVENTUALLY_MS. */
  async function receiveEventually(subscription: string, request: Partial<ReceiveRequest> = {}): Promise<Delivery[]> {
    const deadline = Date.now() + EVENTUALLY_MS;
    for (;;) {
      const { deliveries } = await receive(subscription, request);
      if (deliveries.length > 0) return deliveries;
      if (Date.now() > deadline) assert.unreachable(`nothing became receivable on ${subscription} within ${EVENTUALLY_MS} ms`);
      await sleep(20);
    }
  }

  /** Every message still deliverable now, by draining with a throwaway consumer. */
  async function drain(subscription: string): Promise<Delivery[]> {
    const all: Delivery[] = [];
    for (;;) {
      const { deliveries } = await receive(subscription, { consumer: 'drainer' });
      if (deliveries.length === 0) return all;
      all.push(...deliveries);
    }
  }

  /** Counts calls of a watch on the topic; stop() unwatches. */
  function countCalls(topic: string): { calls(): number; stop(): void } {
    let calls = 0;
    const stop = store.watch(topic, () => calls++);
    return { calls: () => calls, stop };
  }

  // ---------------------------------------------------------------- topics

  const topics = newSuite('topics');

  topics('createTopic answers the config with its create time, and getTopic answers the same', async () => {
    const name = uniqueName();
    const before = Date.now();
    const created = await store.createTopic({
      name,
      dedupWindowMs: 1_234,
      retentionMs: 86_400_000,
      retentionMessages: 50,
      maxBacklogMessages: 1_000,
      maxBacklogAgeMs: 60_000,
    });
    const after = Date.now();
    assert.is(created.name, name);
    assert.is(created.dedupWindowMs, 1_234);
    assert.is(created.retentionMs, 86_400_000);
    assert.is(created.retentionMessages, 50);
    assert.is(created.maxBacklogMessages, 1_000);
    assert.is(created.maxBacklogAgeMs, 60_000);
    assert.ok(created.createTimeMs >= before - CLOCK_SLACK_MS && created.createTimeMs <= after + CLOCK_SLACK_MS);
    assert.equal({ ...(await store.getTopic(name)) }, { ...created });
  });

  topics('createTopic of an existing name throws already-exists and keeps the first config', async () => {
    const name = await createTopic({ dedupWindowMs: 1_000 });
    await rejectsWith('already-exists', () => store.createTopic(topicSettings(name, { dedupWindowMs: 2_000 })));
    assert.is((await store.getTopic(name)).dedupWindowMs, 1_000);
  });

  topics('getTopic of an unknown name throws not-found', async () => {
    await rejectsWith('not-found', () => store.getTopic(uniqueName()));
  });

  topics('listTopics answers names after the cursor in name order, at most limit per page', async () => {
    const prefix = uniqueName();
    // Created out of order, so an adapter that answers in creation order fails.
    for (const suffix of ['b', 'c', 'a']) await store.createTopic(topicSettings(`${prefix}-${suffix}`, { dedupWindowMs: 1_000 }));
    // No other name sorts between the prefix and its own children.
    const first = await store.listTopics({ after: prefix, limit: 2 });
    assert.equal(names(first), [`${prefix}-a`, `${prefix}-b`]);
    const second = await store.listTopics({ after: `${prefix}-b`, limit: 10 });
    assert.is(second[0]?.name, `${prefix}-c`);
    assert.ok(second.length <= 10);
    assert.is(second[0]?.dedupWindowMs, 1_000);
    assert.is(second[0]?.retentionMs, TOPIC_DEFAULTS.retentionMs);
    assert.is(second[0]?.retentionMessages, TOPIC_DEFAULTS.retentionMessages);
    assert.equal(names(await store.listTopics({ after: `${prefix}-a`, limit: 1 })), [`${prefix}-b`]);
  });

  topics('listTopics from the start answers every topic in name order', async () => {
    const name = await createTopic();
    const all = await listAll((page) => store.listTopics(page));
    assert.ok(names(all).includes(name));
    assert.equal(names(all), [...names(all)].sort(byName));
  });

  topics('deleteTopic removes it: get throws not-found and list omits it', async () => {
    const name = await createTopic();
    await store.deleteTopic(name);
    await rejectsWith('not-found', () => store.getTopic(name));
    assert.not.ok(names(await store.listTopics({ after: '', limit: 100_000 })).includes(name));
  });

  topics('deleteTopic of an unknown name throws not-found', async () => {
    await rejectsWith('not-found', () => store.deleteTopic(uniqueName()));
  });

  topics('deleteTopic while the topic has a subscription throws failed-precondition and keeps both', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [message('kept')]);
    await rejectsWith('failed-precondition', () => store.deleteTopic(topic));
    await store.getTopic(topic);
    await store.getSubscription(subscription);
    assert.equal(texts(await drain(subscription)), ['kept']);
  });

  topics('deleteTopic drops its messages and idempotency keys: a topic made again under the name starts empty', async () => {
    const topic = await createTopic();
    await store.publish(topic, [message('old', { idempotencyKey: 'k' })]);
    await store.deleteTopic(topic);
    await store.createTopic(topicSettings(topic));
    // Other content under the same key: a remembered key would make this already-exists. (The new id may
    // equal the old one, as XADD to a re-created stream can in the same ms, so ids are not compared.)
    const [fresh] = await store.publish(topic, [message('new', { idempotencyKey: 'k' })]);
    assert.is(fresh!.duplicate, false);
    const subscription = await createSubscription(topic, { startPosition: 'earliest' });
    assert.equal(texts(await drain(subscription)), ['new']);
  });

  // ---------------------------------------------------------------- subscriptions

  const subscriptions = newSuite('subscriptions');

  subscriptions('createSubscription answers the config with its create time, and getSubscription answers the same', async () => {
    const topic = await createTopic();
    const dlq = await createTopic();
    const name = uniqueName();
    const before = Date.now();
    const created = await store.createSubscription({
      name,
      topic,
      ackDeadlineMs: 12_000,
      startPosition: 'latest',
      minBackoffMs: 300,
      maxBackoffMs: 9_000,
      maxDeliveryAttempts: 7,
      deadLetterTopic: dlq,
      ordering: true,
    });
    const after = Date.now();
    assert.equal(
      { ...created, createTimeMs: 0 },
      {
        name,
        topic,
        ackDeadlineMs: 12_000,
        startPosition: 'latest',
        minBackoffMs: 300,
        maxBackoffMs: 9_000,
        maxDeliveryAttempts: 7,
        deadLetterTopic: dlq,
        ordering: true,
        createTimeMs: 0,
      },
    );
    assert.ok(created.createTimeMs >= before - CLOCK_SLACK_MS && created.createTimeMs <= after + CLOCK_SLACK_MS);
    assert.equal({ ...(await store.getSubscription(name)) }, { ...created });
  });

  subscriptions('createSubscription on an unknown topic throws not-found', async () => {
    const name = uniqueName();
    await rejectsWith('not-found', () => createSubscriptionNamed(name, uniqueName()));
    await rejectsWith('not-found', () => store.getSubscription(name));
  });

  subscriptions('createSubscription of a name taken on another topic throws already-exists', async () => {
    const { subscription } = await topicWithSubscription();
    const other = await createTopic();
    await rejectsWith('already-exists', () => createSubscriptionNamed(subscription, other));
    assert.is.not((await store.getSubscription(subscription)).topic, other);
  });

  subscriptions('getSubscription of an unknown name throws not-found', async () => {
    await rejectsWith('not-found', () => store.getSubscription(uniqueName()));
  });

  subscriptions('listSubscriptions of a topic answers only its subscriptions, in name order, paged', async () => {
    const topic = await createTopic();
    const other = await createTopic();
    const prefix = uniqueName();
    for (const suffix of ['c', 'a', 'b']) await createSubscriptionNamed(`${prefix}-${suffix}`, topic);
    await createSubscriptionNamed(`${prefix}-ab`, other);
    const first = await store.listSubscriptions(topic, { after: '', limit: 2 });
    assert.equal(names(first), [`${prefix}-a`, `${prefix}-b`]);
    assert.ok(first.every((config) => config.topic === topic));
    assert.equal(names(await store.listSubscriptions(topic, { after: `${prefix}-b`, limit: 2 })), [`${prefix}-c`]);
    assert.equal(names(await store.listSubscriptions(topic, { after: `${prefix}-c`, limit: 2 })), []);
    assert.equal(names(await store.listSubscriptions(other, { after: '', limit: 10 })), [`${prefix}-ab`]);
  });

  subscriptions('listSubscriptions without a topic answers those of every topic, in name order, paged', async () => {
    const topic = await createTopic();
    const other = await createTopic();
    const prefix = uniqueName();
    await createSubscriptionNamed(`${prefix}-b`, topic);
    await createSubscriptionNamed(`${prefix}-a`, other);
    await createSubscriptionNamed(`${prefix}-c`, other);
    const first = await store.listSubscriptions(undefined, { after: prefix, limit: 2 });
    assert.equal(names(first), [`${prefix}-a`, `${prefix}-b`]);
    assert.equal(
      first.map((config) => config.topic),
      [other, topic],
    );
    const second = await store.listSubscriptions(undefined, { after: `${prefix}-b`, limit: 5 });
    assert.is(second[0]?.name, `${prefix}-c`);
    const all = await listAll((page) => store.listSubscriptions(undefined, page));
    assert.equal(names(all), [...names(all)].sort(byName));
  });

  subscriptions('listSubscriptions of an unknown topic throws not-found', async () => {
    await rejectsWith('not-found', () => store.listSubscriptions(uniqueName(), { after: '', limit: 10 }));
  });

  subscriptions('deleteSubscription removes it; get, receive, ack and a second delete then throw not-found', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.deleteSubscription(subscription);
    await rejectsWith('not-found', () => store.getSubscription(subscription));
    await rejectsWith('not-found', () => receive(subscription));
    await rejectsWith('not-found', () => store.ack(subscription, [{ messageId: '1-0', attempt: 1 }]));
    await rejectsWith('not-found', () => store.deleteSubscription(subscription));
    assert.equal(names(await store.listSubscriptions(topic, { after: '', limit: 10 })), []);
    // Without subscriptions the topic can go.
    await store.deleteTopic(topic);
  });

  subscriptions('deleting a subscription with messages in flight leaves the topic and other subscriptions intact', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const sibling = await createSubscription(topic);
    await store.publish(topic, [message('one'), message('two')]);
    const inFlight = (await receive(subscription)).deliveries;
    assert.is(inFlight.length, 2);
    await store.deleteSubscription(subscription);
    assert.equal(texts(await drain(sibling)), ['one', 'two']);
    // Its in-flight state went with it: the name made again starts over at attempt 1.
    await createSubscriptionNamed(subscription, topic);
    const again = await receive(subscription);
    assert.equal(texts(again.deliveries), ['one', 'two']);
    assert.equal(
      again.deliveries.map((delivery) => delivery.attempt),
      [1, 1],
    );
  });

  subscriptions('receive, settlements, seek and stats on an unknown subscription throw not-found', async () => {
    const unknown = uniqueName();
    const receipts = [{ messageId: '1-0', attempt: 1 }];
    await rejectsWith('not-found', () => receive(unknown), 'receive');
    await rejectsWith('not-found', () => store.ack(unknown, receipts), 'ack');
    await rejectsWith('not-found', () => store.nack(unknown, receipts, 0, ''), 'nack');
    await rejectsWith('not-found', () => store.release(unknown, receipts), 'release');
    await rejectsWith('not-found', () => store.extendLease(unknown, receipts, 1_000), 'extendLease');
    await rejectsWith('not-found', () => store.reject(unknown, receipts, ''), 'reject');
    await rejectsWith('not-found', () => store.seek(unknown, { timeMs: 0 }), 'seek');
    await rejectsWith('not-found', () => store.stats(unknown), 'stats');
  });

  // ---------------------------------------------------------------- publish

  const publish = newSuite('publish');

  publish('publish answers distinct ids in increasing order, within a batch and across batches', async () => {
    const topic = await createTopic();
    const first = await store.publish(topic, [message('1'), message('2'), message('3'), message('4'), message('5')]);
    const second = await store.publish(topic, [message('6'), message('7')]);
    const ids = [...first, ...second].map((outcome) => outcome.messageId);
    assert.ok(ids.every((id) => /^\d+-\d+$/.test(id)), `ids look like <ms>-<seq>: ${ids}`);
    for (let i = 1; i < ids.length; i++) assert.ok(compareIds(ids[i - 1]!, ids[i]!) < 0, `${ids[i - 1]} < ${ids[i]}`);
    assert.ok([...first, ...second].every((outcome) => outcome.duplicate === false));
  });

  publish('publishTimeMs is the ms part of the id, taken while publish ran', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const before = Date.now();
    const [outcome] = await store.publish(topic, [message('x')]);
    const after = Date.now();
    const [delivery] = await drain(subscription);
    assert.is(delivery!.message.id, outcome!.messageId);
    assert.is(delivery!.message.publishTimeMs, Number(outcome!.messageId.split('-')[0]));
    assert.ok(delivery!.message.publishTimeMs >= before - CLOCK_SLACK_MS && delivery!.message.publishTimeMs <= after + CLOCK_SLACK_MS);
  });

  publish('a message comes back with its data, attributes, ordering key and trace context', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const sent = message('hello', {
      attributes: { kind: 'greeting', 'x.y-z': 'ünïcødé ✓', empty: '' },
      orderingKey: 'customer-42',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=opaque,other=1',
    });
    await store.publish(topic, [sent, message('plain')]);
    const [first, second] = await drain(subscription);
    assert.ok(Buffer.isBuffer(first!.message.data));
    assert.is(first!.message.data.toString(), 'hello');
    assert.equal({ ...first!.message.attributes }, { kind: 'greeting', 'x.y-z': 'ünïcødé ✓', empty: '' });
    assert.is(first!.message.orderingKey, 'customer-42');
    assert.is(first!.message.traceparent, sent.traceparent);
    assert.is(first!.message.tracestate, sent.tracestate);
    assert.equal({ ...second!.message.attributes }, {});
    assert.is(second!.message.orderingKey, '');
    assert.is(second!.message.traceparent, '');
    assert.is(second!.message.tracestate, '');
  });

  publish('binary data with zero bytes and an empty payload come back byte for byte', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const binary = Buffer.from([0, 1, 0, 255, 0xc3, 0x28, 0, 0x80, 0]);
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await store.publish(topic, [message(binary), message(Buffer.alloc(0)), message(allBytes)]);
    const deliveries = await drain(subscription);
    assert.is(deliveries.length, 3);
    assert.ok(deliveries[0]!.message.data.equals(binary));
    assert.is(deliveries[1]!.message.data.length, 0);
    assert.ok(Buffer.isBuffer(deliveries[1]!.message.data));
    assert.ok(deliveries[2]!.message.data.equals(allBytes));
  });

  publish('reusing the published buffer or a delivered one afterwards does not change the stored message', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const other = await createSubscription(topic);
    const buffer = Buffer.from('original');
    await store.publish(topic, [message(buffer)]);
    buffer.write('CLOBBERS');
    const [delivery] = await drain(subscription);
    assert.is(delivery!.message.data.toString(), 'original');
    delivery!.message.data.write('CLOBBERS');
    assert.is((await drain(other))[0]!.message.data.toString(), 'original');
  });

  publish('publish to an unknown topic throws not-found', async () => {
    await rejectsWith('not-found', () => store.publish(uniqueName(), [message('x')]));
  });

  publish('a repeated idempotency key answers the original id with duplicate=true and stores nothing', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const [original] = await store.publish(topic, [message('once', { idempotencyKey: 'k1' })]);
    assert.is(original!.duplicate, false);
    const [repeat] = await store.publish(topic, [message('once', { idempotencyKey: 'k1' })]);
    assert.equal(repeat, { messageId: original!.messageId, duplicate: true });
    assert.equal(texts(await drain(subscription)), ['once']);
  });

  publish('a repeat with other trace context is still a duplicate: only data, attributes and ordering key count', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const content = { idempotencyKey: 'k', attributes: { a: '1', b: '2' }, orderingKey: 'o' };
    const [original] = await store.publish(topic, [message('same', content)]);
    const [repeat] = await store.publish(topic, [
      message('same', { ...content, attributes: { b: '2', a: '1' }, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
    ]);
    assert.equal(repeat, { messageId: original!.messageId, duplicate: true });
    assert.is((await drain(subscription)).length, 1);
  });

  publish('a key repeated inside one batch answers the first message id and stores it once', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const outcomes = await store.publish(topic, [
      message('a', { idempotencyKey: 'k' }),
      message('b'),
      message('a', { idempotencyKey: 'k' }),
    ]);
    assert.is(outcomes.length, 3);
    assert.is(outcomes[0]!.duplicate, false);
    assert.is(outcomes[1]!.duplicate, false);
    assert.equal(outcomes[2], { messageId: outcomes[0]!.messageId, duplicate: true });
    const stored = await drain(subscription);
    assert.equal(texts(stored), ['a', 'b']);
    assert.equal(ids(stored), [outcomes[0]!.messageId, outcomes[1]!.messageId]);
  });

  publish('the same key with other data, attributes or ordering key throws already-exists naming the key', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const key = `key-${randomUUID()}`;
    await store.publish(topic, [message('data', { idempotencyKey: key, attributes: { a: '1' }, orderingKey: 'o' })]);
    const variants = [
      message('other data', { idempotencyKey: key, attributes: { a: '1' }, orderingKey: 'o' }),
      message('data', { idempotencyKey: key, attributes: { a: '2' }, orderingKey: 'o' }),
      message('data', { idempotencyKey: key, attributes: { a: '1', b: '1' }, orderingKey: 'o' }),
      message('data', { idempotencyKey: key, attributes: { a: '1' }, orderingKey: 'other' }),
    ];
    for (const variant of variants) {
      const error = await rejectsWith('already-exists', () => store.publish(topic, [variant]));
      assert.ok(error.message.includes(key), `the error names the key: ${error.message}`);
    }
    assert.equal(texts(await drain(subscription)), ['data']);
  });

  publish('a batch in which the third message conflicts stores nothing of the batch', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [message('original', { idempotencyKey: 'taken' })]);
    await rejectsWith('already-exists', () =>
      store.publish(topic, [
        message('first', { idempotencyKey: 'fresh' }),
        message('second'),
        message('conflict', { idempotencyKey: 'taken' }),
        message('fourth'),
      ]),
    );
    assert.equal(texts(await drain(subscription)), ['original']);
    // Nor was the batch's own key remembered.
    const [again] = await store.publish(topic, [message('other content', { idempotencyKey: 'fresh' })]);
    assert.is(again!.duplicate, false);
  });

  publish('a batch that reuses a key with other content inside itself throws already-exists and stores nothing', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await rejectsWith('already-exists', () =>
      store.publish(topic, [message('a', { idempotencyKey: 'k' }), message('b'), message('changed', { idempotencyKey: 'k' })]),
    );
    assert.equal(await drain(subscription), []);
  });

  publish('idempotency keys belong to one topic: the same key on another topic is new', async () => {
    const first = await createTopic();
    const second = await createTopic();
    const [a] = await store.publish(first, [message('x', { idempotencyKey: 'shared' })]);
    const [b] = await store.publish(second, [message('y', { idempotencyKey: 'shared' })]);
    assert.is(b!.duplicate, false);
    assert.is(a!.duplicate, false);
  });

  publish('an idempotency key acts as new once the dedup window is over, with the same or other content', async () => {
    const topic = await createTopic({ dedupWindowMs: 300 });
    const subscription = await createSubscription(topic);
    const [original] = await store.publish(topic, [message('one', { idempotencyKey: 'k1' }), message('two', { idempotencyKey: 'k2' })]);
    const [repeat] = await store.publish(topic, [message('one', { idempotencyKey: 'k1' })]);
    assert.is(repeat!.duplicate, true, 'still remembered inside the window');
    await sleep(400);
    const [same, changed] = await store.publish(topic, [
      message('one', { idempotencyKey: 'k1' }),
      message('changed', { idempotencyKey: 'k2' }),
    ]);
    assert.is(same!.duplicate, false);
    assert.is.not(same!.messageId, original!.messageId);
    assert.is(changed!.duplicate, false);
    assert.equal(texts(await drain(subscription)), ['one', 'two', 'one', 'changed']);
    // The key published anew is remembered again for a fresh window.
    const [again] = await store.publish(topic, [message('one', { idempotencyKey: 'k1' })]);
    assert.equal(again, { messageId: same!.messageId, duplicate: true });
  });

  publish('a key stays a duplicate for its whole window, across the boundary of the dedup window buckets', async () => {
    // Redis keeps keys in one hash per window-long bucket of time: a key from the previous bucket must still count.
    const windowMs = 2000;
    for (let attempt = 1; ; attempt++) {
      const topic = await createTopic({ dedupWindowMs: windowMs });
      // Publish late in a bucket, then again just after the next one starts, well within the window.
      while (Date.now() % windowMs < windowMs - 300) await sleep(10);
      const [original, other] = await store.publish(topic, [message('one', { idempotencyKey: 'k1' }), message('two', { idempotencyKey: 'k2' })]);
      const publishedMs = Number(original!.messageId.split('-')[0]);
      while (Math.floor(Date.now() / windowMs) === Math.floor(publishedMs / windowMs)) await sleep(10);
      // A machine too slow to repeat soon after the boundary tests nothing here: again.
      if (Date.now() - publishedMs > windowMs / 2 && attempt < 3) continue;
      const [repeat] = await store.publish(topic, [message('one', { idempotencyKey: 'k1' })]);
      assert.equal(repeat, { messageId: original!.messageId, duplicate: true }, 'remembered from the previous bucket');
      const conflict = await store.publish(topic, [message('changed', { idempotencyKey: 'k2' })]).catch((error: unknown) => error);
      assert.is((conflict as StoreError).code, 'already-exists', `k2 (${other!.messageId}) still names its content`);
      return;
    }
  });

  // ---------------------------------------------------------------- max backlog

  const backlog = newSuite('max backlog');

  backlog('publish fills a subscription up to maxBacklogMessages unsettled messages; one more is resource-exhausted and stores nothing', async () => {
    const topic = await createTopic({ maxBacklogMessages: 3 });
    const subscription = await createSubscription(topic);
    await store.publish(topic, [message('a'), message('b')]);
    await rejectsWith('resource-exhausted', () => store.publish(topic, [message('c'), message('d')]), 'a batch passing the limit');
    await store.publish(topic, [message('c')]);
    await rejectsWith('resource-exhausted', () => store.publish(topic, [message('d')]), 'the message after the limit');
    assert.equal(texts(await drain(subscription)), ['a', 'b', 'c'], 'nothing of a refused batch was stored');
  });

  backlog('in-flight, nacked and parked messages count as unsettled; acked and dead-lettered ones free room', async () => {
    const topic = await createTopic({ maxBacklogMessages: 3 });
    const subscription = await createSubscription(topic, { ordering: true });
    await store.publish(topic, [message('a', { orderingKey: 'k' }), message('b', { orderingKey: 'k' }), message('c')]);
    const delivered = await drain(subscription);
    assert.equal(texts(delivered), ['a', 'c'], 'b is parked behind a');
    const [a, c] = delivered;
    await store.nack(subscription, [receiptOf(c!)], 60_000, '');
    await rejectsWith('resource-exhausted', () => store.publish(topic, [message('d')]), 'with one in flight, one nacked and one parked');
    await store.ack(subscription, [receiptOf(a!)]);
    await store.publish(topic, [message('d')]);
    await rejectsWith('resource-exhausted', () => store.publish(topic, [message('e')]), 'b, c and d unsettled');
    await store.reject(subscription, [{ messageId: c!.message.id, attempt: 1 }], 'gone');
    await store.publish(topic, [message('e')]);
  });

  backlog('the slowest subscription counts: one that settled everything does not make room for another', async () => {
    const topic = await createTopic({ maxBacklogMessages: 2 });
    const fast = await createSubscription(topic);
    const slow = await createSubscription(topic);
    await store.publish(topic, [message('a'), message('b')]);
    await store.ack(fast, (await drain(fast)).map(receiptOf));
    const error = await rejectsWith('resource-exhausted', () => store.publish(topic, [message('c')]));
    assert.ok(error.message.includes(slow), `the message names the full subscription: ${error.message}`);
    await store.ack(slow, (await drain(slow)).map(receiptOf));
    await store.publish(topic, [message('c')]);
  });

  backlog('at the max backlog a batch of repeated idempotency keys is answered as before; a batch with anything new is refused', async () => {
    const topic = await createTopic({ maxBacklogMessages: 1 });
    await createSubscription(topic);
    const [first] = await store.publish(topic, [message('a', { idempotencyKey: 'k' })]);
    assert.equal(await store.publish(topic, [message('a', { idempotencyKey: 'k' })]), [{ messageId: first!.messageId, duplicate: true }]);
    await rejectsWith('resource-exhausted', () => store.publish(topic, [message('a', { idempotencyKey: 'k' }), message('b')]));
  });

  backlog('after a seek back the settled messages count again', async () => {
    const topic = await createTopic({ maxBacklogMessages: 2 });
    const subscription = await createSubscription(topic);
    await store.publish(topic, [message('a'), message('b')]);
    await store.ack(subscription, (await drain(subscription)).map(receiptOf));
    await store.publish(topic, [message('c')]);
    await store.seek(subscription, { timeMs: 0 });
    await rejectsWith('resource-exhausted', () => store.publish(topic, [message('d')]), 'a, b and c unsettled after the seek');
    await store.ack(subscription, (await drain(subscription)).map(receiptOf));
    await store.publish(topic, [message('d')]);
  });

  backlog('publish is refused once a subscription\'s oldest unsettled message is older than maxBacklogAgeMs, and accepted again when it is settled', async () => {
    const topic = await createTopic({ maxBacklogAgeMs: 1_500 });
    const subscription = await createSubscription(topic);
    const [old] = await store.publish(topic, [message('old')]);
    await store.publish(topic, [message('young')]);
    await sleep(Math.max(0, idTime(old!.messageId) + 1_500 + CLOCK_SLACK_MS - Date.now()) + 100);
    const error = await rejectsWith('resource-exhausted', () => store.publish(topic, [message('late')]));
    assert.ok(error.message.includes(subscription), `the message names the subscription: ${error.message}`);
    const [oldDelivery, youngDelivery] = await drain(subscription);
    await rejectsWith('resource-exhausted', () => store.publish(topic, [message('late')]), 'in flight is still unsettled');
    await store.ack(subscription, [receiptOf(oldDelivery!), receiptOf(youngDelivery!)]);
    await store.publish(topic, [message('late')]);
  });

  backlog('a topic without subscriptions, or with both limits 0, takes any number of messages', async () => {
    const limited = await createTopic({ maxBacklogMessages: 1, maxBacklogAgeMs: 1_000 });
    await store.publish(limited, [message('a'), message('b'), message('c')]);
    const unlimited = await createTopic();
    await createSubscription(unlimited);
    await store.publish(unlimited, Array.from({ length: 50 }, (_, i) => message(`m${i}`)));
  });

  // ---------------------------------------------------------------- delivery

  const delivery = newSuite('delivery');

  delivery('every subscription of a topic gets every message', async () => {
    const topic = await createTopic();
    const one = await createSubscription(topic);
    const two = await createSubscription(topic);
    await store.publish(topic, [message('a'), message('b'), message('c')]);
    assert.equal(texts(await drain(one)), ['a', 'b', 'c']);
    assert.equal(texts(await drain(two)), ['a', 'b', 'c']);
  });

  delivery('an earliest subscription gets messages published before it; a latest one only those after', async () => {
    const topic = await createTopic();
    await store.publish(topic, [message('before')]);
    const earliest = await createSubscription(topic, { startPosition: 'earliest' });
    const latest = await createSubscription(topic, { startPosition: 'latest' });
    assert.equal((await receive(latest)).deliveries, []);
    await store.publish(topic, [message('after')]);
    assert.equal(texts(await drain(earliest)), ['before', 'after']);
    assert.equal(texts(await drain(latest)), ['after']);
  });

  delivery('new messages come in publish order with attempt 1 and a lease of now + ackDeadlineMs', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 7_000 });
    const outcomes = await store.publish(topic, [message('a'), message('b'), message('c')]);
    const before = Date.now();
    const { deliveries } = await receive(subscription);
    const after = Date.now();
    assert.equal(ids(deliveries), outcomes.map((outcome) => outcome.messageId));
    for (const d of deliveries) {
      assert.is(d.attempt, 1);
      assert.is(d.reason, 'first');
      assert.ok(d.leaseDeadlineMs >= before + 7_000 - CLOCK_SLACK_MS && d.leaseDeadlineMs <= after + 7_000 + CLOCK_SLACK_MS);
    }
    assert.equal((await receive(subscription)).deliveries, [], 'nothing more is due');
  });

  delivery('two consumers of one subscription never get the same message while it is in flight', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const published = await store.publish(
      topic,
      Array.from({ length: 10 }, (_, i) => message(`m${i}`)),
    );
    const a = await receive(subscription, { consumer: 'a', maxMessages: 4 });
    const b = await receive(subscription, { consumer: 'b', maxMessages: 100 });
    const c = await receive(subscription, { consumer: 'c', maxMessages: 100 });
    assert.is(a.deliveries.length, 4);
    assert.is(b.deliveries.length, 6);
    assert.equal(c.deliveries, []);
    const seen = [...ids(a.deliveries), ...ids(b.deliveries)];
    assert.is(new Set(seen).size, 10);
    assert.equal(seen, published.map((outcome) => outcome.messageId));
  });

  delivery('an acked message is not delivered again, even after its lease would have run out', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300 });
    await store.publish(topic, [message('done'), message('pending')]);
    const { deliveries } = await receive(subscription);
    assert.equal(await store.ack(subscription, [receiptOf(deliveries[0]!)]), ['ok']);
    await sleep(450);
    const later = await receiveEventually(subscription);
    assert.equal(texts(later), ['pending'], 'only the unacked one comes back');
  });

  delivery('a lease that runs out redelivers the message after its backoff with attempt 2, reason lease-expired, the same id and a new lease', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300, minBackoffMs: 100 });
    const [outcome] = await store.publish(topic, [message('again', { attributes: { k: 'v' } })]);
    const first = await receive(subscription, { consumer: 'a' });
    assert.is(first.deliveries[0]!.attempt, 1);
    assert.equal((await receive(subscription, { consumer: 'b' })).deliveries, [], 'not before the lease runs out');
    const [redelivery] = await receiveEventually(subscription, { consumer: 'b' });
    const receivedAt = Date.now();
    assert.ok(receivedAt >= first.deliveries[0]!.leaseDeadlineMs + 100 - CLOCK_SLACK_MS, 'not before the deadline + backoff');
    assert.is(redelivery!.attempt, 2);
    assert.is(redelivery!.reason, 'lease-expired');
    assert.is(redelivery!.message.id, outcome!.messageId);
    assert.is(redelivery!.message.data.toString(), 'again');
    assert.equal({ ...redelivery!.message.attributes }, { k: 'v' });
    assert.ok(redelivery!.leaseDeadlineMs > first.deliveries[0]!.leaseDeadlineMs);
    assert.ok(redelivery!.leaseDeadlineMs <= receivedAt + 300 + CLOCK_SLACK_MS);
  });

  delivery('after a redelivery the old receipt answers invalid-receipt to ack, nack and extendLease, and the new one ok', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300 });
    await store.publish(topic, [message('x')]);
    const [first] = (await receive(subscription)).deliveries;
    const [second] = await receiveEventually(subscription);
    const stale = receiptOf(first!);
    const current = receiptOf(second!);
    assert.equal(await store.ack(subscription, [stale]), ['invalid-receipt']);
    assert.equal(await store.nack(subscription, [stale], 0, ''), ['invalid-receipt']);
    assert.equal(await store.extendLease(subscription, [stale], 60_000), ['invalid-receipt']);
    // The stale receipt changed nothing: the current attempt is still in flight under its own lease.
    const idle = await receive(subscription);
    assert.equal(idle.deliveries, []);
    assert.is(idle.nextDueMs, second!.leaseDeadlineMs + 200, 'lease end + the backoff of attempt 2');
    assert.equal(await store.extendLease(subscription, [current], 60_000), ['ok']);
    assert.equal(await store.ack(subscription, [current]), ['ok']);
    assert.is((await receive(subscription)).nextDueMs, null);
  });

  delivery('inFlight is true only for the current attempt of an unsettled message', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300 });
    await store.publish(topic, [message('x'), message('y')]);
    const [first, other] = (await receive(subscription)).deliveries;
    assert.equal(await store.inFlight(subscription, [receiptOf(first!), receiptOf(other!)]), [true, true]);
    await store.ack(subscription, [receiptOf(other!)]);
    const [second] = await receiveEventually(subscription);
    assert.equal(await store.inFlight(subscription, [receiptOf(first!), receiptOf(second!), receiptOf(other!)]), [false, true, false]);
    await rejectsWith('not-found', () => store.inFlight(uniqueName(), [receiptOf(first!)]));
  });

  delivery('a redelivered message is nacked at once with its current receipt, then delivered as attempt 3', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300 });
    await store.publish(topic, [message('x')]);
    await receive(subscription);
    const [second] = await receiveEventually(subscription);
    assert.equal(await store.nack(subscription, [receiptOf(second!)], 0, ''), ['ok']);
    const [third] = (await receive(subscription)).deliveries;
    assert.is(third!.attempt, 3);
    assert.is(third!.reason, 'nack');
  });

  delivery('settling twice with the same receipt answers ok and changes nothing', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300 });
    await store.publish(topic, [message('x')]);
    const [d] = (await receive(subscription)).deliveries;
    const receipt = receiptOf(d!);
    assert.equal(await store.ack(subscription, [receipt]), ['ok']);
    assert.equal(await store.ack(subscription, [receipt]), ['ok']);
    assert.equal(await store.nack(subscription, [receipt], 0, ''), ['ok']);
    assert.equal(await store.extendLease(subscription, [receipt], 60_000), ['ok']);
    await sleep(400);
    const after = await receive(subscription);
    assert.equal(after.deliveries, [], 'the nack after the ack did not bring it back');
    assert.is(after.nextDueMs, null, 'the extendLease after the ack did not put it in flight');
  });

  delivery('settlement answers one result per receipt, in order', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300 });
    await store.publish(topic, [message('a'), message('b')]);
    const [a1, b1] = (await receive(subscription)).deliveries;
    const redelivered = await receiveEventually(subscription);
    assert.is(redelivered.length, 2);
    const [a2, b2] = redelivered;
    const neverDelivered = { messageId: '1-0', attempt: 1 };
    assert.equal(await store.ack(subscription, [receiptOf(b1!), receiptOf(a2!), neverDelivered]), ['invalid-receipt', 'ok', 'ok']);
    assert.equal(await store.ack(subscription, [receiptOf(a1!)]), ['ok'], 'an older receipt of a settled message is ok');
    assert.equal(await store.nack(subscription, [receiptOf(b1!), receiptOf(b2!)], 60_000, ''), ['invalid-receipt', 'ok']);
  });

  delivery('receipts far apart among many held deliveries, in any order, settle exactly the messages they name', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, Array.from({ length: 60 }, (_, i) => message(`m${i}`)));
    const held = (await receive(subscription, { maxMessages: 100 })).deliveries;
    assert.is(held.length, 60);
    const receipts = held.map(receiptOf);
    // The Redis store reads the pending entries between the smallest and the largest id at once, a
    // few more than there are receipts: these three span sixty.
    assert.equal(await store.ack(subscription, [receipts[59]!, receipts[0]!, receipts[30]!]), ['ok', 'ok', 'ok']);
    assert.equal(await store.nack(subscription, [receipts[58]!, receipts[1]!], 60_000, ''), ['ok', 'ok']);
    assert.equal(await store.extendLease(subscription, [receipts[57]!, receipts[2]!], 60_000), ['ok', 'ok']);
    const inFlight = await store.inFlight(subscription, receipts);
    const settled = inFlight.flatMap((current, i) => (current ? [] : [i]));
    assert.equal(settled, [0, 30, 59], 'only the acked are settled');
    assert.equal(await store.ack(subscription, [receipts[59]!, receipts[0]!]), ['ok', 'ok'], 'acked again');
  });

  // ---------------------------------------------------------------- nack and extendLease

  const settle = newSuite('nack and extendLease');

  settle('nack with a delay holds the message back until the delay is over, then redelivers it as attempt 2', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [message('later')]);
    const [d] = (await receive(subscription)).deliveries;
    const before = Date.now();
    assert.equal(await store.nack(subscription, [receiptOf(d!)], 300, ''), ['ok']);
    const after = Date.now();
    const held = await receive(subscription);
    assert.equal(held.deliveries, [], 'not before the delay');
    assert.ok(held.nextDueMs! >= before + 300 - CLOCK_SLACK_MS && held.nextDueMs! <= after + 300 + CLOCK_SLACK_MS);
    const [again] = await receiveEventually(subscription);
    assert.ok(Date.now() >= before + 300 - CLOCK_SLACK_MS, 'not before the delay');
    assert.is(again!.attempt, 2);
    assert.is(again!.reason, 'nack');
    assert.is(again!.message.id, d!.message.id);
  });

  settle("nack without a delay waits the subscription's backoff, doubling per attempt up to maxBackoffMs", async () => {
    const { topic, subscription } = await topicWithSubscription({ minBackoffMs: 100, maxBackoffMs: 250 });
    await store.publish(topic, [message('retry')]);
    let [d] = (await receive(subscription)).deliveries;
    for (const [attempt, backoff] of [
      [1, 100],
      [2, 200],
      [3, 250],
    ] as const) {
      assert.is(d!.attempt, attempt);
      const before = Date.now();
      assert.equal(await store.nack(subscription, [receiptOf(d!)], undefined, ''), ['ok']);
      const after = Date.now();
      const held = await receive(subscription);
      assert.equal(held.deliveries, [], `attempt ${attempt} is not redelivered before its backoff`);
      assert.ok(
        held.nextDueMs! >= before + backoff - CLOCK_SLACK_MS && held.nextDueMs! <= after + backoff + CLOCK_SLACK_MS,
        `attempt ${attempt} is due after ${backoff} ms (due in ${held.nextDueMs! - before} ms)`,
      );
      [d] = await receiveEventually(subscription);
      assert.ok(Date.now() >= before + backoff - CLOCK_SLACK_MS);
      assert.is(d!.reason, 'nack');
    }
    assert.is(d!.attempt, 4);
  });

  settle('nack with delay 0 makes the message receivable at once, as attempt 2 with reason nack', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [message('now')]);
    const [d] = (await receive(subscription)).deliveries;
    assert.equal(await store.nack(subscription, [receiptOf(d!)], 0, ''), ['ok']);
    const { deliveries } = await receive(subscription);
    assert.is(deliveries.length, 1);
    assert.is(deliveries[0]!.attempt, 2);
    assert.is(deliveries[0]!.reason, 'nack');
  });

  settle('extendLease moves the lease end to now + leaseMs, the backoff still following it, and so postpones the redelivery', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300, minBackoffMs: 100 });
    await store.publish(topic, [message('slow')]);
    const [d] = (await receive(subscription)).deliveries;
    const before = Date.now();
    assert.equal(await store.extendLease(subscription, [receiptOf(d!)], 1_500), ['ok']);
    const after = Date.now();
    const idle = await receive(subscription);
    assert.ok(idle.nextDueMs! >= before + 1_600 - CLOCK_SLACK_MS && idle.nextDueMs! <= after + 1_600 + CLOCK_SLACK_MS);
    await sleep(450);
    assert.equal((await receive(subscription)).deliveries, [], 'not redelivered when the old lease would have run out');
    const [again] = await receiveEventually(subscription);
    assert.ok(Date.now() >= before + 1_600 - CLOCK_SLACK_MS);
    assert.is(again!.attempt, 2);
    assert.is(again!.reason, 'lease-expired');
  });

  settle('extendLease can also shorten a lease', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 60_000 });
    await store.publish(topic, [message('x')]);
    const [d] = (await receive(subscription)).deliveries;
    assert.equal(await store.extendLease(subscription, [receiptOf(d!)], 0), ['ok']);
    const [again] = await receiveEventually(subscription);
    assert.is(again!.attempt, 2);
  });

  // ---------------------------------------------------------------- flow control

  const flow = newSuite('flow control');

  flow('receive stops at maxMessages and the rest follows on the next call', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, ['a', 'b', 'c', 'd', 'e'].map((text) => message(text)));
    assert.equal(texts((await receive(subscription, { maxMessages: 2 })).deliveries), ['a', 'b']);
    assert.equal(texts((await receive(subscription, { maxMessages: 1 })).deliveries), ['c']);
    assert.equal(texts((await receive(subscription, { maxMessages: 10 })).deliveries), ['d', 'e']);
  });

  flow('receive stops before the message that would pass maxBytes, keeping publish order', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [bytes(40, 'a'), bytes(50, 'b'), bytes(20, 'c'), bytes(5, 'd'), bytes(60, 'e'), bytes(40, 'f')]);
    const request = { maxBytes: 100, allowOneOversized: false };
    // 40 + 50 fit; 20 would make 110, and the 5 after it is not taken out of order.
    assert.equal(initials((await receive(subscription, request)).deliveries), ['a', 'b']);
    assert.equal(initials((await receive(subscription, request)).deliveries), ['c', 'd', 'e']);
    // Exactly maxBytes fits.
    assert.equal(initials((await receive(subscription, { maxBytes: 40, allowOneOversized: false })).deliveries), ['f']);
  });

  flow('only payload bytes count: attributes do not use up maxBytes', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const attributes = { big: 'x'.repeat(500) };
    await store.publish(topic, [message(Buffer.alloc(10), { attributes }), message(Buffer.alloc(10), { attributes })]);
    assert.is((await receive(subscription, { maxBytes: 20, allowOneOversized: false })).deliveries.length, 2);
  });

  flow('a message bigger than maxBytes comes alone when allowOneOversized, and not at all otherwise', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [bytes(200, 'a'), bytes(10, 'b'), message(Buffer.alloc(0))]);
    const refused = await receive(subscription, { maxBytes: 100, allowOneOversized: false });
    assert.equal(refused.deliveries, []);
    assert.is(refused.nextDueMs, null, 'nothing went in flight');
    const alone = await receive(subscription, { maxBytes: 100, allowOneOversized: true });
    assert.equal(initials(alone.deliveries), ['a'], 'the budget is used up by the oversized one');
    const rest = await receive(subscription, { maxBytes: 100, allowOneOversized: true });
    assert.equal(rest.deliveries.map((d) => d.message.data.length), [10, 0]);
  });

  flow('allowOneOversized admits only a first delivery: after a small one, a big one waits', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [bytes(10, 'a'), bytes(200, 'b')]);
    assert.equal(initials((await receive(subscription, { maxBytes: 100, allowOneOversized: true })).deliveries), ['a']);
    assert.equal(initials((await receive(subscription, { maxBytes: 100, allowOneOversized: true })).deliveries), ['b']);
  });

  flow('due redeliveries come before new messages, earliest due first, and count against the limits', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [message('m1'), message('m2')]);
    const [m1, m2] = (await receive(subscription)).deliveries;
    await store.nack(subscription, [receiptOf(m2!)], 0, '');
    await sleep(20);
    await store.nack(subscription, [receiptOf(m1!)], 0, '');
    await store.publish(topic, [message('m3')]);
    const first = await receive(subscription, { maxMessages: 1 });
    assert.equal(texts(first.deliveries), ['m2']);
    assert.is(first.deliveries[0]!.attempt, 2);
    const rest = await receive(subscription);
    assert.equal(texts(rest.deliveries), ['m1', 'm3']);
    assert.equal(rest.deliveries.map((d) => d.attempt), [2, 1]);
  });

  flow('a due redelivery that does not fit maxBytes holds back the new messages behind it', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await store.publish(topic, [bytes(80, 'a')]);
    const [a] = (await receive(subscription)).deliveries;
    await store.nack(subscription, [receiptOf(a!)], 0, '');
    await store.publish(topic, [bytes(10, 'b')]);
    assert.equal((await receive(subscription, { maxBytes: 50, allowOneOversized: false })).deliveries, []);
    assert.equal(initials((await receive(subscription, { maxBytes: 100, allowOneOversized: false })).deliveries), ['a', 'b']);
  });

  flow('nextDueMs is the earliest due time (lease end + backoff) in flight in this subscription, and null when nothing is', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 10_000, minBackoffMs: 100 });
    const other = await createSubscription(topic, { ackDeadlineMs: 1_000 });
    assert.is((await receive(subscription)).nextDueMs, null);
    await store.publish(topic, [message('a'), message('b')]);
    const first = await receive(subscription, { maxMessages: 1 });
    const firstDue = first.deliveries[0]!.leaseDeadlineMs + 100;
    assert.is(first.nextDueMs, firstDue);
    await sleep(20);
    const second = await receive(subscription, { maxMessages: 1 });
    assert.ok(second.deliveries[0]!.leaseDeadlineMs > first.deliveries[0]!.leaseDeadlineMs);
    assert.is(second.nextDueMs, firstDue, 'the earlier of the two');
    // Another subscription's shorter leases are not this one's.
    await receive(other);
    assert.is((await receive(subscription)).nextDueMs, firstDue);
    await store.ack(subscription, [receiptOf(first.deliveries[0]!)]);
    assert.is((await receive(subscription)).nextDueMs, second.deliveries[0]!.leaseDeadlineMs + 100);
    await store.ack(subscription, [receiptOf(second.deliveries[0]!)]);
    assert.is((await receive(subscription)).nextDueMs, null);
  });

  // ---------------------------------------------------------------- retries and release

  const retries = newSuite('retries and release');

  retries('a lease that runs out falls due at lease end + the backoff of its attempt, doubling up to maxBackoffMs', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 200, minBackoffMs: 100, maxBackoffMs: 150 });
    await store.publish(topic, [message('slow')]);
    const first = await receive(subscription);
    const d1 = first.deliveries[0]!;
    assert.is(first.nextDueMs, d1.leaseDeadlineMs + 100, 'lease end + backoff of attempt 1');
    assert.equal((await receive(subscription)).deliveries, [], 'not before the lease runs out');
    const [d2] = await receiveEventually(subscription);
    assert.ok(Date.now() >= d1.leaseDeadlineMs + 100 - CLOCK_SLACK_MS, 'not before lease end + backoff');
    assert.is(d2!.attempt, 2);
    assert.is(d2!.reason, 'lease-expired');
    assert.is((await receive(subscription)).nextDueMs, d2!.leaseDeadlineMs + 150, 'backoff of attempt 2, capped at maxBackoffMs');
  });

  retries('release makes the message due at once with reason consumer-lost, counts the attempt and wakes the watchers', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 60_000 });
    await store.publish(topic, [message('a'), message('b')]);
    const [a, b] = (await receive(subscription, { consumer: 'gateway-1' })).deliveries;
    const watcher = countCalls(topic);
    try {
      await sleep(WATCH_SETTLE_MS);
      const seen = watcher.calls();
      assert.equal(await store.release(subscription, [receiptOf(a!), { messageId: b!.message.id, attempt: 7 }]), ['ok', 'invalid-receipt']);
      const { deliveries } = await receive(subscription, { consumer: 'gateway-2' });
      assert.equal(texts(deliveries), ['a'], 'b keeps its lease: its receipt named no current attempt');
      assert.is(deliveries[0]!.attempt, 2);
      assert.is(deliveries[0]!.reason, 'consumer-lost');
      await waitFor(async () => watcher.calls() > seen, 'the watcher is called after release');
    } finally {
      watcher.stop();
    }
    assert.equal(await store.release(subscription, [receiptOf(a!)]), ['invalid-receipt'], 'the first attempt is superseded');
    assert.equal(await store.ack(subscription, [receiptOf(b!)]), ['ok']);
    assert.equal(await store.release(subscription, [receiptOf(b!)]), ['ok'], 'releasing a settled message is ok');
    assert.equal((await receive(subscription)).deliveries, [], '... and does not bring it back');
  });

  // ---------------------------------------------------------------- dead letters

  const deadLetters = newSuite('dead letters');

  deadLetters('after maxDeliveryAttempts the message moves to the dead-letter topic once, with content, trace and lineage, and never comes back', async () => {
    const dlq = await createTopic();
    const topic = await createTopic();
    const subscription = await createSubscription(topic, { maxDeliveryAttempts: 3, deadLetterTopic: dlq });
    const sibling = await createSubscription(topic);
    const dlqSubscription = await createSubscription(dlq);
    const sent = message('poison', {
      attributes: { kind: 'order', n: '7' },
      orderingKey: 'customer-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=opaque',
    });
    const messageId = (await store.publish(topic, [sent]))[0]!.messageId;
    const watcher = countCalls(dlq);
    try {
      await sleep(WATCH_SETTLE_MS);
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [d] = await receiveEventually(subscription);
        assert.is(d!.attempt, attempt);
        assert.equal(await store.nack(subscription, [receiptOf(d!)], 0, `failure ${attempt}`), ['ok']);
      }
      // The delivery after the third attempt does not happen.
      const after = await receive(subscription);
      assert.equal(after.deliveries, []);
      assert.is(after.nextDueMs, null);
      const dead = await drain(dlqSubscription);
      assert.is(dead.length, 1, 'exactly one dead letter');
      const letter = dead[0]!.message;
      assert.is(letter.data.toString(), 'poison');
      assert.equal({ ...letter.attributes }, { kind: 'order', n: '7' });
      assert.is(letter.orderingKey, 'customer-1');
      assert.is(letter.traceparent, sent.traceparent);
      assert.is(letter.tracestate, sent.tracestate);
      assert.is(letter.originalId, messageId);
      assert.equal({ ...letter.deadLetter }, { sourceTopic: topic, subscription, reason: 'max-delivery-attempts', attempts: 3 });
      assert.is(letter.publishTimeMs, Number(letter.id.split('-')[0]));
      assert.is(dead[0]!.reason, 'first');
      assert.is((await store.inspect(dlq, letter.id)).message.originalId, messageId);
      await waitFor(async () => watcher.calls() > 0, "the dead-letter topic's watcher is called");
    } finally {
      watcher.stop();
    }
    await sleep(300);
    assert.equal((await receive(subscription)).deliveries, [], 'never delivered again from the source');
    assert.equal(await drain(dlqSubscription), [], 'and not dead-lettered twice');
    assert.equal(await store.stats(subscription), { backlog: 0, inFlight: 0, oldestUnsettledMs: null, deadLettered: 1 });
    assert.equal(texts(await drain(sibling)), ['poison'], 'another subscription keeps its own copy');
  });

  deadLetters('leases that run out count toward maxDeliveryAttempts too', async () => {
    const dlq = await createTopic();
    const topic = await createTopic();
    const subscription = await createSubscription(topic, {
      ackDeadlineMs: 200,
      minBackoffMs: 50,
      maxBackoffMs: 50,
      maxDeliveryAttempts: 2,
      deadLetterTopic: dlq,
    });
    const dlqSubscription = await createSubscription(dlq);
    await store.publish(topic, [message('slow')]);
    assert.is((await receive(subscription)).deliveries[0]!.attempt, 1);
    const [second] = await receiveEventually(subscription);
    assert.is(second!.attempt, 2);
    await waitFor(async () => {
      assert.equal((await receive(subscription)).deliveries, [], 'no third delivery');
      return (await store.stats(subscription)).deadLettered === 1;
    }, 'the message is dead-lettered');
    assert.ok(Date.now() >= second!.leaseDeadlineMs + 50 - CLOCK_SLACK_MS, 'not before its last lease end + backoff');
    const [letter] = await drain(dlqSubscription);
    assert.equal({ ...letter!.message.deadLetter }, { sourceTopic: topic, subscription, reason: 'max-delivery-attempts', attempts: 2 });
  });

  deadLetters('without a dead-letter topic an exhausted message is dropped and counted', async () => {
    const { topic, subscription } = await topicWithSubscription({ maxDeliveryAttempts: 1 });
    const [a] = await store.publish(topic, [message('a'), message('b')]);
    const [da, db] = (await receive(subscription)).deliveries;
    await store.nack(subscription, [receiptOf(da!)], 0, 'broken');
    await store.ack(subscription, [receiptOf(db!)]);
    const after = await receive(subscription);
    assert.equal(after.deliveries, []);
    assert.is(after.nextDueMs, null);
    assert.equal(await store.stats(subscription), { backlog: 0, inFlight: 0, oldestUnsettledMs: null, deadLettered: 1 });
    const { states } = await store.inspect(topic, a!.messageId);
    assert.equal(states, [{ subscription, state: 'dead-lettered', attempts: 1, consumer: '', lastError: 'max-delivery-attempts' }]);
  });

  deadLetters('a receipt of a message dead-lettered after its last attempt is invalid; one settled before stays ok', async () => {
    const { topic, subscription } = await topicWithSubscription({ maxDeliveryAttempts: 1 });
    await store.publish(topic, [message('a'), message('b')]);
    const [da, db] = (await receive(subscription)).deliveries;
    // Its stream went away, and its consumer's ack comes late: the message was dead-lettered meanwhile.
    assert.equal(await store.release(subscription, [receiptOf(da!)]), ['ok']);
    assert.equal(await store.reject(subscription, [receiptOf(db!)], 'bad'), ['ok']);
    assert.equal((await receive(subscription)).deliveries, []);
    assert.is((await store.stats(subscription)).deadLettered, 2);
    assert.equal(await store.ack(subscription, [receiptOf(da!), receiptOf(db!)]), ['invalid-receipt', 'ok']);
    assert.equal(await store.reject(subscription, [receiptOf(da!), receiptOf(db!)], 'bad'), ['invalid-receipt', 'ok']);
  });

  deadLetters('reject dead-letters at once with its reason and current attempt; an empty reason is recorded as rejected', async () => {
    const dlq = await createTopic();
    const topic = await createTopic();
    const subscription = await createSubscription(topic, { deadLetterTopic: dlq, ackDeadlineMs: 60_000 });
    const dlqSubscription = await createSubscription(dlq);
    const [a, b] = await store.publish(topic, [message('a'), message('b')]);
    const [a1, b1] = (await receive(subscription)).deliveries;
    await store.nack(subscription, [receiptOf(a1!)], 0, '');
    const [a2] = (await receive(subscription)).deliveries;
    assert.is(a2!.attempt, 2);
    assert.equal(await store.reject(subscription, [receiptOf(a2!)], 'schema mismatch'), ['ok']);
    assert.equal(await store.reject(subscription, [receiptOf(b1!)], ''), ['ok']);
    const after = await receive(subscription);
    assert.equal(after.deliveries, []);
    assert.is(after.nextDueMs, null, 'nothing left in flight');
    const dead = await drain(dlqSubscription);
    assert.equal(
      dead.map((d) => [d.message.originalId, { ...d.message.deadLetter }]),
      [
        [a!.messageId, { sourceTopic: topic, subscription, reason: 'schema mismatch', attempts: 2 }],
        [b!.messageId, { sourceTopic: topic, subscription, reason: 'rejected', attempts: 1 }],
      ],
    );
    assert.is((await store.stats(subscription)).deadLettered, 2);
    assert.equal((await store.inspect(topic, a!.messageId)).states[0]!.lastError, 'schema mismatch');
  });

  deadLetters('reject with a superseded receipt answers invalid-receipt and changes nothing; reject after ack answers ok', async () => {
    const dlq = await createTopic();
    const topic = await createTopic();
    const subscription = await createSubscription(topic, { deadLetterTopic: dlq, ackDeadlineMs: 200, minBackoffMs: 50 });
    const dlqSubscription = await createSubscription(dlq);
    const [x] = await store.publish(topic, [message('x')]);
    const [first] = (await receive(subscription, { consumer: 'old' })).deliveries;
    const [second] = await receiveEventually(subscription, { consumer: 'new' });
    assert.equal(await store.reject(subscription, [receiptOf(first!)], 'too late'), ['invalid-receipt']);
    const { states } = await store.inspect(topic, x!.messageId);
    assert.equal(states, [{ subscription, state: 'in-flight', attempts: 2, consumer: 'new', lastError: '' }], 'still with its new holder');
    assert.equal(await store.ack(subscription, [receiptOf(second!)]), ['ok']);
    assert.equal(await store.reject(subscription, [receiptOf(second!)], 'twice'), ['ok']);
    assert.equal(await drain(dlqSubscription), []);
    assert.is((await store.stats(subscription)).deadLettered, 0);
  });

  deadLetters('a dead-letter topic deleted after the subscription was made: dead letters are dropped and counted', async () => {
    const dlq = await createTopic();
    const topic = await createTopic();
    const subscription = await createSubscription(topic, { deadLetterTopic: dlq });
    await store.deleteTopic(dlq);
    await store.publish(topic, [message('x')]);
    const [d] = (await receive(subscription)).deliveries;
    assert.equal(await store.reject(subscription, [receiptOf(d!)], ''), ['ok']);
    assert.equal(await store.stats(subscription), { backlog: 0, inFlight: 0, oldestUnsettledMs: null, deadLettered: 1 });
    await rejectsWith('not-found', () => store.getTopic(dlq), 'the dead-letter topic is not made again');
  });

  deadLetters('createSubscription with an unknown dead-letter topic throws not-found and creates nothing', async () => {
    const topic = await createTopic();
    const name = uniqueName();
    await rejectsWith('not-found', () =>
      store.createSubscription({ name, topic, ackDeadlineMs: 10_000, startPosition: 'earliest', ...SUBSCRIPTION_DEFAULTS, deadLetterTopic: uniqueName() }),
    );
    await rejectsWith('not-found', () => store.getSubscription(name));
  });

  // ---------------------------------------------------------------- redrive

  const redrive = newSuite('redrive');

  redrive('redrive moves dead letters back to their source as new messages, delivered with reason redrive in every subscription', async () => {
    const dlq = await createTopic();
    const topic = await createTopic();
    const subscription = await createSubscription(topic, { deadLetterTopic: dlq });
    const sibling = await createSubscription(topic);
    const peek = await createSubscription(dlq);
    const unread = await createSubscription(dlq);
    const sent = message('m', { attributes: { a: '1' }, orderingKey: 'k', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    const [m, n] = await store.publish(topic, [sent, message('n')]);
    const delivered = (await receive(subscription)).deliveries;
    await store.reject(subscription, delivered.map(receiptOf), 'bad');
    await store.ack(sibling, (await drain(sibling)).map(receiptOf));
    const held = await drain(peek);
    assert.equal(held.map((d) => d.message.originalId), [m!.messageId, n!.messageId]);
    assert.is((await store.stats(unread)).backlog, 2);

    const watcher = countCalls(topic);
    try {
      await sleep(WATCH_SETTLE_MS);
      assert.is(await store.redrive(dlq, undefined), 2);
      await waitFor(async () => watcher.calls() > 0, "the source topic's watcher is called");
    } finally {
      watcher.stop();
    }

    // Gone from the dead-letter topic: inspect, the subscription that held them and the one that never read them.
    for (const d of held) await rejectsWith('not-found', () => store.inspect(dlq, d.message.id), 'inspect of a redriven dead letter');
    assert.equal(await store.ack(peek, held.map(receiptOf)), ['ok', 'ok'], 'settling what was taken away is ok');
    const peekAfter = await receive(peek);
    assert.equal(peekAfter.deliveries, []);
    assert.is(peekAfter.nextDueMs, null);
    assert.equal(await drain(unread), []);
    assert.is((await store.stats(unread)).backlog, 0);

    for (const name of [subscription, sibling]) {
      const back = await drain(name);
      assert.equal(texts(back), ['m', 'n'], `back in ${name === subscription ? 'the source subscription' : 'its sibling'}`);
      assert.equal(back.map((d) => d.reason), ['redrive', 'redrive']);
      assert.equal(back.map((d) => d.attempt), [1, 1]);
      assert.equal(back.map((d) => d.message.originalId), [m!.messageId, n!.messageId]);
      assert.ok(back.every((d) => d.message.deadLetter === undefined), 'no dead-letter info any more');
      assert.ok(back.every((d) => compareIds(d.message.id, n!.messageId) > 0), 'new ids in the source topic');
      assert.equal({ ...back[0]!.message.attributes }, { a: '1' });
      assert.is(back[0]!.message.orderingKey, 'k');
      assert.is(back[0]!.message.traceparent, sent.traceparent);
    }
  });

  redrive('redrive of chosen ids moves only those and skips unknown ones; an unknown topic throws not-found', async () => {
    const dlq = await createTopic();
    const topic = await createTopic();
    const subscription = await createSubscription(topic, { deadLetterTopic: dlq });
    const peek = await createSubscription(dlq);
    const [, b] = await store.publish(topic, [message('a'), message('b'), message('c')]);
    await store.reject(subscription, (await receive(subscription)).deliveries.map(receiptOf), '');
    const [da, db, dc] = await drain(peek);
    assert.is(await store.redrive(dlq, [db!.message.id, '1-0', 'not-an-id']), 1);
    const [back] = await drain(subscription);
    assert.is(back!.message.originalId, b!.messageId);
    assert.is(back!.reason, 'redrive');
    assert.is(await store.redrive(dlq, [db!.message.id]), 0, 'already moved');
    assert.is((await store.inspect(dlq, da!.message.id)).message.data.toString(), 'a');
    assert.is((await store.inspect(dlq, dc!.message.id)).message.data.toString(), 'c');
    assert.is(await store.redrive(dlq, []), 0, 'an empty list moves nothing');
    await rejectsWith('not-found', () => store.redrive(uniqueName(), undefined));
  });

  redrive('redrive leaves a dead letter whose source topic is gone, and moves the others', async () => {
    const dlq = await createTopic();
    const gone = await createTopic();
    const kept = await createTopic();
    const fromGone = await createSubscription(gone, { deadLetterTopic: dlq });
    const fromKept = await createSubscription(kept, { deadLetterTopic: dlq });
    const peek = await createSubscription(dlq);
    await store.publish(gone, [message('orphan')]);
    await store.publish(kept, [message('home')]);
    await store.reject(fromGone, (await receive(fromGone)).deliveries.map(receiptOf), '');
    await store.reject(fromKept, (await receive(fromKept)).deliveries.map(receiptOf), '');
    const dead = await drain(peek);
    await store.deleteSubscription(fromGone);
    await store.deleteTopic(gone);
    assert.is(await store.redrive(dlq, undefined), 1);
    const orphan = dead.find((d) => d.message.data.toString() === 'orphan')!;
    assert.is((await store.inspect(dlq, orphan.message.id)).message.deadLetter?.sourceTopic, gone);
    assert.equal(texts(await drain(fromKept)), ['home']);
  });

  // ---------------------------------------------------------------- ordering

  const ordering = newSuite('ordering');

  ordering('with ordering, one message per key is in flight, in publish order; other keys and keyless messages are not held back', async () => {
    const { topic, subscription } = await topicWithSubscription({ ordering: true, ackDeadlineMs: 60_000 });
    await store.publish(topic, [
      message('a1', { orderingKey: 'a' }),
      message('b1', { orderingKey: 'b' }),
      message('a2', { orderingKey: 'a' }),
      message('c'),
      message('a3', { orderingKey: 'a' }),
      message('b2', { orderingKey: 'b' }),
      message('d'),
    ]);
    const first = await receive(subscription, { maxMessages: 4 });
    assert.equal(texts(first.deliveries), ['a1', 'b1', 'c', 'd'], 'parked messages take no room');
    assert.equal(first.deliveries.map((d) => d.reason), ['first', 'first', 'first', 'first']);
    assert.equal((await receive(subscription)).deliveries, []);
    const byText = new Map(first.deliveries.map((d) => [d.message.data.toString(), d]));
    const watcher = countCalls(topic);
    try {
      await sleep(WATCH_SETTLE_MS);
      const seen = watcher.calls();
      await store.ack(subscription, [receiptOf(byText.get('a1')!)]);
      const [a2] = (await receive(subscription)).deliveries;
      assert.is(a2!.message.data.toString(), 'a2');
      assert.is(a2!.attempt, 1);
      assert.is(a2!.reason, 'first');
      await waitFor(async () => watcher.calls() > seen, 'the watcher is called when the next message of a key falls due');
      await store.ack(subscription, [receiptOf(byText.get('b1')!)]);
      assert.equal(texts((await receive(subscription)).deliveries), ['b2']);
      await store.ack(subscription, [receiptOf(a2!)]);
      assert.equal(texts((await receive(subscription)).deliveries), ['a3']);
      assert.equal((await receive(subscription)).deliveries, []);
    } finally {
      watcher.stop();
    }
  });

  ordering('the key stays held by the same message across nack, release and lease expiry', async () => {
    const { topic, subscription } = await topicWithSubscription({ ordering: true, ackDeadlineMs: 200, minBackoffMs: 50, maxBackoffMs: 50 });
    await store.publish(topic, [message('k1', { orderingKey: 'k' }), message('k2', { orderingKey: 'k' }), message('x', { orderingKey: 'x' })]);
    const [k1, x] = (await receive(subscription)).deliveries;
    assert.equal(texts([k1!, x!]), ['k1', 'x']);
    await store.ack(subscription, [receiptOf(x!)]);
    await store.nack(subscription, [receiptOf(k1!)], 0, '');
    const [afterNack] = (await receive(subscription)).deliveries;
    assert.equal([afterNack!.message.data.toString(), afterNack!.attempt, afterNack!.reason], ['k1', 2, 'nack']);
    await store.release(subscription, [receiptOf(afterNack!)]);
    const afterRelease = (await receive(subscription)).deliveries;
    assert.equal(afterRelease.map((d) => [d.message.data.toString(), d.attempt, d.reason]), [['k1', 3, 'consumer-lost']]);
    const afterExpiry = await receiveEventually(subscription);
    assert.equal(afterExpiry.map((d) => [d.message.data.toString(), d.attempt, d.reason]), [['k1', 4, 'lease-expired']]);
    await store.ack(subscription, [receiptOf(afterExpiry[0]!)]);
    const [k2] = (await receive(subscription)).deliveries;
    assert.equal([k2!.message.data.toString(), k2!.attempt, k2!.reason], ['k2', 1, 'first']);
  });

  ordering('dead-lettering frees the key: at once by reject, and when an exhausted message falls due', async () => {
    const dlq = await createTopic();
    const topic = await createTopic();
    const subscription = await createSubscription(topic, { ordering: true, maxDeliveryAttempts: 1, deadLetterTopic: dlq });
    const dlqSubscription = await createSubscription(dlq);
    await store.publish(topic, ['a1', 'a2', 'a3'].map((text) => message(text, { orderingKey: 'a' })));
    const [a1] = (await receive(subscription)).deliveries;
    assert.equal((await receive(subscription)).deliveries, []);
    await store.reject(subscription, [receiptOf(a1!)], 'poison');
    const [a2] = (await receive(subscription)).deliveries;
    assert.equal([a2!.message.data.toString(), a2!.attempt, a2!.reason], ['a2', 1, 'first']);
    await store.nack(subscription, [receiptOf(a2!)], 0, '');
    const [a3] = await receiveEventually(subscription);
    assert.equal([a3!.message.data.toString(), a3!.attempt, a3!.reason], ['a3', 1, 'first']);
    const dead = await drain(dlqSubscription);
    assert.equal(
      dead.map((d) => [d.message.data.toString(), d.message.deadLetter?.reason]),
      [
        ['a1', 'poison'],
        ['a2', 'max-delivery-attempts'],
      ],
    );
  });

  ordering('without ordering, messages with the same key are not held back', async () => {
    const { topic, subscription } = await topicWithSubscription({ ordering: false });
    await store.publish(topic, ['k1', 'k2', 'k3'].map((text) => message(text, { orderingKey: 'k' })));
    assert.equal(texts((await receive(subscription)).deliveries), ['k1', 'k2', 'k3']);
  });

  // ---------------------------------------------------------------- seek

  const seek = newSuite('seek');

  seek('seek to a message id settles what is before it and delivers it and later ones again as attempt 1, reason seek', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 60_000 });
    const published = await store.publish(topic, ['m1', 'm2', 'm3', 'm4'].map((text) => message(text)));
    const [d1, d2, , d4] = (await receive(subscription)).deliveries;
    await store.ack(subscription, [receiptOf(d1!), receiptOf(d2!)]);
    await store.nack(subscription, [receiptOf(d4!)], 0, '');
    const [d4again] = (await receive(subscription)).deliveries;
    assert.is(d4again!.attempt, 2);
    const watcher = countCalls(topic);
    try {
      await sleep(WATCH_SETTLE_MS);
      await store.seek(subscription, { messageId: published[1]!.messageId });
      await waitFor(async () => watcher.calls() > 0, 'the watcher is called after seek');
    } finally {
      watcher.stop();
    }
    const again = await receive(subscription);
    assert.equal(texts(again.deliveries), ['m2', 'm3', 'm4']);
    assert.equal(again.deliveries.map((d) => d.attempt), [1, 1, 1]);
    assert.equal(again.deliveries.map((d) => d.reason), ['seek', 'seek', 'seek']);
    assert.equal(await store.ack(subscription, [receiptOf(d4again!)]), ['invalid-receipt'], 'a receipt from before the seek is not current');
    await store.publish(topic, [message('m5')]);
    const [m5] = (await receive(subscription)).deliveries;
    assert.equal([m5!.message.data.toString(), m5!.reason], ['m5', 'first']);
    assert.equal(await store.stats(subscription), {
      backlog: 0,
      inFlight: 4,
      oldestUnsettledMs: again.deliveries[0]!.message.publishTimeMs,
      deadLettered: 0,
    });
  });

  seek('seek to a time targets the first message published at or after it', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const [a] = await store.publish(topic, [message('a')]);
    await sleep(10);
    await store.publish(topic, [message('b')]);
    await sleep(10);
    await store.publish(topic, [message('c')]);
    await store.ack(subscription, (await drain(subscription)).map(receiptOf));
    await store.seek(subscription, { timeMs: idTime(a!.messageId) + 1 });
    const later = await drain(subscription);
    assert.equal(texts(later), ['b', 'c']);
    assert.equal(later.map((d) => d.reason), ['seek', 'seek']);
    await store.seek(subscription, { timeMs: idTime(a!.messageId) });
    assert.equal(texts(await drain(subscription)), ['a', 'b', 'c']);
  });

  seek('seek to an id that is not in the topic targets the first message after it', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const [a] = await store.publish(topic, [message('a')]);
    await sleep(10);
    await store.publish(topic, [message('b'), message('c')]);
    await store.ack(subscription, (await drain(subscription)).map(receiptOf));
    await store.seek(subscription, { messageId: `${idTime(a!.messageId)}-999` });
    assert.equal(texts(await drain(subscription)), ['b', 'c']);
    await store.seek(subscription, { messageId: '0-0' });
    assert.equal(texts(await drain(subscription)), ['a', 'b', 'c']);
  });

  seek('seek past every message moves to the end: nothing old comes again, what is published next does', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 60_000 });
    await store.publish(topic, [message('a'), message('b')]);
    await receive(subscription, { maxMessages: 1 });
    await store.seek(subscription, { timeMs: Date.now() + 3_600_000 });
    const after = await receive(subscription);
    assert.equal(after.deliveries, []);
    assert.is(after.nextDueMs, null, 'the in-flight delivery was forgotten');
    assert.equal(await store.stats(subscription), { backlog: 0, inFlight: 0, oldestUnsettledMs: null, deadLettered: 0 });
    await store.publish(topic, [message('c')]);
    const [c] = (await receive(subscription)).deliveries;
    assert.equal([c!.message.data.toString(), c!.reason], ['c', 'first']);
  });

  seek('seek forgets parked messages and key holders; a message never delivered before comes as first', async () => {
    const { topic, subscription } = await topicWithSubscription({ ordering: true, ackDeadlineMs: 60_000 });
    const [k1] = await store.publish(topic, [
      message('k1', { orderingKey: 'k' }),
      message('k2', { orderingKey: 'k' }),
      message('x'),
      message('y'),
    ]);
    assert.equal(texts((await receive(subscription, { maxMessages: 2 })).deliveries), ['k1', 'x'], 'k2 is parked');
    await store.seek(subscription, { messageId: k1!.messageId });
    const again = await receive(subscription);
    assert.equal(texts(again.deliveries), ['k1', 'x', 'y'], 'k1 holds its key again; k2 is parked again');
    assert.equal(again.deliveries.map((d) => d.reason), ['seek', 'seek', 'first']);
    await store.ack(subscription, [receiptOf(again.deliveries[0]!)]);
    const [k2] = (await receive(subscription)).deliveries;
    assert.equal([k2!.message.data.toString(), k2!.attempt, k2!.reason], ['k2', 1, 'first'], 'parked, never delivered');
  });

  seek('a latest subscription that seeks back gets the older messages with reason first', async () => {
    const topic = await createTopic();
    await store.publish(topic, [message('old')]);
    const subscription = await createSubscription(topic, { startPosition: 'latest' });
    await store.publish(topic, [message('new')]);
    assert.equal(texts(await drain(subscription)), ['new']);
    await store.seek(subscription, { timeMs: 0 });
    const all = await drain(subscription);
    assert.equal(all.map((d) => [d.message.data.toString(), d.reason]), [
      ['old', 'first'],
      ['new', 'seek'],
    ]);
  });

  seek('seek to a malformed message id throws invalid-argument', async () => {
    const { subscription } = await topicWithSubscription();
    await rejectsWith('invalid-argument', () => store.seek(subscription, { messageId: 'yesterday' }));
  });

  // ---------------------------------------------------------------- stats and inspect

  const observe = newSuite('stats and inspect');

  observe('stats counts backlog, in flight (nacked ones too), the oldest unsettled publish time and dead letters', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 60_000 });
    assert.equal(await store.stats(subscription), { backlog: 0, inFlight: 0, oldestUnsettledMs: null, deadLettered: 0 });
    await store.publish(topic, [message('a')]);
    await sleep(5);
    await store.publish(topic, [message('b')]);
    await sleep(5);
    await store.publish(topic, [message('c')]);
    const [a, b] = (await receive(subscription, { maxMessages: 2 })).deliveries;
    assert.equal(await store.stats(subscription), { backlog: 1, inFlight: 2, oldestUnsettledMs: a!.message.publishTimeMs, deadLettered: 0 });
    await store.nack(subscription, [receiptOf(b!)], 60_000, 'later');
    await store.ack(subscription, [receiptOf(a!)]);
    assert.equal(await store.stats(subscription), { backlog: 1, inFlight: 1, oldestUnsettledMs: b!.message.publishTimeMs, deadLettered: 0 });
    await store.reject(subscription, [receiptOf(b!)], '');
    const [c] = (await receive(subscription)).deliveries;
    assert.equal(await store.stats(subscription), { backlog: 0, inFlight: 1, oldestUnsettledMs: c!.message.publishTimeMs, deadLettered: 1 });
    await store.ack(subscription, [receiptOf(c!)]);
    assert.equal(await store.stats(subscription), { backlog: 0, inFlight: 0, oldestUnsettledMs: null, deadLettered: 1 });
  });

  observe('with ordering, parked messages are backlog and pending with 0 attempts until delivered', async () => {
    const { topic, subscription } = await topicWithSubscription({ ordering: true, ackDeadlineMs: 60_000 });
    const [, k2] = await store.publish(topic, ['k1', 'k2', 'k3'].map((text) => message(text, { orderingKey: 'k' })));
    const [k1] = (await receive(subscription)).deliveries;
    assert.equal(await store.stats(subscription), { backlog: 2, inFlight: 1, oldestUnsettledMs: k1!.message.publishTimeMs, deadLettered: 0 });
    const pending = { subscription, state: 'pending', attempts: 0, consumer: '', lastError: '' };
    assert.equal((await store.inspect(topic, k2!.messageId)).states, [pending]);
    await store.ack(subscription, [receiptOf(k1!)]);
    assert.equal({ ...(await store.stats(subscription)), oldestUnsettledMs: 0 }, { backlog: 2, inFlight: 0, oldestUnsettledMs: 0, deadLettered: 0 });
    assert.equal((await store.inspect(topic, k2!.messageId)).states, [pending], 'due now, but not delivered yet');
    await receive(subscription, { consumer: 'worker' });
    assert.equal({ ...(await store.stats(subscription)), oldestUnsettledMs: 0 }, { backlog: 1, inFlight: 1, oldestUnsettledMs: 0, deadLettered: 0 });
    assert.equal((await store.inspect(topic, k2!.messageId)).states, [
      { subscription, state: 'in-flight', attempts: 1, consumer: 'worker', lastError: '' },
    ]);
  });

  observe('inspect answers the message and its state in every subscription of its topic, in name order', async () => {
    const topic = await createTopic();
    const otherTopic = await createTopic();
    const prefix = uniqueName();
    // Made out of name order, so an adapter answering in creation order fails.
    for (const suffix of ['d', 'b', 'c', 'a']) await createSubscriptionNamed(`${prefix}-${suffix}`, topic);
    await createSubscriptionNamed(`${prefix}-other`, otherTopic);
    const sent = message('hello', { attributes: { k: 'v' }, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    const [published] = await store.publish(topic, [sent]);
    const id = published!.messageId;
    await store.reject(`${prefix}-a`, (await receive(`${prefix}-a`)).deliveries.map(receiptOf), 'poison');
    const [b] = (await receive(`${prefix}-b`, { consumer: 'worker-7' })).deliveries;
    await store.nack(`${prefix}-b`, [receiptOf(b!)], 60_000, 'db timeout');
    await store.ack(`${prefix}-d`, (await receive(`${prefix}-d`)).deliveries.map(receiptOf));
    const { message: found, states } = await store.inspect(topic, id);
    assert.is(found.id, id);
    assert.is(found.data.toString(), 'hello');
    assert.equal({ ...found.attributes }, { k: 'v' });
    assert.is(found.traceparent, sent.traceparent);
    assert.is(found.originalId, '');
    assert.is(found.deadLetter, undefined);
    assert.equal(states, [
      { subscription: `${prefix}-a`, state: 'dead-lettered', attempts: 1, consumer: '', lastError: 'poison' },
      { subscription: `${prefix}-b`, state: 'in-flight', attempts: 1, consumer: 'worker-7', lastError: 'db timeout' },
      { subscription: `${prefix}-c`, state: 'pending', attempts: 0, consumer: '', lastError: '' },
      { subscription: `${prefix}-d`, state: 'acked', attempts: 0, consumer: '', lastError: '' },
    ]);
  });

  observe('the last nack reason stays the last error across redeliveries until the next nack', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 60_000 });
    const [x] = await store.publish(topic, [message('x')]);
    const [d1] = (await receive(subscription)).deliveries;
    await store.nack(subscription, [receiptOf(d1!)], 0, 'first failure');
    const [d2] = (await receive(subscription, { consumer: 'second' })).deliveries;
    const state = async () => (await store.inspect(topic, x!.messageId)).states[0]!;
    assert.equal(await state(), { subscription, state: 'in-flight', attempts: 2, consumer: 'second', lastError: 'first failure' });
    await store.nack(subscription, [receiptOf(d2!)], 60_000, 'second failure');
    assert.is((await state()).lastError, 'second failure');
  });

  observe('inspect of an unknown topic, an unknown id or an id of another topic throws not-found', async () => {
    const topic = await createTopic();
    const other = await createTopic();
    await store.publish(topic, [message('y')]);
    // A later ms, so this id cannot also be one of the first topic's.
    await sleep(5);
    const [elsewhere] = await store.publish(other, [message('x')]);
    await rejectsWith('not-found', () => store.inspect(uniqueName(), elsewhere!.messageId), 'unknown topic');
    await rejectsWith('not-found', () => store.inspect(topic, '1-0'), 'unknown id');
    await rejectsWith('not-found', () => store.inspect(topic, elsewhere!.messageId), 'id of another topic');
  });

  // ---------------------------------------------------------------- retention

  const retention = newSuite('retention');

  retention('trim by count keeps the newest retentionMessages, but nothing a paused subscription has not settled', async () => {
    const topic = await createTopic({ retentionMessages: 2 });
    const active = await createSubscription(topic, { ackDeadlineMs: 60_000 });
    const paused = await createSubscription(topic, { ackDeadlineMs: 60_000 });
    const published = await store.publish(topic, ['m1', 'm2', 'm3', 'm4', 'm5'].map((text) => message(text)));
    const [m1, m2, m3] = published.map((outcome) => outcome.messageId);
    await store.ack(active, (await drain(active)).map(receiptOf));
    assert.is(await store.trim(topic), 0, 'the paused subscription has settled nothing');
    const [p1, p2, p3] = (await receive(paused, { maxMessages: 3 })).deliveries;
    await store.ack(paused, [receiptOf(p1!), receiptOf(p2!)]);
    assert.is(await store.trim(topic), 2, 'm1 and m2: settled everywhere; m3 is in flight');
    await rejectsWith('not-found', () => store.inspect(topic, m1!), 'inspect of trimmed m1');
    await rejectsWith('not-found', () => store.inspect(topic, m2!), 'inspect of trimmed m2');
    assert.is((await store.inspect(topic, m3!)).message.data.toString(), 'm3');
    assert.is(await store.trim(topic), 0);
    await store.ack(paused, [receiptOf(p3!)]);
    assert.is(await store.trim(topic), 1, 'm3, now settled everywhere');
    assert.equal(texts(await drain(paused)), ['m4', 'm5'], 'nothing the paused subscription had not received was lost');
    assert.is(await store.trim(topic), 0, 'the newest two stay');
  });

  retention('trim by age removes settled messages older than retentionMs, from the front only', async () => {
    const topic = await createTopic({ retentionMs: 1_000 });
    const subscription = await createSubscription(topic, { ackDeadlineMs: 60_000 });
    await store.publish(topic, [message('o1'), message('o2'), message('o3')]);
    const [o1, o2, o3] = (await receive(subscription)).deliveries;
    await store.ack(subscription, [receiptOf(o1!), receiptOf(o3!)]);
    assert.is(await store.trim(topic), 0, 'not old enough yet');
    await sleep(1_100);
    const [young] = await store.publish(topic, [message('young')]);
    assert.is(await store.trim(topic), 1, 'o1; o2 is in flight and o3 comes after it');
    await store.ack(subscription, [receiptOf(o2!)]);
    assert.is(await store.trim(topic), 2, 'o2 and o3');
    assert.is((await store.inspect(topic, young!.messageId)).message.data.toString(), 'young');
    assert.equal(texts(await drain(subscription)), ['young']);
  });

  retention('a topic without subscriptions trims by retention alone; one made afterwards starts at what is left', async () => {
    const topic = await createTopic({ retentionMessages: 1 });
    await store.publish(topic, [message('a'), message('b'), message('c')]);
    assert.is(await store.trim(topic), 2);
    assert.is(await store.trim(topic), 0);
    const subscription = await createSubscription(topic, { startPosition: 'earliest' });
    assert.equal(texts(await drain(subscription)), ['c']);
    await rejectsWith('not-found', () => store.trim(uniqueName()));
  });

  // ---------------------------------------------------------------- transactions

  // Without transactions, their suite is one test of the documented answer; the others are not defined.
  const transactions = limits.transactions === 'unimplemented' ? ((() => {}) as unknown as ReturnType<typeof suite>) : newSuite('transactions');
  if (limits.transactions === 'unimplemented') {
    newSuite('transactions')('prepare, commit and abort throw unimplemented and stage nothing; expireTransactions finds nothing', async () => {
      const { topic, subscription } = await topicWithSubscription();
      await store.publish(topic, [message('consumed')]);
      const [delivery] = await receiveEventually(subscription);
      const id = transactionId();
      await rejectsWith('unimplemented', () => store.prepare(id, [staged(topic, 'x')], [{ subscription, receipt: receiptOf(delivery!) }], 10_000));
      await rejectsWith('unimplemented', () => store.commit(id));
      await rejectsWith('unimplemented', () => store.abort(id));
      assert.is(await store.expireTransactions(), 0);
      assert.equal(texts(await drain(subscription)), [], 'nothing staged became visible');
      assert.equal(await store.ack(subscription, [receiptOf(delivery!)]), ['ok'], 'the receipt was not touched');
    });
  }

  transactions('staged messages are invisible until commit, then every one arrives at every subscription of its topic, in staged order', async () => {
    const a = await createTopic();
    const b = await createTopic();
    const a1 = await createSubscription(a);
    const a2 = await createSubscription(a);
    const b1 = await createSubscription(b);
    const watched = countCalls(a);
    await sleep(WATCH_SETTLE_MS);
    const id = transactionId();
    await store.prepare(id, [staged(a, 'a1'), staged(b, 'b1'), staged(a, 'a2'), staged(b, 'b2')], [], 10_000);
    for (const subscription of [a1, a2, b1]) {
      assert.equal(texts(await drain(subscription)), [], 'nothing receivable while prepared');
      assert.is((await store.stats(subscription)).backlog, 0, 'nothing in the backlog while prepared');
    }
    const committed = await store.commit(id);
    assert.is(committed.length, 4);
    assert.ok(compareIds(committed[0]!, committed[2]!) < 0 && compareIds(committed[1]!, committed[3]!) < 0);
    for (const subscription of [a1, a2]) {
      const got = await drain(subscription);
      assert.equal(texts(got), ['a1', 'a2']);
      assert.equal(ids(got), [committed[0], committed[2]]);
    }
    const got = await drain(b1);
    assert.equal(texts(got), ['b1', 'b2']);
    assert.equal(ids(got), [committed[1], committed[3]]);
    await waitFor(async () => watched.calls() > 0, 'the topic watchers are called after commit');
    watched.stop();
  });

  transactions('commit acks the staged receipts: the consumed message is settled, not redelivered, and its receipt answers ok', async () => {
    const input = await topicWithSubscription();
    const output = await topicWithSubscription();
    await store.publish(input.topic, [message('in')]);
    const [consumed] = await receiveEventually(input.subscription);
    const id = transactionId();
    await store.prepare(id, [staged(output.topic, 'out')], [stagedAck(input.subscription, consumed!)], 10_000);
    assert.is((await store.inspect(input.topic, consumed!.message.id)).states[0]!.state, 'in-flight', 'not acked while prepared');
    const [produced] = await store.commit(id);
    assert.equal((await store.inspect(input.topic, consumed!.message.id)).states, [
      { subscription: input.subscription, state: 'acked', attempts: 0, consumer: '', lastError: '' },
    ]);
    assert.is((await store.stats(input.subscription)).inFlight, 0);
    assert.equal(await store.ack(input.subscription, [receiptOf(consumed!)]), ['ok']);
    assert.equal(ids(await drain(input.subscription)), []);
    assert.equal(ids(await drain(output.subscription)), [produced]);
  });

  transactions('commit twice answers the same ids and stores nothing twice', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const id = transactionId();
    await store.prepare(id, [staged(topic, 'x'), staged(topic, 'y')], [], 10_000);
    const first = await store.commit(id);
    assert.equal(await store.commit(id), first);
    assert.equal(ids(await drain(subscription)), first);
  });

  transactions('abort drops the staged messages and makes the consumed message due after its backoff, reason nack; abort twice is ok', async () => {
    const input = await topicWithSubscription({ minBackoffMs: 100 });
    const output = await topicWithSubscription();
    await store.publish(input.topic, [message('in')]);
    const [consumed] = await receiveEventually(input.subscription);
    const id = transactionId();
    await store.prepare(id, [staged(output.topic, 'out')], [stagedAck(input.subscription, consumed!)], 10_000);
    const before = Date.now();
    await store.abort(id);
    await store.abort(id);
    assert.equal(texts(await drain(output.subscription)), []);
    const [again] = await receiveEventually(input.subscription, { consumer: 'worker' });
    assert.ok(Date.now() >= before + 100 - CLOCK_SLACK_MS, 'not before the backoff of attempt 1');
    assert.is(again!.message.id, consumed!.message.id);
    assert.is(again!.attempt, 2);
    assert.is(again!.reason, 'nack');
    // An abort is a nack without a reason of its own: the last error stays as it was.
    assert.equal((await store.inspect(input.topic, consumed!.message.id)).states, [
      { subscription: input.subscription, state: 'in-flight', attempts: 2, consumer: 'worker', lastError: '' },
    ]);
  });

  transactions('commit after abort throws aborted with the reason; abort after commit throws failed-precondition', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const aborted = transactionId();
    await store.prepare(aborted, [staged(topic, 'never')], [], 10_000);
    await store.abort(aborted);
    const error = await rejectsWith('aborted', () => store.commit(aborted));
    assert.ok(error.message.includes(aborted) && error.message.includes('aborted'), error.message);
    await rejectsWith('aborted', () => store.commit(aborted), 'a second commit');
    const committed = transactionId();
    await store.prepare(committed, [staged(topic, 'kept')], [], 10_000);
    const produced = await store.commit(committed);
    await rejectsWith('failed-precondition', () => store.abort(committed));
    assert.equal(await store.commit(committed), produced, 'still committed');
    assert.equal(texts(await drain(subscription)), ['kept']);
  });

  transactions('prepare again with the same id answers the first expiry and stages nothing more, whatever it names and also after commit', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const id = transactionId();
    const before = Date.now();
    const first = await store.prepare(id, [staged(topic, 'first')], [], 5_000);
    const after = Date.now();
    assert.is(first.id, id);
    assert.ok(first.expiresMs >= before + 5_000 - CLOCK_SLACK_MS && first.expiresMs <= after + 5_000 + CLOCK_SLACK_MS);
    const second = await store.prepare(id, [staged(topic, 'second'), staged(uniqueName(), 'unknown topic')], [], 60_000);
    assert.equal({ ...second }, { ...first });
    const produced = await store.commit(id);
    assert.is(produced.length, 1);
    assert.equal({ ...(await store.prepare(id, [staged(topic, 'third')], [], 60_000)) }, { ...first });
    assert.equal(await store.commit(id), produced);
    assert.equal(texts(await drain(subscription)), ['first']);
  });

  transactions('commit after the timeout throws aborted (expired), makes nothing visible, and the consumed message comes again after its backoff, reason nack', async () => {
    const input = await topicWithSubscription({ minBackoffMs: 100 });
    const output = await topicWithSubscription();
    await store.publish(input.topic, [message('in')]);
    const [consumed] = await receiveEventually(input.subscription);
    const id = transactionId();
    const { expiresMs } = await store.prepare(id, [staged(output.topic, 'out')], [stagedAck(input.subscription, consumed!)], 200);
    await sleep(Math.max(0, expiresMs - Date.now()) + 100);
    const before = Date.now();
    const error = await rejectsWith('aborted', () => store.commit(id));
    assert.ok(error.message.includes('expired'), error.message);
    await rejectsWith('aborted', () => store.commit(id), 'a second commit');
    assert.equal(texts(await drain(output.subscription)), []);
    const [again] = await receiveEventually(input.subscription);
    assert.ok(Date.now() >= before + 100 - CLOCK_SLACK_MS, 'not before the backoff of attempt 1');
    assert.is(again!.message.id, consumed!.message.id);
    assert.is(again!.attempt, 2);
    assert.is(again!.reason, 'nack');
  });

  transactions('expireTransactions aborts every prepared transaction past its expiry, answers how many, and leaves the others', async () => {
    const input = await topicWithSubscription({ minBackoffMs: 100 });
    const output = await topicWithSubscription();
    await store.publish(input.topic, [message('in-1'), message('in-2')]);
    const [one, two] = await receiveEventually(input.subscription, { maxMessages: 2 });
    const early = [transactionId(), transactionId()];
    await store.prepare(early[0]!, [staged(output.topic, 'early-1')], [stagedAck(input.subscription, one!)], 200);
    const { expiresMs } = await store.prepare(early[1]!, [staged(output.topic, 'early-2')], [stagedAck(input.subscription, two!)], 200);
    const late = transactionId();
    await store.prepare(late, [staged(output.topic, 'late')], [], 60_000);
    await sleep(Math.max(0, expiresMs - Date.now()) + 100);
    // Other tests' transactions may expire meanwhile; these two must be among those counted.
    assert.ok((await store.expireTransactions()) >= 2);
    for (const id of early) {
      const error = await rejectsWith('aborted', () => store.commit(id));
      assert.ok(error.message.includes('expired'), error.message);
    }
    await store.abort(early[0]!);
    const produced = await store.commit(late);
    assert.equal(ids(await drain(output.subscription)), produced);
    const again: Delivery[] = [];
    await waitFor(async () => {
      again.push(...(await receive(input.subscription)).deliveries);
      return again.length >= 2;
    }, 'both consumed messages come again');
    assert.equal(again.map((d) => [d.message.id, d.attempt, d.reason]).sort(), [
      [one!.message.id, 2, 'nack'],
      [two!.message.id, 2, 'nack'],
    ].sort());
  });

  transactions('a receipt gone stale after prepare aborts the commit, naming it, and nothing is applied: no message visible, no receipt acked', async () => {
    const input = await topicWithSubscription({ minBackoffMs: 100 });
    const output = await topicWithSubscription();
    await store.publish(input.topic, [message('x'), message('y')]);
    const [x, y] = await receiveEventually(input.subscription, { maxMessages: 2 });
    const id = transactionId();
    await store.prepare(id, [staged(output.topic, 'out')], [stagedAck(input.subscription, x!), stagedAck(input.subscription, y!)], 10_000);
    // y goes to another consumer: the staged receipt of y is no longer the current one.
    await store.release(input.subscription, [receiptOf(y!)]);
    const [y2] = await receiveEventually(input.subscription, { consumer: 'other' });
    assert.is(y2!.message.id, y!.message.id);
    const error = await rejectsWith('aborted', () => store.commit(id));
    assert.ok(error.message.includes(y!.message.id), error.message);
    await rejectsWith('aborted', () => store.commit(id), 'a second commit');
    assert.equal(texts(await drain(output.subscription)), []);
    const states = async (delivery: Delivery) => (await store.inspect(input.topic, delivery.message.id)).states[0]!;
    assert.is((await states(x!)).state, 'in-flight', 'x not acked');
    const yState = await states(y!);
    assert.equal([yState.state, yState.attempts], ['in-flight', 2], 'y untouched by the abort');
    // x was released by the abort as after a nack.
    const [x2] = await receiveEventually(input.subscription);
    assert.equal([x2!.message.id, x2!.attempt, x2!.reason], [x!.message.id, 2, 'nack']);
    assert.equal(await store.ack(input.subscription, [receiptOf(y2!), receiptOf(x2!)]), ['ok', 'ok']);
  });

  transactions('a receipt already stale at prepare is staged all the same, and commit then aborts', async () => {
    const input = await topicWithSubscription();
    const output = await topicWithSubscription();
    await store.publish(input.topic, [message('x')]);
    const [first] = await receiveEventually(input.subscription);
    await store.nack(input.subscription, [receiptOf(first!)], 0, '');
    const [second] = await receiveEventually(input.subscription);
    const id = transactionId();
    await store.prepare(id, [staged(output.topic, 'out')], [stagedAck(input.subscription, first!)], 10_000);
    await rejectsWith('aborted', () => store.commit(id));
    assert.equal(texts(await drain(output.subscription)), []);
    assert.equal(await store.ack(input.subscription, [receiptOf(second!)]), ['ok']);
  });

  transactions('a topic or subscription deleted between prepare and commit aborts the commit, naming it, and nothing is applied', async () => {
    const gone = await createTopic();
    const output = await topicWithSubscription();
    const topicGone = transactionId();
    await store.prepare(topicGone, [staged(output.topic, 'out'), staged(gone, 'lost')], [], 10_000);
    await store.deleteTopic(gone);
    const error = await rejectsWith('aborted', () => store.commit(topicGone));
    assert.ok(error.message.includes(gone), error.message);

    const input = await topicWithSubscription();
    await store.publish(input.topic, [message('in')]);
    const [consumed] = await receiveEventually(input.subscription);
    const subscriptionGone = transactionId();
    await store.prepare(subscriptionGone, [staged(output.topic, 'out')], [stagedAck(input.subscription, consumed!)], 10_000);
    await store.deleteSubscription(input.subscription);
    const error2 = await rejectsWith('aborted', () => store.commit(subscriptionGone));
    assert.ok(error2.message.includes(input.subscription), error2.message);
    assert.equal(texts(await drain(output.subscription)), []);
  });

  transactions('prepare naming an unknown topic or subscription throws not-found and stages nothing: the id stays free', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const id = transactionId();
    await rejectsWith('not-found', () => store.prepare(id, [staged(topic, 'x'), staged(uniqueName(), 'y')], [], 10_000));
    const receipt = { subscription: uniqueName(), receipt: { messageId: '1-0', attempt: 1 } };
    await rejectsWith('not-found', () => store.prepare(id, [staged(topic, 'x')], [receipt], 10_000));
    await rejectsWith('not-found', () => store.commit(id));
    await store.prepare(id, [staged(topic, 'ok')], [], 10_000);
    assert.is((await store.commit(id)).length, 1);
    assert.equal(texts(await drain(subscription)), ['ok']);
  });

  transactions('an idempotency key that repeats a published one answers the original id and stores nothing; repeats inside a transaction act as in one batch', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const [original] = await store.publish(topic, [message('a', { idempotencyKey: 'k' })]);
    const id = transactionId();
    await store.prepare(
      id,
      [staged(topic, 'a', { idempotencyKey: 'k' }), staged(topic, 'b', { idempotencyKey: 'k2' }), staged(topic, 'b', { idempotencyKey: 'k2' })],
      [],
      10_000,
    );
    const produced = await store.commit(id);
    assert.is(produced[0], original!.messageId);
    assert.is(produced[2], produced[1]);
    assert.is.not(produced[1], original!.messageId);
    const got = await drain(subscription);
    assert.equal(texts(got), ['a', 'b']);
    assert.equal(ids(got), [original!.messageId, produced[1]]);
    // A key the transaction stored is remembered as publish's are.
    assert.equal(await store.publish(topic, [message('b', { idempotencyKey: 'k2' })]), [{ messageId: produced[1]!, duplicate: true }]);
  });

  transactions('an idempotency key used for other content aborts the commit, naming the message, and nothing is applied', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const other = await topicWithSubscription();
    const input = await topicWithSubscription();
    await store.publish(topic, [message('a', { idempotencyKey: 'order-17' })]);
    await store.publish(input.topic, [message('in')]);
    const [consumed] = await receiveEventually(input.subscription);
    const conflict = transactionId();
    await store.prepare(
      conflict,
      [staged(other.topic, 'fine'), staged(topic, 'not a', { idempotencyKey: 'order-17' })],
      [stagedAck(input.subscription, consumed!)],
      10_000,
    );
    const error = await rejectsWith('aborted', () => store.commit(conflict));
    // Keys are stored as digests, so the reason (remembered with the transaction) names the message.
    assert.ok(error.message.includes('idempotency key of message 1 '), error.message);
    assert.equal(texts(await drain(subscription)), ['a']);
    assert.equal(texts(await drain(other.subscription)), []);
    assert.is((await store.inspect(input.topic, consumed!.message.id)).states[0]!.state, 'in-flight', 'not acked');

    const inside = transactionId();
    await store.prepare(inside, [staged(topic, 'p', { idempotencyKey: 'order-18' }), staged(topic, 'q', { idempotencyKey: 'order-18' })], [], 10_000);
    const error2 = await rejectsWith('aborted', () => store.commit(inside));
    assert.ok(error2.message.includes('idempotency key of message 1 '), error2.message);
    assert.equal(texts(await drain(subscription)), []);
    assert.equal((await store.publish(topic, [message('q', { idempotencyKey: 'order-18' })]))[0]!.duplicate, false, 'the key stays unused');
  });

  transactions('while prepared, the transaction keeps the leases of its receipts alive past the ack deadline', async () => {
    const { topic, subscription } = await topicWithSubscription({ ackDeadlineMs: 300, minBackoffMs: 100 });
    await store.publish(topic, [message('in')]);
    const [consumed] = await receiveEventually(subscription);
    const id = transactionId();
    const preparedAt = Date.now();
    await store.prepare(id, [], [stagedAck(subscription, consumed!)], 2_000);
    while (Date.now() < preparedAt + 1_000) {
      assert.equal(ids((await receive(subscription, { consumer: 'other' })).deliveries), [], 'not redelivered while prepared');
      await sleep(50);
    }
    assert.equal(await store.commit(id), []);
    assert.is((await store.inspect(topic, consumed!.message.id)).states[0]!.state, 'acked');
  });

  transactions('with ordering, acking the holder of a key in a committed transaction frees the key for its next message', async () => {
    const { topic, subscription } = await topicWithSubscription({ ordering: true });
    await store.publish(topic, ['k1', 'k2'].map((text) => message(text, { orderingKey: 'k' })));
    const first = await receiveEventually(subscription);
    assert.equal(texts(first), ['k1']);
    const id = transactionId();
    await store.prepare(id, [], [stagedAck(subscription, first[0]!)], 10_000);
    assert.equal(texts(await drain(subscription)), [], 'the key is held while prepared');
    await store.commit(id);
    const [next] = await receiveEventually(subscription);
    assert.equal([next!.message.data.toString(), next!.attempt, next!.reason], ['k2', 1, 'first']);
  });

  transactions('a finished transaction is forgotten finishedTransactionTtlMs after it finished; then its id is unknown and prepare starts anew', async () => {
    const ttlMs = 1_000;
    const own = await makeStore({ finishedTransactionTtlMs: ttlMs });
    try {
      const s = own.store;
      const topic = (await s.createTopic(topicSettings(uniqueName()))).name;
      const subscription = (await createSubscriptionNamed(uniqueName(), topic, s)).name;
      const committed = transactionId();
      const aborted = transactionId();
      const first = await s.prepare(committed, [staged(topic, 'first')], [], 10_000);
      await s.prepare(aborted, [staged(topic, 'never')], [], 10_000);
      const finishing = Date.now();
      const produced = await s.commit(committed);
      await s.abort(aborted);
      assert.equal(await s.commit(committed), produced, 'remembered at first');
      await s.abort(aborted);
      // The aborted one finished last: once it is forgotten, so is the committed one.
      await waitFor(async () => {
        try {
          await s.abort(aborted);
          return false;
        } catch (error) {
          if (error instanceof StoreError && error.code === 'not-found') return true;
          throw error;
        }
      }, 'the finished transactions are forgotten');
      assert.ok(Date.now() >= finishing + ttlMs - CLOCK_SLACK_MS, 'not forgotten before finishedTransactionTtlMs');
      await rejectsWith('not-found', () => s.commit(committed));
      await rejectsWith('not-found', () => s.abort(committed));
      await rejectsWith('not-found', () => s.commit(aborted));
      const anew = await s.prepare(committed, [staged(topic, 'again')], [], 10_000);
      assert.ok(anew.expiresMs > first.expiresMs);
      const producedAgain = await s.commit(committed);
      assert.is(producedAgain.length, 1);
      assert.is.not(producedAgain[0], produced[0]);
      const got = await s.receive(subscription, { consumer: 'c', maxMessages: 10, maxBytes: 1_000_000, allowOneOversized: true });
      assert.equal(texts(got.deliveries), ['first', 'again']);
    } finally {
      await own.cleanup();
    }
  });

  transactions('commit and abort of an unknown id throw not-found', async () => {
    await rejectsWith('not-found', () => store.commit(transactionId()));
    await rejectsWith('not-found', () => store.abort(transactionId()));
  });

  // ---------------------------------------------------------------- watch and close

  const lifecycle = newSuite('watch and close');

  lifecycle('watch fires after a publish to the topic, never inside the publish call, and unwatch stops it', async () => {
    const topic = await createTopic();
    let calls = 0;
    const unwatch = store.watch(topic, () => calls++);
    await sleep(WATCH_SETTLE_MS);
    const publishing = store.publish(topic, [message('x')]);
    assert.is(calls, 0, 'not called from inside publish');
    await publishing;
    await waitFor(async () => calls > 0, 'the watcher is called after publish');
    unwatch();
    unwatch(); // twice is harmless
    await sleep(100); // any late notification of the first publish lands before we count
    const seen = calls;
    await store.publish(topic, [message('y')]);
    await sleep(200);
    assert.is(calls, seen, 'no call after unwatch');
  });

  lifecycle("this store's publish wakes each watcher once, before it resolves, and a receive sent then finds its messages", async () => {
    const { topic, subscription } = await topicWithSubscription();
    let calls = 0;
    let published = false;
    let received: Promise<ReceiveResult> | undefined;
    const unwatch = store.watch(topic, () => {
      calls++;
      if (!published) received ??= receive(subscription);
    });
    await sleep(WATCH_SETTLE_MS);
    await store.publish(topic, [message('x')]);
    published = true;
    assert.ok(received, 'the watcher was woken before the publish resolved');
    assert.equal(texts((await received!).deliveries), ['x'], 'the receive it sent finds the message');
    await sleep(200); // a notice of the same publish arriving late would land here
    assert.is(calls, 1, 'woken once, not again by its own notice');
    unwatch();
  });

  lifecycle('every watcher of the topic is called, and unwatching one keeps the other', async () => {
    const topic = await createTopic();
    let a = 0;
    let b = 0;
    const unwatchA = store.watch(topic, () => a++);
    const unwatchB = store.watch(topic, () => b++);
    await sleep(WATCH_SETTLE_MS);
    await store.publish(topic, [message('x')]);
    await waitFor(async () => a > 0 && b > 0, 'both watchers are called');
    unwatchA();
    const bBefore = b;
    await store.publish(topic, [message('y')]);
    await waitFor(async () => b > bBefore, 'the remaining watcher is still called');
    unwatchB();
  });

  lifecycle('after close every method throws unavailable, and close again is fine', async () => {
    const own = await makeStore();
    try {
      const topic = (await own.store.createTopic(topicSettings(uniqueName(), { dedupWindowMs: 1_000 }))).name;
      const subscription = (
        await own.store.createSubscription({
          name: uniqueName(),
          topic,
          ackDeadlineMs: 1_000,
          startPosition: 'earliest',
          ...SUBSCRIPTION_DEFAULTS,
        })
      ).name;
      await own.store.close();
      await own.store.close();
      const s = own.store;
      const page = { after: '', limit: 10 };
      const receipts = [{ messageId: '1-0', attempt: 1 }];
      const calls: [string, () => Promise<unknown>][] = [
        ['createTopic', () => s.createTopic(topicSettings(uniqueName(), { dedupWindowMs: 1_000 }))],
        ['getTopic', () => s.getTopic(topic)],
        ['listTopics', () => s.listTopics(page)],
        ['deleteTopic', () => s.deleteTopic(topic)],
        ['createSubscription', () => createSubscriptionNamed(uniqueName(), topic, s)],
        ['getSubscription', () => s.getSubscription(subscription)],
        ['listSubscriptions', () => s.listSubscriptions(undefined, page)],
        ['deleteSubscription', () => s.deleteSubscription(subscription)],
        ['publish', () => s.publish(topic, [message('x')])],
        ['receive', () => s.receive(subscription, { consumer: 'c', maxMessages: 1, maxBytes: 100, allowOneOversized: true })],
        ['ack', () => s.ack(subscription, receipts)],
        ['nack', () => s.nack(subscription, receipts, 0, '')],
        ['release', () => s.release(subscription, receipts)],
        ['extendLease', () => s.extendLease(subscription, receipts, 1_000)],
        ['reject', () => s.reject(subscription, receipts, '')],
        ['seek', () => s.seek(subscription, { timeMs: 0 })],
        ['stats', () => s.stats(subscription)],
        ['inspect', () => s.inspect(topic, '1-0')],
        ['redrive', () => s.redrive(topic, undefined)],
        ['trim', () => s.trim(topic)],
        ['prepare', () => s.prepare('tx', [{ ...message('x'), topic }], [], 1_000)],
        ['commit', () => s.commit('tx')],
        ['abort', () => s.abort('tx')],
        ['expireTransactions', () => s.expireTransactions()],
        ['watch', async () => s.watch(topic, () => {})],
      ];
      for (const [method, call] of calls) await rejectsWith('unavailable', call, method);
    } finally {
      await own.cleanup();
    }
  });

  // The last suite cleans the shared store up once every suite is done.
  suites[suites.length - 1]!.after(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });
  for (const s of suites) s.run();

  // ---------------------------------------------------------------- helpers needing the closure

  async function createSubscriptionNamed(name: string, topic: string, target: MessageStore = store): Promise<SubscriptionConfig> {
    return target.createSubscription({ name, topic, ackDeadlineMs: 10_000, startPosition: 'earliest', ...SUBSCRIPTION_DEFAULTS });
  }
}

// ------------------------------------------------------------------ pure helpers

function topicSettings(name: string, options: Partial<Omit<TopicConfig, 'createTimeMs'>> = {}): Omit<TopicConfig, 'createTimeMs'> {
  return { ...TOPIC_DEFAULTS, ...options, name };
}

function message(data: string | Buffer, fields: Partial<Omit<OutgoingMessage, 'data'>> = {}): OutgoingMessage {
  return {
    data: typeof data === 'string' ? Buffer.from(data) : data,
    attributes: {},
    orderingKey: '',
    idempotencyKey: '',
    traceparent: '',
    tracestate: '',
    ...fields,
  };
}

function staged(topic: string, data: string, fields: Partial<Omit<OutgoingMessage, 'data'>> = {}): StagedMessage {
  return { ...message(data, fields), topic };
}

function stagedAck(subscription: string, delivery: Delivery): StagedAck {
  return { subscription, receipt: receiptOf(delivery) };
}

function transactionId(): string {
  return `tx-${randomUUID()}`;
}

/** A payload of `size` bytes whose first byte is `initial`, to tell messages apart by size tests. */
function bytes(size: number, initial: string): OutgoingMessage {
  const data = Buffer.alloc(size, '.');
  data.write(initial);
  return message(data);
}

function initials(deliveries: readonly Delivery[]): string[] {
  return deliveries.map((d) => d.message.data.subarray(0, 1).toString());
}

function texts(deliveries: readonly Delivery[]): string[] {
  return deliveries.map((d) => d.message.data.toString());
}

function ids(deliveries: readonly Delivery[]): string[] {
  return deliveries.map((d) => d.message.id);
}

function names(items: readonly { readonly name: string }[]): string[] {
  return items.map((item) => item.name);
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function receiptOf(delivery: Delivery): { messageId: string; attempt: number } {
  return { messageId: delivery.message.id, attempt: delivery.attempt };
}

/** The ms part of an id: its publish time. */
function idTime(id: string): number {
  return Number(id.split('-')[0]);
}

function compareIds(a: string, b: string): number {
  const [msA, seqA] = a.split('-').map(Number) as [number, number];
  const [msB, seqB] = b.split('-').map(Number) as [number, number];
  return msA - msB || seqA - seqB;
}

async function listAll<T extends { readonly name: string }>(list: (page: { after: string; limit: number }) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  let after = '';
  for (;;) {
    const page = await list({ after, limit: 100 });
    all.push(...page);
    if (page.length < 100) return all;
    after = page[page.length - 1]!.name;
  }
}

/** Awaits the action and checks it failed with a StoreError of this code; answers that error. */
async function rejectsWith(code: StoreErrorCode, action: () => Promise<unknown>, what = 'the call'): Promise<StoreError> {
  let outcome: unknown;
  try {
    outcome = await action();
  } catch (error) {
    assert.ok(
      error instanceof StoreError && error.code === code,
      `${what} should throw StoreError(${code}), threw ${error instanceof StoreError ? `StoreError(${error.code})` : String(error)}`,
    );
    return error as StoreError;
  }
  assert.unreachable(`${what} should throw StoreError(${code}), answered ${JSON.stringify(outcome)}`);
  throw new Error('unreachable');
}

async function waitFor(condition: () => Promise<boolean>, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + EVENTUALLY_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.unreachable(`${what} did not happen within ${EVENTUALLY_MS} ms`);
    await sleep(20);
  }
}
