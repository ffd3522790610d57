import { hash, randomBytes } from 'node:crypto';
import { contentHash } from '../content-hash.ts';
import {
  StoreError,
  type Delivery,
  type DeliveryReason,
  type MessageState,
  type MessageStateName,
  type MessageStore,
  type OutgoingMessage,
  type Page,
  type PublishOutcome,
  type ReceiveRequest,
  type ReceiveResult,
  type Receipt,
  type PreparedTransaction,
  type SeekTarget,
  type StagedAck,
  type StagedMessage,
  type Settlement,
  type StoredMessage,
  type SubscriptionConfig,
  type SubscriptionStats,
  type TopicConfig,
} from '../store.ts';
import {
  PREFIX,
  subscriptionIndex,
  subscriptionKeys,
  subscriptionTopics,
  topicIndex,
  topicKeys,
  transactionDeadlines,
  transactionKeys,
} from './keys.ts';
import { createRedisClient, type RedisClient, type RedisConnectionOptions } from './connection.ts';
import { runScript, type ScriptName } from './scripts.ts';

export interface RedisStoreOptions extends RedisConnectionOptions {
  /** trim() removes consumers (of gone gateways) idle this long that hold nothing. Default 1 hour. */
  readonly idleConsumerMs?: number;
  /** How long a committed or aborted transaction is remembered. Default 1 hour. */
  readonly finishedTransactionTtlMs?: number;
  /** Replicas that must acknowledge a publish or commit (WAIT) before it is confirmed. Default 0 = off. */
  readonly waitReplicas?: number;
  /** How long that WAIT lasts at most; fewer acknowledgements then answer unavailable. Default 1000. */
  readonly waitTimeoutMs?: number;
}

type ScriptArgument = string | number | Buffer;

/** What a subscription script needs to know of its subscription; fixed at creation. */
interface SubscriptionPlace {
  readonly topic: string;
  readonly deadLetterTopic: string;
}

/** The store on Redis Streams: one stream per topic, one consumer group per subscription. */
export class RedisMessageStore implements MessageStore {
  readonly kind = 'redis';
  private readonly redis: RedisClient;
  /** Separate connection: a subscribed connection can run nothing else. */
  private listener?: RedisClient;
  private readonly watchers = new Map<string, Set<() => void>>();
  /** What this store's publishes announce on a topic's channel: the listener knows its own (see publish). */
  private readonly ownNotice = randomBytes(8).toString('hex');
  /** A subscription never moves, but may be deleted and created again elsewhere: see onSubscription. */
  private readonly places = new Map<string, SubscriptionPlace>();
  private closed = false;

  constructor(private readonly options: RedisStoreOptions) {
    this.redis = createRedisClient(options, 'commands');
    // Connection errors surface on the calls (as unavailable); ioredis reconnects by itself.
    this.redis.on('error', () => {});
  }

  async createTopic(topic: Omit<TopicConfig, 'createTimeMs'>): Promise<TopicConfig> {
    const createTimeMs = Date.now();
    // Index first: a name whose settings are missing is skipped by listTopics.
    await this.call(() => this.redis.zadd(topicIndex, 0, topic.name));
    const [code] = await this.script(
      'create-topic',
      [topicKeys(topic.name).meta],
      [topic.dedupWindowMs, topic.retentionMs, topic.retentionMessages, createTimeMs, topic.maxBacklogMessages, topic.maxBacklogAgeMs],
    );
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
    const [code] = await this.script('delete-topic', [keys.meta, keys.stream, keys.subscriptions], [keys.idempotencyPrefix]);
    if (code === 1) throw new StoreError('not-found', `topic ${name} not found`);
    if (code === 2) throw new StoreError('failed-precondition', `topic ${name} has subscriptions; delete them first`);
    await this.call(() => this.redis.zrem(topicIndex, name));
  }

