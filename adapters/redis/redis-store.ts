import { Redis } from 'ioredis';
import { contentHash } from '../content-hash.ts';
import {
  StoreError,
  type Delivery,
  type MessageStore,
  type OutgoingMessage,
  type Page,
  type PublishOutcome,
  type ReceiveRequest,
  type ReceiveResult,
  type Receipt,
  type Settlement,
  type StoredMessage,
  type SubscriptionConfig,
  type TopicConfig,
} from '../store.ts';
import { subscriptionIndex, subscriptionKeys, subscriptionTopics, topicIndex, topicKeys } from './keys.ts';
import { registerScripts, runScript, type ScriptName } from './scripts.ts';

export interface RedisStoreOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  /** How long a command waits for a connection before the call fails with unavailable. Default 2000. */
  readonly connectTimeoutMs?: number;
}

/** The store on Redis Streams: one stream per topic, one consumer group per subscription. */
export class RedisMessageStore implements MessageStore {
  readonly kind = 'redis';
  private readonly redis: Redis;
  /** Separate connection: a subscribed connection can run nothing else. */
  private listener?: Redis;
  private readonly watchers = new Map<string, Set<() => void>>();
  /** subscription -> topic; a subscription never changes topic, but may be deleted and recreated. */
  private readonly topicOf = new Map<string, string>();
  private closed = false;

  constructor(private readonly options: RedisStoreOptions) {
    this.redis = new Redis(options.url, {
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      lazyConnect: false,
    });
    // Connection errors surface on the calls (as unavailable); ioredis reconnects by itself.
    this.redis.on('error', () => {});
    registerScripts(this.redis);
  }

  async createTopic(topic: Omit<TopicConfig, 'createTimeMs'>): Promise<TopicConfig> {
    const keys = topicKeys(topic.name);
    const createTimeMs = Date.now();
    // Index first: a name whose settings are missing is skipped by listTopics.
    await this.call(() => this.redis.zadd(topicIndex, 0, topic.name));
    const [code] = await this.script('create-topic', [keys.meta], [topic.dedupWindowMs, createTimeMs]);
    if (code === 1) throw new StoreError('already-exists', `topic ${topic.name} already exists`);
    return { ...topic, createTimeMs };
  }

  async getTopic(name: string): Promise<TopicConfig> {
    const topic = await this.readTopic(name);
    if (!topic) throw new StoreError('not-found', `topic ${name} not found`);
    return topic;
  }

  async listTopics(page: Page): Promise<TopicConfig[]> {
    const names = await this.call(() => this.redis.zrangebylex(topicIndex, lexAfter(page.after), '+', 'LIMIT', 0, page.limit));
    const topics = await Promise.all(names.map((name) => this.readTopic(name)));
    return topics.filter((topic): topic is TopicConfig => topic !== undefined);
  }

  async deleteTopic(name: string): Promise<void> {
    const keys = topicKeys(name);
    const [code] = await this.script('delete-topic', [keys.meta, keys.stream, keys.subscriptions], []);
    if (code === 1) throw new StoreError('not-found', `topic ${name} not found`);
    if (code === 2) throw new StoreError('failed-precondition', `topic ${name} has subscriptions; delete them first`);
    await this.call(async () => {
      await this.redis.zrem(topicIndex, name);
      const stream = this.redis.scanStream({ match: `${keys.idempotencyPrefix}*`, count: 1000 });
      for await (const batch of stream) if ((batch as string[]).length) await this.redis.unlink(...(batch as string[]));
    });
  }

  async createSubscription(subscription: Omit<SubscriptionConfig, 'createTimeMs'>): Promise<SubscriptionConfig> {
    const { name, topic } = subscription;
    const created = { ...subscription, createTimeMs: Date.now() };
    await this.call(async () => {
      if ((await this.redis.hsetnx(subscriptionTopics, name, topic)) === 1) return;
      // The name is taken, unless it points at a subscription that no longer exists.
      const holder = await this.redis.hget(subscriptionTopics, name);
      if (holder && (await this.redis.exists(subscriptionKeys(holder, name).meta))) {
        throw new StoreError('already-exists', `subscription ${name} already exists`);
      }
      await this.redis.hset(subscriptionTopics, name, topic);
    });
    const topicKeySet = topicKeys(topic);
    const keys = subscriptionKeys(topic, name);
    const [code] = await this.script(
      'create-subscription',
      [topicKeySet.meta, topicKeySet.stream, topicKeySet.subscriptions, keys.meta],
      [name, created.startPosition === 'earliest' ? '0' : '$', ...Object.entries(created).flat()],
    );
    if (code === 1) {
      await this.call(() => this.redis.hdel(subscriptionTopics, name));
      throw new StoreError('not-found', `topic ${topic} not found`);
    }
    if (code === 2) throw new StoreError('already-exists', `subscription ${name} already exists`);
    await this.call(() => this.redis.zadd(subscriptionIndex, 0, name));
    this.topicOf.set(name, topic);
    return created;
  }

