// The embedded default store: everything in this process, nothing survives a restart. It mirrors the
// Redis adapter (a stream per topic, a consumer group per subscription) so that both pass one contract
// suite. Every method runs to completion without awaiting, which makes each one atomic.
import { contentHash } from '../content-hash.ts';
import {
  StoreError,
  type Delivery,
  type MessageStore,
  type OutgoingMessage,
  type Page,
  type PublishOutcome,
  type Receipt,
  type ReceiveRequest,
  type ReceiveResult,
  type Settlement,
  type StoredMessage,
  type SubscriptionConfig,
  type TopicConfig,
} from '../store.ts';

interface IdempotencyRecord {
  readonly messageId: string;
  readonly hash: string;
  readonly expiresMs: number;
}

interface TopicState {
  readonly config: TopicConfig;
  /** Publish order; the index is what subscription cursors point at. */
  readonly log: StoredMessage[];
  readonly byId: Map<string, StoredMessage>;
  /** Insertion order is expiry order (one window per topic), so pruning stops at the first live key. */
  readonly keys: Map<string, IdempotencyRecord>;
  lastMs: number;
  lastSeq: number;
}

/** One message in flight, as a Redis pending-entries-list entry plus its due time. */
interface InFlight {
  attempt: number;
  /** The lease deadline, or when a nack's delay is over. */
  dueMs: number;
  consumer: string;
}

interface SubscriptionState {
  readonly config: SubscriptionConfig;
  /** Index into the topic's log of the next message never delivered. */
  cursor: number;
  readonly inFlight: Map<string, InFlight>;
}

interface Watcher {
  readonly listener: () => void;
}

export class MemoryMessageStore implements MessageStore {
  readonly kind = 'memory';

  private readonly topics = new Map<string, TopicState>();
  private readonly subscriptions = new Map<string, SubscriptionState>();
  // Kept apart from topics: a watch may outlive a delete and recreate of its topic, as a Redis channel does.
  private readonly watchers = new Map<string, Set<Watcher>>();
  private closed = false;

  async createTopic(topic: Omit<TopicConfig, 'createTimeMs'>): Promise<TopicConfig> {
    this.ensureOpen();
    if (this.topics.has(topic.name)) throw new StoreError('already-exists', `topic '${topic.name}' already exists`);
    const config: TopicConfig = Object.freeze({
      name: topic.name,
      dedupWindowMs: topic.dedupWindowMs,
      createTimeMs: Date.now(),
    });
    this.topics.set(config.name, { config, log: [], byId: new Map(), keys: new Map(), lastMs: -1, lastSeq: -1 });
    return config;
  }

  async getTopic(name: string): Promise<TopicConfig> {
    this.ensureOpen();
    return this.topic(name).config;
  }

  async listTopics(page: Page): Promise<TopicConfig[]> {
    this.ensureOpen();
    return pageOf([...this.topics.values()].map((topic) => topic.config), page);
  }