  async createSubscription(subscription: Omit<SubscriptionConfig, 'createTimeMs'>): Promise<SubscriptionConfig> {
    const { name, topic } = subscription;
    const created = { ...subscription, createTimeMs: Date.now() };
    if (created.deadLetterTopic) await this.getTopic(created.deadLetterTopic);
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
    const [code] = await this.script(
      'create-subscription',
      [topicKeySet.meta, topicKeySet.stream, topicKeySet.subscriptions, subscriptionKeys(topic, name).meta],
      [name, created.startPosition === 'earliest' ? '0' : '$', ...Object.entries(created).flatMap(([key, value]) => [key, String(value)])],
    );
    if (code === 1) {
      await this.call(() => this.redis.hdel(subscriptionTopics, name));
      throw new StoreError('not-found', `topic ${topic} not found`);
    }
    if (code === 2) throw new StoreError('already-exists', `subscription ${name} already exists`);
    await this.call(() => this.redis.zadd(subscriptionIndex, 0, name));
    this.places.set(name, { topic, deadLetterTopic: created.deadLetterTopic });
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
      return Promise.all((await this.subscriptionNames(topic, page)).map((name) => this.readSubscription(topic, name)));
    });
    return found.filter((subscription): subscription is SubscriptionConfig => subscription !== undefined);
  }

  async deleteSubscription(name: string): Promise<void> {
    await this.forwardDeadLetters(name);
    await this.onSubscription(name, 'delete-subscription', (place) => [topicKeys(place.topic).subscriptions], []);
    this.places.delete(name);
    await this.call(async () => {
      await this.redis.zrem(subscriptionIndex, name);
      await this.redis.hdel(subscriptionTopics, name);
    });
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const keys = topicKeys(topic);
    const args = messageArgs([keys.idempotencyPrefix, keys.channel, this.ownNotice, messages.length], messages, () => 1);
    const replied = this.script('publish', [keys.meta, keys.stream], args);
    // Redis runs one connection's commands in order: this gateway's watchers, woken now rather than by
    // the notice, send their receives right behind the publish and find its messages there, a round
    // trip sooner. The listener then skips the notice (ownNotice).
    queueMicrotask(() => this.wakeWatchers(keys.channel));
    const reply = await replied;
    if (reply[0] === 1) throw new StoreError('not-found', `topic ${topic} not found`);
    if (reply[0] === 2) {
      const index = (reply[1] as number) - 1;
      throw new StoreError(
        'already-exists',
        `idempotency key ${JSON.stringify(messages[index]!.idempotencyKey)} (message ${index}) was used for other content`,
      );
    }
    if (reply[0] === 3) {
      const [, subscription, limit, value] = reply as [number, string, string, string | number];
      throw new StoreError(
        'resource-exhausted',
        limit === 'messages'
          ? `topic ${topic} is at its max backlog: subscription ${subscription} holds ${value} unsettled messages`
          : `topic ${topic} is at its max backlog: the oldest message subscription ${subscription} has not settled is ${Date.now() - idTime(value as string)} ms old`,
      );
    }
    await this.replicated(keys.meta);
    const outcomes: PublishOutcome[] = [];
    for (let i = 1; i < reply.length; i += 2) {
      outcomes.push({ messageId: reply[i] as string, duplicate: reply[i + 1] === 1 });
    }
    return outcomes;
  }

  async receive(subscription: string, request: ReceiveRequest): Promise<ReceiveResult> {
    const reply = await this.onSubscription(
      subscription,
      'receive',
      [],
      [request.consumer, request.maxMessages, request.maxBytes, request.allowOneOversized ? '1' : '0'],
      true,
    );
    const leaseDeadlineMs = reply[1] as number;
    const nextDue = reply[2] as number;
    // The deliveries are leased already: a failed forward must not lose them; housekeeping retries it.
    if ((reply[3] as number) > 0) await this.forwardDeadLetters(subscription).catch(() => {});
    const deliveries: Delivery[] = [];
    for (let i = 4; i < reply.length; i += 4) {
      deliveries.push({
        message: parseEntry((reply[i] as Buffer).toString(), reply[i + 3] as Buffer[]),
        attempt: reply[i + 1] as number,
        reason: (reply[i + 2] as Buffer).toString() as DeliveryReason,
        leaseDeadlineMs,
      });
    }
    return { deliveries, nextDueMs: nextDue < 0 ? null : nextDue };
  }

  ack(subscription: string, receipts: readonly Receipt[]): Promise<Settlement[]> {
    return this.settle(subscription, 'ack', [], receipts);
  }

  nack(subscription: string, receipts: readonly Receipt[], delayMs: number | undefined, reason: string): Promise<Settlement[]> {
    return this.settle(subscription, 'nack', [delayMs ?? '', 'nack', reason], receipts);
  }

  release(subscription: string, receipts: readonly Receipt[]): Promise<Settlement[]> {
    return this.settle(subscription, 'nack', [0, 'consumer-lost', ''], receipts);
  }

  async inFlight(subscription: string, receipts: readonly Receipt[]): Promise<boolean[]> {
    const args: ScriptArgument[] = [];
    for (const receipt of receipts) args.push(receipt.messageId, receipt.attempt);
    const reply = await this.onSubscription(subscription, 'in-flight', [], args);
    return reply.slice(1).map((flag) => flag === 1);
  }

  extendLease(subscription: string, receipts: readonly Receipt[], leaseMs: number): Promise<Settlement[]> {
    return this.settle(subscription, 'extend-lease', [leaseMs], receipts);
  }

  async reject(subscription: string, receipts: readonly Receipt[], reason: string): Promise<Settlement[]> {
    const settlements = await this.settle(subscription, 'reject', [reason || 'rejected'], receipts);
    await this.forwardDeadLetters(subscription);
    return settlements;
  }

  async seek(subscription: string, target: SeekTarget): Promise<void> {
    const id = 'messageId' in target ? target.messageId : `${Math.max(0, Math.floor(target.timeMs))}-0`;
    const match = /^(\d{1,19})(?:-(\d{1,19}))?$/.exec(id);
    if (!match) throw new StoreError('invalid-argument', `${JSON.stringify(id)} is not a message id`);
    const ms = BigInt(match[1]!);
    const seq = BigInt(match[2] ?? 0);
    // The group's cursor goes just before the target: the target is the next message read.
    const before = seq > 0n ? `${ms}-${seq - 1n}` : ms > 0n ? `${ms - 1n}-18446744073709551615` : '0-0';
    await this.onSubscription(subscription, 'seek', [], [`${ms}-${seq}`, before]);
  }

  async stats(subscription: string): Promise<SubscriptionStats> {
    const [, backlog, inFlight, oldest, deadLettered] = await this.onSubscription(subscription, 'stats', [], []);
    return {
      backlog: backlog as number,
      inFlight: inFlight as number,
      oldestUnsettledMs: oldest ? idTime(oldest as string) : null,
      deadLettered: deadLettered as number,
    };
  }

  async inspect(topic: string, messageId: string): Promise<{ message: StoredMessage; states: MessageState[] }> {
    const keys = topicKeys(topic);
    const [entry] = await this.call(() => this.redis.xrangeBuffer(keys.stream, messageId, messageId));
    if (!entry) {
      await this.getTopic(topic);
      throw new StoreError('not-found', `message ${messageId} not found in topic ${topic}`);
    }
    const names = await this.subscriptionNames(topic, { after: '', limit: 10_000 });
    const states = await Promise.all(
      names.map(async (subscription): Promise<MessageState> => {
        const [, state, attempts, consumer, lastError] = await this.onSubscription(subscription, 'inspect', [], [messageId]);
        return {
          subscription,
          state: state as MessageStateName,
          attempts: attempts as number,
          consumer: consumer as string,
          lastError: lastError as string,
        };
      }),
    );
    return { message: parseEntry(messageId, entry[1]), states };
  }

  async redrive(deadLetterTopic: string, messageIds: readonly string[] | undefined): Promise<number> {
    await this.getTopic(deadLetterTopic);
    const stream = topicKeys(deadLetterTopic).stream;
    const wanted = messageIds && new Set(messageIds);
    let moved = 0;
    for (let after = '-'; ; ) {
      const entries = await this.call(() => this.redis.xrangeBuffer(stream, after, '+', 'COUNT', 500));
      for (const [idBuffer, fields] of entries) {
        const id = idBuffer.toString();
        const message = parseEntry(id, fields);
        if (!message.deadLetter || (wanted && !wanted.has(id))) continue;
        const source = topicKeys(message.deadLetter.sourceTopic);
        const copy: Buffer[] = [];
        for (let i = 0; i < fields.length; i += 2) if (isMessageField(fields[i]!)) copy.push(fields[i]!, fields[i + 1]!);
        // Appended before it is deleted: a crash in between leaves it in both, never in neither.
        const [code] = await this.script('redrive', [source.meta, source.stream], [source.channel, message.originalId, ...copy]);
        if (code !== 0) continue;
        await this.call(() => this.redis.xdel(stream, id));
        moved++;
      }
      if (entries.length < 500) return moved;
      after = `(${entries[entries.length - 1]![0].toString()}`;
    }
  }

  async trim(topic: string): Promise<number> {
    const keys = topicKeys(topic);
    const [code, removed] = await this.script('trim', [keys.meta, keys.stream], [this.options.idleConsumerMs ?? 3_600_000]);
    if (code === 1) throw new StoreError('not-found', `topic ${topic} not found`);
    // Housekeeping also finishes dead-letter moves that a crashed gateway left in an outbox.
    for (const subscription of await this.subscriptionNames(topic, { after: '', limit: 10_000 })) {
      await this.forwardDeadLetters(subscription);
    }
    return removed as number;
  }

  async prepare(
    id: string,
    messages: readonly StagedMessage[],
    acks: readonly StagedAck[],
    timeoutMs: number,
  ): Promise<PreparedTransaction> {
    this.requireTransactions();
    const topics = [...new Set(messages.map((message) => message.topic))];
    const subscriptions = [...new Set(acks.map((ack) => ack.subscription))];
    const head = [id, timeoutMs, topics.join(' '), subscriptions.join(' '), messages.length, acks.length];
    const args = messageArgs(head, messages, (message) => topics.indexOf(message.topic) + 1);
    for (const ack of acks) args.push(subscriptions.indexOf(ack.subscription) + 1, ack.receipt.messageId, ack.receipt.attempt);
    const [code, expiresOrKind, name] = await this.transactionScript('prepare', id, topics, subscriptions, args);
    if (code === 1) throw new StoreError('not-found', `${expiresOrKind} ${name} not found`);
    return { id, expiresMs: expiresOrKind as number };
  }

  async commit(id: string): Promise<string[]> {
    const [code, ...rest] = await this.onTransaction(id, 'commit', []);
    if (code === 2) throw new StoreError('aborted', `transaction ${id} was aborted: ${rest[0]}`);
    await this.replicated(transactionKeys(id).record);
    return rest as string[];
  }

  async abort(id: string): Promise<void> {
    const [code] = await this.onTransaction(id, 'abort', ['aborted', '0']);
    if (code === 2) throw new StoreError('failed-precondition', `transaction ${id} is already committed`);
  }

  async expireTransactions(): Promise<number> {
    const due = await this.call(() => this.redis.zrangebyscore(transactionDeadlines, '-inf', Date.now(), 'LIMIT', 0, 100));
    let expired = 0;
    for (const id of due) {
      try {
        await this.onTransaction(id, 'abort', ['expired', '1']);
        expired++;
      } catch (error) {
        // Finished and forgotten meanwhile: drop its deadline too.
        if (error instanceof StoreError && error.code === 'not-found') await this.call(() => this.redis.zrem(transactionDeadlines, id));
        else throw error;
      }
    }
    return expired;
  }

  watch(topic: string, listener: () => void): () => void {
    if (this.closed) throw new StoreError('unavailable', 'the store is closed');
    const channel = topicKeys(topic).channel;
    let listeners = this.watchers.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.watchers.set(channel, listeners);
      // Until the connection is ready its ready handler subscribes: a SUBSCRIBE that ioredis sent
      // earlier would make its ready check fail, and the connection come back subscribed to nothing.
      const connection = this.listenerConnection();
      if (connection.status === 'ready') connection.subscribe(channel).catch(() => {});
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

  private listenerConnection(): RedisClient {
    if (!this.listener) {
      this.listener = createRedisClient(this.options, 'listener');
      this.listener.on('error', () => {});
      this.listener.on('message', (channel: string, notice: string) => {
        if (notice !== this.ownNotice) this.wakeWatchers(channel);
      });
      // Ready (first or again): every watched channel is subscribed (again: a repeat changes nothing),
      // and anything published meanwhile was missed, so every watcher looks.
      this.listener.on('ready', () => {
        if (this.watchers.size > 0) this.listener?.subscribe(...this.watchers.keys()).catch(() => {});
        for (const listeners of this.watchers.values()) for (const listener of listeners) listener();
      });
    }
    return this.listener;
  }

  private wakeWatchers(channel: string): void {
    for (const listener of this.watchers.get(channel) ?? []) listener();
  }

  /**
   * Appends the dead letters waiting in a subscription's outbox to its dead-letter topic, then deletes
   * them from the outbox. Safe to repeat and to run on several gateways at once: each outbox entry is
   * appended at most once within the dead-letter topic's dedup window.
   */
  private async forwardDeadLetters(subscription: string): Promise<void> {
    const place = this.places.get(subscription) ?? (await this.locate(subscription));
    if (!place?.deadLetterTopic) return;
    const outbox = subscriptionKeys(place.topic, subscription).deadLetters;
    const target = topicKeys(place.deadLetterTopic);
    for (;;) {
      const entries = await this.call(() => this.redis.xrangeBuffer(outbox, '-', '+', 'COUNT', FORWARD_BATCH));
      if (entries.length === 0) return;
      const args: ScriptArgument[] = [target.idempotencyPrefix, target.channel, entries.length];
      for (const [id, fields] of entries) {
        args.push(idempotencyDigest(`dead letter ${place.topic} ${subscription} ${id.toString()}`), fields.length, ...fields);
      }
      // {1}: the dead-letter topic is gone, and its dead letters with it (they stay counted).
      await this.script('forward-dead-letters', [target.meta, target.stream], args);
      await this.call(() => this.redis.xdel(outbox, ...entries.map(([id]) => id)));
      if (entries.length < FORWARD_BATCH) return;
    }
  }

  private async settle(
    subscription: string,
    verb: Extract<ScriptName, 'ack' | 'nack' | 'extend-lease' | 'reject'>,
    leading: ScriptArgument[],
    receipts: readonly Receipt[],
  ): Promise<Settlement[]> {
    // The receipts' smallest and largest message id, which the scripts read their pending entries between.
    let low = receipts[0]?.messageId ?? '';
    let high = low;
    for (const { messageId } of receipts) {
      if (idBefore(messageId, low)) low = messageId;
      else if (idBefore(high, messageId)) high = messageId;
    }
    const args = [...leading, low, high];
    for (const receipt of receipts) args.push(receipt.messageId, receipt.attempt);
    const reply = await this.onSubscription(subscription, verb, [], args);
    return reply.slice(1).map((ok) => (ok === 1 ? 'ok' : 'invalid-receipt'));
  }

  /**
   * Runs a script of lib/subscription.lua's shape on a subscription. Scripts answer {1} for an unknown
   * subscription; the cached place may be stale (deleted and created again elsewhere), so look it up
   * once more before giving up.
   */
  private async onSubscription(
    subscription: string,
    name: ScriptName,
    extraKeys: string[] | ((place: SubscriptionPlace) => string[]),
    args: ScriptArgument[],
    binary = false,
  ): Promise<unknown[]> {
    for (let fresh = false; ; fresh = true) {
      let place = fresh ? undefined : this.places.get(subscription);
      if (!place) {
        place = await this.locate(subscription);
        if (!place) break;
        fresh = true;
      }
      const reply = await this.script(
        name,
        [...subscriptionScriptKeys(subscription, place), ...(typeof extraKeys === 'function' ? extraKeys(place) : extraKeys)],
        [...subscriptionScriptNames(subscription, place), ...args],
        binary,
      );
      if (reply[0] !== 1) return reply;
      this.places.delete(subscription);
      if (fresh) break;
    }
    throw new StoreError('not-found', `subscription ${subscription} not found`);
  }

  /** Runs commit or abort on a transaction whose topics and subscriptions its record names. */
  private async onTransaction(id: string, name: 'commit' | 'abort', args: ScriptArgument[]): Promise<unknown[]> {
    this.requireTransactions();
    const [topics, subscriptions] = await this.call(() => this.redis.hmget(transactionKeys(id).record, 'topics', 'subscriptions'));
    if (topics === null) throw new StoreError('not-found', `transaction ${id} not found`);
    const reply = await this.transactionScript(name, id, words(topics), words(subscriptions), args);
    if (reply[0] === 1) throw new StoreError('not-found', `transaction ${id} not found`);
    return reply;
  }

  /**
   * One script applies a whole transaction, and a Redis Cluster runs no script over several slots
   * (the topics and subscriptions of a transaction are in slots of their own): not on a Cluster.
   */
  private requireTransactions(): void {
    if (this.closed) throw new StoreError('unavailable', 'the store is closed');
    if (this.options.clusterNodes?.length) {
      throw new StoreError('unimplemented', 'transactions need a single Redis (with replicas or Sentinel); this gateway runs on a Redis Cluster');
    }
  }

  /** Runs a script of lib/transaction.lua's shape. */
  private async transactionScript(
    name: ScriptName,
    id: string,
    topics: readonly string[],
    subscriptions: readonly string[],
    args: ScriptArgument[],
  ): Promise<unknown[]> {
    const keys = transactionKeys(id);
    const places = await Promise.all(subscriptions.map(async (subscription) => (await this.locate(subscription)) ?? { topic: '', deadLetterTopic: '' }));
    return this.script(
      name,
      [
        keys.record,
        keys.messages,
        keys.acks,
        transactionDeadlines,
        ...topics.flatMap((topic) => [topicKeys(topic).meta, topicKeys(topic).stream]),
        ...subscriptions.flatMap((subscription, i) => subscriptionScriptKeys(subscription, places[i]!)),
      ],
      [
        this.options.finishedTransactionTtlMs ?? 3_600_000,
        topics.length,
        subscriptions.length,
        ...topics.flatMap((topic) => [topicKeys(topic).idempotencyPrefix, topicKeys(topic).channel]),
        ...subscriptions.flatMap((subscription, i) => subscriptionScriptNames(subscription, places[i]!)),
        ...args,
      ],
    );
  }

  private async locate(subscription: string): Promise<SubscriptionPlace | undefined> {
    const topic = await this.call(() => this.redis.hget(subscriptionTopics, subscription));
    if (!topic) return undefined;
    const deadLetterTopic = await this.call(() => this.redis.hget(subscriptionKeys(topic, subscription).meta, 'deadLetterTopic'));
    const place = { topic, deadLetterTopic: deadLetterTopic ?? '' };
    this.places.set(subscription, place);
    return place;
  }

  private async subscriptionNames(topic: string, page: Page): Promise<string[]> {
    if (!(await this.call(() => this.redis.exists(topicKeys(topic).meta)))) throw new StoreError('not-found', `topic ${topic} not found`);
    return this.call(() => this.redis.zrangebylex(topicKeys(topic).subscriptions, lexAfter(page.after), '+', 'LIMIT', 0, page.limit));
  }

  private async readTopic(name: string): Promise<TopicConfig | undefined> {
    const meta = await this.call(() => this.redis.hgetall(topicKeys(name).meta));
    if (!meta.createTimeMs) return undefined;
    return {
      name,
      dedupWindowMs: Number(meta.dedupWindowMs),
      retentionMs: Number(meta.retentionMs),
      retentionMessages: Number(meta.retentionMessages),
      // Topics made before max backlog existed have no such fields: no limit.
      maxBacklogMessages: Number(meta.maxBacklogMessages ?? 0),
      maxBacklogAgeMs: Number(meta.maxBacklogAgeMs ?? 0),
      createTimeMs: Number(meta.createTimeMs),
    };
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
      deadLetterTopic: meta.deadLetterTopic ?? '',
      ordering: meta.ordering === 'true',
      createTimeMs: Number(meta.createTimeMs),
    };
  }

  /**
   * With waitReplicas: returns once that many replicas acknowledged the replication stream up to this
   * point, else unavailable. Redis counts WAIT from the connection's own last replicated command (7.0:
   * its last command), and a duplicate (or a repeated commit) replicated nothing here while its original
   * may have come through another gateway: so a PUBLISH (replicated; nobody listens) goes first and
   * WAIT covers every write before it, whoever made it. On a Cluster PUBLISH travels the cluster bus
   * and could reach any node: there a read of `key` routes WAIT to its node instead.
   */
  private async replicated(key: string): Promise<void> {
    const wanted = this.options.waitReplicas ?? 0;
    if (wanted === 0) return;
    const timeoutMs = this.options.waitTimeoutMs ?? 1000;
    const acknowledged = await this.call(async () => {
      const pipeline = this.redis.pipeline();
      if (this.redis.isCluster) pipeline.exists(key);
      else pipeline.publish(`${PREFIX}:replicated`, '');
      const [, [error, count]] = (await pipeline.wait(wanted, timeoutMs).exec()) as [Error | null, number][];
      if (error) throw error;
      return count;
    });
    if (acknowledged < wanted) {
      throw new StoreError(
        'unavailable',
        `stored, but only ${acknowledged} of ${wanted} replicas acknowledged it within ${timeoutMs} ms; ` +
          'retry with the same idempotency key (answered as a duplicate)',
      );
    }
  }

  private script(name: ScriptName, keys: string[], args: ScriptArgument[], binary = false): Promise<unknown[]> {
    return this.call(() => runScript(this.redis, name, keys, args, binary));
  }

  /** Every Redis call goes through here: failures to reach Redis become unavailable. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('unavailable', 'the store is closed');
    try {
      return await operation();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      // A ReplyError is Redis refusing a command: a bug of ours, not an outage — unless it says Redis
      // cannot serve just now (a Cluster slot without its master, a server loading its data ...).
      if ((error as Error).name === 'ReplyError' && !TRANSIENT_REFUSAL.test((error as Error).message)) throw error;
      throw new StoreError('unavailable', 'Redis is unreachable');
    }
  }
}

/** A subscription's 10 keys in the order of scripts/lib/subscription-core.lua. */
function subscriptionScriptKeys(subscription: string, place: SubscriptionPlace): string[] {
  const keys = subscriptionKeys(place.topic, subscription);
  const topicKeySet = topicKeys(place.topic);
  return [
    topicKeySet.stream,
    topicKeySet.meta,
    keys.meta,
    keys.due,
    keys.why,
    keys.notes,
    keys.dead,
    keys.holders,
    keys.deadLetters,
    keys.unseen,
  ];
}