  async getSubscription(name: string): Promise<SubscriptionConfig> {
    const topic = await this.call(() => this.redis.hget(subscriptionTopics, name));
    const subscription = topic ? await this.readSubscription(topic, name) : undefined;
    if (!subscription) throw new StoreError('not-found', `subscription ${name} not found`);
    return subscription;
  }

  async listSubscriptions(topic: string | undefined, page: Page): Promise<SubscriptionConfig[]> {
    const found = await this.call(async () => {
      if (topic === undefined) {
        const names = await this.redis.zrangebylex(subscriptionIndex, lexAfter(page.after), '+', 'LIMIT', 0, page.limit);
        const topics = names.length ? await this.redis.hmget(subscriptionTopics, ...names) : [];
        return Promise.all(names.map((name, i) => (topics[i] ? this.readSubscription(topics[i]!, name) : undefined)));
      }
      if (!(await this.redis.exists(topicKeys(topic).meta))) throw new StoreError('not-found', `topic ${topic} not found`);
      const names = await this.redis.zrangebylex(topicKeys(topic).subscriptions, lexAfter(page.after), '+', 'LIMIT', 0, page.limit);
      return Promise.all(names.map((name) => this.readSubscription(topic, name)));
    });
    return found.filter((subscription): subscription is SubscriptionConfig => subscription !== undefined);
  }

  async deleteSubscription(name: string): Promise<void> {
    await this.onSubscription(name, async (topic) => {
      const topicKeySet = topicKeys(topic);
      const keys = subscriptionKeys(topic, name);
      return this.script('delete-subscription', [topicKeySet.stream, topicKeySet.subscriptions, keys.meta, keys.due], [name]);
    });
    this.topicOf.delete(name);
    await this.call(async () => {
      await this.redis.zrem(subscriptionIndex, name);
      await this.redis.hdel(subscriptionTopics, name);
    });
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const keys = topicKeys(topic);
    const args: (string | number | Buffer)[] = [keys.idempotencyPrefix, keys.channel, messages.length];
    for (const message of messages) {
      const attributes = Object.entries(message.attributes);
      args.push(
        message.idempotencyKey,
        message.idempotencyKey ? contentHash(message) : '',
        message.data,
        message.orderingKey,
        message.traceparent,
        message.tracestate,
        attributes.length,
      );
      for (const [key, value] of attributes) args.push(key, value);
    }
    const reply = await this.script('publish', [keys.meta, keys.stream], args);
    if (reply[0] === 1) throw new StoreError('not-found', `topic ${topic} not found`);
    if (reply[0] === 2) {
      const index = (reply[1] as number) - 1;
      throw new StoreError(
        'already-exists',
        `idempotency key ${JSON.stringify(messages[index]!.idempotencyKey)} (message ${index}) was used for other content`,
      );
    }
    const outcomes: PublishOutcome[] = [];
    for (let i = 1; i < reply.length; i += 2) {
      outcomes.push({ messageId: reply[i] as string, duplicate: reply[i + 1] === 1 });
    }
    return outcomes;
  }

  async receive(subscription: string, request: ReceiveRequest): Promise<ReceiveResult> {
    const reply = await this.onSubscription(subscription, (topic) => {
      const keys = subscriptionKeys(topic, subscription);
      const topicKeySet = topicKeys(topic);
      return this.script(
        'receive',
        [topicKeySet.stream, keys.due, topicKeySet.meta, keys.meta],
        [subscription, request.consumer, request.maxMessages, request.maxBytes, request.allowOneOversized ? '1' : '0'],
        true,
      );
    });
    const leaseDeadlineMs = reply[1] as number;
    const nextDue = reply[2] as number;
    const deliveries: Delivery[] = [];
    for (let i = 3; i < reply.length; i += 3) {
      deliveries.push({
        message: parseEntry((reply[i] as Buffer).toString(), reply[i + 2] as Buffer[]),
        attempt: reply[i + 1] as number,
        leaseDeadlineMs,
      });
    }
    return { deliveries, nextDueMs: nextDue < 0 ? null : nextDue };
  }

  ack(subscription: string, receipts: readonly Receipt[]): Promise<Settlement[]> {
    return this.settle(subscription, 'ack', [], receipts);
  }

  nack(subscription: string, receipts: readonly Receipt[], delayMs: number | undefined): Promise<Settlement[]> {
    return this.settle(subscription, 'nack', (topic) => [topicKeys(topic).channel, delayMs ?? ''], receipts);
  }

  extendLease(subscription: string, receipts: readonly Receipt[], leaseMs: number): Promise<Settlement[]> {
    return this.settle(subscription, 'extend-lease', [leaseMs], receipts);
  }

  watch(topic: string, listener: () => void): () => void {
    if (this.closed) throw new StoreError('unavailable', 'the store is closed');
    const channel = topicKeys(topic).channel;
    let listeners = this.watchers.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.watchers.set(channel, listeners);
      this.listenerConnection().subscribe(channel).catch(() => {});
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.watchers.get(channel) === listeners) {
        this.watchers.delete(channel);
        this.listener?.unsubscribe(channel).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watchers.clear();
    await Promise.all([this.redis, this.listener].map((connection) => connection?.quit().catch(() => connection.disconnect())));
  }