  async deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    this.topic(name);
    for (const subscription of this.subscriptions.values()) {
      if (subscription.config.topic === name) {
        throw new StoreError('failed-precondition', `topic '${name}' still has subscriptions (e.g. '${subscription.config.name}')`);
      }
    }
    // Messages and idempotency keys live in the topic's state and go with it.
    this.topics.delete(name);
  }

  async createSubscription(subscription: Omit<SubscriptionConfig, 'createTimeMs'>): Promise<SubscriptionConfig> {
    this.ensureOpen();
    const topic = this.topic(subscription.topic);
    if (this.subscriptions.has(subscription.name)) {
      throw new StoreError('already-exists', `subscription '${subscription.name}' already exists`);
    }
    const config: SubscriptionConfig = Object.freeze({
      name: subscription.name,
      topic: subscription.topic,
      ackDeadlineMs: subscription.ackDeadlineMs,
      startPosition: subscription.startPosition,
      minBackoffMs: subscription.minBackoffMs,
      maxBackoffMs: subscription.maxBackoffMs,
      maxDeliveryAttempts: subscription.maxDeliveryAttempts,
      createTimeMs: Date.now(),
    });
    const cursor = config.startPosition === 'latest' ? topic.log.length : 0;
    this.subscriptions.set(config.name, { config, cursor, inFlight: new Map() });
    return config;
  }

  async getSubscription(name: string): Promise<SubscriptionConfig> {
    this.ensureOpen();
    return this.subscription(name).config;
  }

  async listSubscriptions(topic: string | undefined, page: Page): Promise<SubscriptionConfig[]> {
    this.ensureOpen();
    if (topic !== undefined) this.topic(topic);
    const configs = [...this.subscriptions.values()]
      .map((subscription) => subscription.config)
      .filter((config) => topic === undefined || config.topic === topic);
    return pageOf(configs, page);
  }

  async deleteSubscription(name: string): Promise<void> {
    this.ensureOpen();
    this.subscription(name);
    this.subscriptions.delete(name);
  }

  async publish(topicName: string, messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    this.ensureOpen();
    const topic = this.topic(topicName);
    const now = Date.now();
    pruneKeys(topic, now);

    // Stage everything first: a conflict anywhere in the batch must leave the topic untouched.
    const outcomes: PublishOutcome[] = [];
    const staged: StoredMessage[] = [];
    const stagedKeys = new Map<string, IdempotencyRecord>();
    let { lastMs, lastSeq } = topic;
    for (const message of messages) {
      const key = message.idempotencyKey;
      const hash = key === '' ? '' : contentHash(message);
      if (key !== '') {
        const seen = stagedKeys.get(key) ?? liveKey(topic, key, now);
        if (seen !== undefined) {
          if (seen.hash !== hash) {
            throw new StoreError(
              'already-exists',
              `idempotency key '${key}' was already used with other content on topic '${topicName}'`,
            );
          }
          outcomes.push({ messageId: seen.messageId, duplicate: true });
          continue;
        }
      }
      // As XADD with '*': the ms part never goes back, the sequence counts within one ms.
      const ms = Math.max(now, lastMs);
      lastSeq = ms === lastMs ? lastSeq + 1 : 0;
      lastMs = ms;
      const id = `${ms}-${lastSeq}`;
      staged.push(
        Object.freeze({
          id,
          // A copy, so a caller reusing its buffer cannot change what is stored.
          data: Buffer.from(message.data),
          attributes: Object.freeze({ ...message.attributes }),
          orderingKey: message.orderingKey,
          publishTimeMs: ms,
          traceparent: message.traceparent,
          tracestate: message.tracestate,
        }),
      );
      if (key !== '') stagedKeys.set(key, { messageId: id, hash, expiresMs: now + topic.config.dedupWindowMs });
      outcomes.push({ messageId: id, duplicate: false });
    }

    for (const message of staged) {
      topic.log.push(message);
      topic.byId.set(message.id, message);
    }
    for (const [key, record] of stagedKeys) {
      // Delete first so the key moves to the end and insertion order stays expiry order.
      topic.keys.delete(key);
      topic.keys.set(key, record);
    }
    topic.lastMs = lastMs;
    topic.lastSeq = lastSeq;
    if (staged.length > 0) this.notify(topicName);
    return outcomes;
  }

  async receive(subscriptionName: string, request: ReceiveRequest): Promise<ReceiveResult> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const topic = this.topic(subscription.config.topic);
    const now = Date.now();
    const leaseDeadlineMs = now + subscription.config.ackDeadlineMs;
    const deliveries: Delivery[] = [];
    let bytes = 0;

    // Stops at the first candidate that does not fit, so order is kept rather than skipping ahead.
    const fits = (message: StoredMessage): boolean => {
      if (deliveries.length >= request.maxMessages) return false;
      const size = message.data.length;
      if (bytes + size <= request.maxBytes || (request.allowOneOversized && deliveries.length === 0)) {
        bytes += size;
        return true;
      }
      return false;
    };

    let full = false;
    const due = [...subscription.inFlight]
      .filter(([, entry]) => entry.dueMs <= now)
      .sort(([idA, a], [idB, b]) => a.dueMs - b.dueMs || compareIds(idA, idB));
    for (const [id, entry] of due) {
      const message = topic.byId.get(id);
      if (message === undefined) {
        // Cannot happen while topics with subscriptions cannot be deleted; never hand out a ghost.
        subscription.inFlight.delete(id);
        continue;
      }
      if (!fits(message)) {
        full = true;
        break;
      }
      entry.attempt += 1;
      entry.dueMs = leaseDeadlineMs;
      entry.consumer = request.consumer;
      deliveries.push(deliveryOf(message, entry.attempt, leaseDeadlineMs));
    }

    while (!full && subscription.cursor < topic.log.length) {
      const message = topic.log[subscription.cursor]!;
      if (!fits(message)) break;
      subscription.cursor += 1;
      subscription.inFlight.set(message.id, { attempt: 1, dueMs: leaseDeadlineMs, consumer: request.consumer });
      deliveries.push(deliveryOf(message, 1, leaseDeadlineMs));
    }

    let nextDueMs: number | null = null;
    for (const entry of subscription.inFlight.values()) {
      if (nextDueMs === null || entry.dueMs < nextDueMs) nextDueMs = entry.dueMs;
    }
    return { deliveries, nextDueMs };
  }

  async ack(subscriptionName: string, receipts: readonly Receipt[]): Promise<Settlement[]> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    return receipts.map((receipt) =>
      settle(subscription, receipt, () => {
        subscription.inFlight.delete(receipt.messageId);
      }),
    );
  }

  async nack(subscriptionName: string, receipts: readonly Receipt[], delayMs: number | undefined): Promise<Settlement[]> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const { minBackoffMs, maxBackoffMs } = subscription.config;
    const now = Date.now();
    let dueNow = false;
    const results = receipts.map((receipt) =>
      settle(subscription, receipt, (entry) => {
        const delay = delayMs ?? Math.min(maxBackoffMs, minBackoffMs * 2 ** (entry.attempt - 1));
        entry.dueMs = now + delay;
        if (delay <= 0) dueNow = true;
      }),
    );
    if (dueNow) this.notify(subscription.config.topic);
    return results;
  }

  async extendLease(subscriptionName: string, receipts: readonly Receipt[], leaseMs: number): Promise<Settlement[]> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const now = Date.now();
    return receipts.map((receipt) =>
      settle(subscription, receipt, (entry) => {
        entry.dueMs = now + leaseMs;
      }),
    );
  }

  watch(topic: string, listener: () => void): () => void {
    this.ensureOpen();
    const watcher: Watcher = { listener };
    let set = this.watchers.get(topic);
    if (set === undefined) this.watchers.set(topic, (set = new Set()));
    set.add(watcher);
    return () => {
      const current = this.watchers.get(topic);
      if (current === undefined) return;
      current.delete(watcher);
      if (current.size === 0) this.watchers.delete(topic);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watchers.clear();
  }

  /** Calls the topic's watchers after the caller's stack unwinds, as a Redis notification would arrive. */
  private notify(topic: string): void {
    queueMicrotask(() => {
      // Looked up now, so a watcher removed meanwhile is not called.
      const set = this.watchers.get(topic);
      if (set === undefined) return;
      for (const watcher of [...set]) {
        try {
          watcher.listener();
        } catch {
          // A watch is only a wake-up hint; one failing listener must not stop the others or crash the process.
        }
      }
    });
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreError('unavailable', 'the memory store is closed');
  }

  private topic(name: string): TopicState {
    const topic = this.topics.get(name);
    if (topic === undefined) throw new StoreError('not-found', `topic '${name}' not found`);
    return topic;
  }

  private subscription(name: string): SubscriptionState {
    const subscription = this.subscriptions.get(name);
    if (subscription === undefined) throw new StoreError('not-found', `subscription '${name}' not found`);
    return subscription;
  }
}