/** A subscription's 4 names in the order of scripts/lib/subscription-core.lua. */
function subscriptionScriptNames(subscription: string, place: SubscriptionPlace): string[] {
  return [subscription, place.topic, topicKeys(place.topic).channel, subscriptionKeys(place.topic, subscription).parkedPrefix];
}

/**
 * The head, then each message's values as scripts/lib/messages.lua reads them, in an array sized up
 * front for messages without attributes: grown push by push, its copies were a publish's largest garbage.
 */
function messageArgs<M extends OutgoingMessage>(head: readonly ScriptArgument[], messages: readonly M[], topicIndex: (message: M) => number): ScriptArgument[] {
  const args = new Array<ScriptArgument>(head.length + 8 * messages.length);
  let at = 0;
  for (let i = 0; i < head.length; i++) args[at++] = head[i]!;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const attributes = Object.keys(message.attributes);
    args[at++] = topicIndex(message);
    args[at++] = message.idempotencyKey ? idempotencyDigest(message.idempotencyKey) : '';
    args[at++] = message.idempotencyKey ? contentHash(message) : '';
    args[at++] = message.data;
    args[at++] = message.orderingKey;
    args[at++] = message.traceparent;
    args[at++] = message.tracestate;
    args[at++] = attributes.length;
    for (let a = 0; a < attributes.length; a++) {
      args[at++] = attributes[a]!;
      args[at++] = message.attributes[attributes[a]!]!;
    }
  }
  return args;
}