  private listenerConnection(): Redis {
    if (!this.listener) {
      this.listener = new Redis(this.options.url, { maxRetriesPerRequest: null, connectTimeout: this.options.connectTimeoutMs ?? 2000 });
      this.listener.on('error', () => {});
      this.listener.on('message', (channel: string) => {
        for (const listener of this.watchers.get(channel) ?? []) listener();
      });
      // After a reconnect, anything published meanwhile was missed: tell every watcher to look.
      this.listener.on('ready', () => {
        for (const listeners of this.watchers.values()) for (const listener of listeners) listener();
      });
    }
    return this.listener;
  }

  private async settle(
    subscription: string,
    verb: Extract<ScriptName, 'ack' | 'nack' | 'extend-lease'>,
    leading: (string | number)[] | ((topic: string) => (string | number)[]),
    receipts: readonly Receipt[],
  ): Promise<Settlement[]> {
    const reply = await this.onSubscription(subscription, (topic) => {
      const keys = subscriptionKeys(topic, subscription);
      const args: (string | number)[] = [subscription, ...(typeof leading === 'function' ? leading(topic) : leading)];
      for (const receipt of receipts) args.push(receipt.messageId, receipt.attempt);
      return this.script(verb, [topicKeys(topic).stream, keys.due, keys.meta], args);
    });
    return reply.slice(1).map((ok) => (ok === 1 ? 'ok' : 'invalid-receipt'));
  }

  /**
   * Runs a script of a subscription's slot. Scripts answer {1} for an unknown subscription; the cached
   * topic may be stale (deleted and recreated elsewhere), so look it up once more before giving up.
   */
  private async onSubscription(subscription: string, run: (topic: string) => Promise<unknown[]>): Promise<unknown[]> {
    for (let fresh = false; ; fresh = true) {
      let topic = fresh ? undefined : this.topicOf.get(subscription);
      if (topic === undefined) {
        topic = (await this.call(() => this.redis.hget(subscriptionTopics, subscription))) ?? undefined;
        if (topic === undefined) break;
        this.topicOf.set(subscription, topic);
        fresh = true;
      }
      const reply = await run(topic);
      if (reply[0] !== 1) return reply;
      this.topicOf.delete(subscription);
      if (fresh) break;
    }
    throw new StoreError('not-found', `subscription ${subscription} not found`);
  }

  private async readTopic(name: string): Promise<TopicConfig | undefined> {
    const meta = await this.call(() => this.redis.hgetall(topicKeys(name).meta));
    if (!meta.createTimeMs) return undefined;
    return { name, dedupWindowMs: Number(meta.dedupWindowMs), createTimeMs: Number(meta.createTimeMs) };
  }

  private async readSubscription(topic: string, name: string): Promise<SubscriptionConfig | undefined> {
    const meta = await this.call(() => this.redis.hgetall(subscriptionKeys(topic, name).meta));
    if (!meta.createTimeMs) return undefined;
    return {
      name,
      topic,
      ackDeadlineMs: Number(meta.ackDeadlineMs),
      startPosition: meta.startPosition === 'earliest' ? 'earliest' : 'latest',
      minBackoffMs: Number(meta.minBackoffMs),
      maxBackoffMs: Number(meta.maxBackoffMs),
      maxDeliveryAttempts: Number(meta.maxDeliveryAttempts),
      createTimeMs: Number(meta.createTimeMs),
    };
  }

  private script(name: ScriptName, keys: string[], args: (string | number | Buffer)[], binary = false): Promise<unknown[]> {
    return this.call(() => runScript(this.redis, name, keys, args, binary));
  }

  /** Every Redis call goes through here: failures to reach Redis become unavailable. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('unavailable', 'the store is closed');
    try {
      return await operation();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      // A ReplyError is Redis refusing a command: a bug of ours, not an outage.
      if ((error as Error).name === 'ReplyError') throw error;
      throw new StoreError('unavailable', 'Redis is unreachable');
    }
  }
}

function lexAfter(name: string): string {
  return name ? `(${name}` : '-';
}

/** Turns a stream entry's fields (see publish.lua) back into a message. */
function parseEntry(id: string, fields: Buffer[]): StoredMessage {
  let data: Buffer = EMPTY;
  let orderingKey = '';
  let traceparent = '';
  let tracestate = '';
  const attributes: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) {
    const field = fields[i]!;
    const value = fields[i + 1]!;
    if (field.length === 1 && field[0] === D) data = value;
    else if (field[0] === A && field[1] === COLON) attributes[field.toString('utf8', 2)] = value.toString();
    else {
      const name = field.toString();
      if (name === 'k') orderingKey = value.toString();
      else if (name === 'tp') traceparent = value.toString();
      else if (name === 'ts') tracestate = value.toString();
    }
  }
  return { id, data, attributes, orderingKey, traceparent, tracestate, publishTimeMs: Number(id.slice(0, id.indexOf('-'))) };
}

const EMPTY = Buffer.alloc(0);
const D = 'd'.charCodeAt(0);
const A = 'a'.charCodeAt(0);
const COLON = ':'.charCodeAt(0);