/** Applies a settlement to the current attempt only; a message no longer in flight is already settled. */
function settle(subscription: SubscriptionState, receipt: Receipt, apply: (entry: InFlight) => void): Settlement {
  const entry = subscription.inFlight.get(receipt.messageId);
  if (entry === undefined) return 'ok';
  if (entry.attempt !== receipt.attempt) return 'invalid-receipt';
  apply(entry);
  return 'ok';
}

function deliveryOf(message: StoredMessage, attempt: number, leaseDeadlineMs: number): Delivery {
  // A fresh data buffer per delivery: a consumer writing into it must not reach the stored message.
  return Object.freeze({
    message: Object.freeze({ ...message, data: Buffer.from(message.data) }),
    attempt,
    leaseDeadlineMs,
  });
}

function pruneKeys(topic: TopicState, now: number): void {
  for (const [key, record] of topic.keys) {
    if (record.expiresMs > now) break;
    topic.keys.delete(key);
  }
}

/** A key whose window is over acts as new, even when pruning has not reached it (the clock went back). */
function liveKey(topic: TopicState, key: string, now: number): IdempotencyRecord | undefined {
  const record = topic.keys.get(key);
  return record !== undefined && record.expiresMs > now ? record : undefined;
}

function pageOf<T extends { readonly name: string }>(items: T[], page: Page): T[] {
  return items
    .filter((item) => item.name > page.after)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, Math.max(0, page.limit));
}

/** Orders `<ms>-<seq>` ids numerically, as Redis does. */
function compareIds(a: string, b: string): number {
  const [msA, seqA] = a.split('-').map(Number) as [number, number];
  const [msB, seqB] = b.split('-').map(Number) as [number, number];
  return msA - msB || seqA - seqB;
}