/** Idempotency keys are stored as 16 bytes of their SHA-256: short fields, and no user text in Redis. */
function idempotencyDigest(key: string): Buffer {
  return hash('sha256', key, 'buffer').subarray(0, 16);
}

function words(text: string | null): string[] {
  return text ? text.split(' ') : [];
}

function lexAfter(name: string): string {
  return name ? `(${name}` : '-';
}

function idTime(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

/**
 * Whether stream id a comes before b: `<ms>-<seq>`, decimal. Exact for ids as Redis writes them
 * (no leading zeros); other spellings only widen or narrow a range the scripts also check id by id.
 */
export function idBefore(a: string, b: string): boolean {
  const aDash = a.indexOf('-');
  const bDash = b.indexOf('-');
  if (aDash !== bDash) return aDash < bDash;
  for (let i = 0; i < aDash; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference < 0;
  }
  // The same milliseconds: the longer sequence number is the larger.
  if (a.length !== b.length) return a.length < b.length;
  return a < b;
}

/** The fields a message carries from topic to topic (see publish.lua); the rest is lineage. */
function isMessageField(name: Buffer): boolean {
  const text = name.toString();
  return text === 'd' || text === 'k' || text === 'tp' || text === 'ts' || text.startsWith('a:');
}

/** Turns a stream entry's fields (see publish.lua and lib/subscription.lua) back into a message. */
function parseEntry(id: string, fields: Buffer[]): StoredMessage {
  let data: Buffer = EMPTY;
  const text: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) {
    const field = fields[i]!;
    const value = fields[i + 1]!;
    if (field.length === 1 && field[0] === D) data = value;
    else if (field[0] === A && field[1] === COLON) attributes[field.toString('utf8', 2)] = value.toString();
    else text[field.toString()] = value.toString();
  }
  return {
    id,
    data,
    attributes,
    orderingKey: text.k ?? '',
    traceparent: text.tp ?? '',
    tracestate: text.ts ?? '',
    publishTimeMs: idTime(id),
    originalId: text.o ?? '',
    ...(text.xt !== undefined && {
      deadLetter: { sourceTopic: text.xt, subscription: text.xs ?? '', reason: text.xr ?? '', attempts: Number(text.xa) },
    }),
  };
}

/** Refusals after which the same command may well succeed: the store answers unavailable (retry). */
const TRANSIENT_REFUSAL = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|NOREPLICAS|BUSY|READONLY)\b/;
/** Dead letters forwarded per script call: few, as each may carry a payload of up to the size limit. */
const FORWARD_BATCH = 20;
const EMPTY = Buffer.alloc(0);
const D = 'd'.charCodeAt(0);
const A = 'a'.charCodeAt(0);
const COLON = ':'.charCodeAt(0);
