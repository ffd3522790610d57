// The embedded default store: everything in this process, nothing survives a restart. It mirrors the
// Redis adapter (a stream per topic, a consumer group per subscription) so that both pass one contract
// suite. Every method runs to completion without awaiting, which makes each one atomic.
import { contentHash } from '../content-hash.ts';
import {
  StoreError,
  type DeadLetterInfo,
  type Delivery,
  type DeliveryReason,
  type MessageState,
  type MessageStore,
  type OutgoingMessage,
  type Page,
  type PreparedTransaction,
  type PublishOutcome,
  type Receipt,
  type ReceiveRequest,
  type ReceiveResult,
  type SeekTarget,
  type Settlement,
  type StagedAck,
  type StagedMessage,
  type StoredMessage,
  type SubscriptionConfig,
  type SubscriptionStats,
  type TopicConfig,
} from '../store.ts';

interface IdempotencyRecord {
  readonly messageId: string;
  readonly hash: string;
  readonly expiresMs: number;
}

interface TopicState {
  readonly config: TopicConfig;
  /** Id order (= publish order). trim removes from the front, redrive deletes anywhere, as XDEL does. */
  readonly log: StoredMessage[];
  readonly byId: Map<string, StoredMessage>;
  /** Insertion order is expiry order (one window per topic), so pruning stops at the first live key. */
  readonly keys: Map<string, IdempotencyRecord>;
  /** The last id handed out, as a stream's last-generated-id: never goes back, even after trims. */
  lastMs: number;
  lastSeq: number;
}

/** `<ms>-<seq>` as numbers, ordered as Redis orders stream ids. */
type IdKey = readonly [ms: number, seq: number];

/** Why a message that falls due is redelivered (its first delivery's reason is worked out apart). */
type RedeliveryReason = Extract<DeliveryReason, 'nack' | 'lease-expired' | 'consumer-lost'>;

/** One message in flight, as a Redis pending-entries-list entry plus its due time. */
interface InFlight {
  /**
   * Delivery attempts so far. 0 for a message whose ordering key was just freed: it is due, but has
   * not been delivered yet, so it is still backlog (pending), not in flight, for stats and inspect.
   */
  attempt: number;
  /** When it falls due: lease end + backoff, the end of a nack delay, or now (released, unparked). */
  dueMs: number;
  consumer: string;
  /** The reason of its next delivery, once attempt >= 1. */
  reason: RedeliveryReason;
  /** The last nack reason; '' when none. */
  lastError: string;
}

interface DeadLetterRecord {
  readonly reason: string;
  readonly attempts: number;
}

interface SubscriptionState {
  readonly config: SubscriptionConfig;
  /** The next message never delivered is the first whose id is at or after this one. */
  cursor: IdKey;
  readonly inFlight: Map<string, InFlight>;
  /** With ordering on: per ordering key, the messages waiting behind its holder, in publish order. */
  readonly parked: Map<string, string[]>;
  /** With ordering on: per ordering key, the message that holds it (in flight or just freed to fall due). */
  readonly holders: Map<string, string>;
  /** Ids of retained messages delivered at least once here: a delivery after a seek is 'seek' for them. */
  readonly delivered: Set<string>;
  /** Retained messages dead-lettered here, for inspect. */
  readonly deadLetters: Map<string, DeadLetterRecord>;
  deadLettered: number;
}

interface Watcher {
  readonly listener: () => void;
}

/** What became of a transaction: still prepared, or finished (and then remembered for a while). */
type TransactionOutcome =
  | { readonly state: 'prepared' }
  | { readonly state: 'committed'; readonly messageIds: readonly string[] }
  | { readonly state: 'aborted'; readonly reason: string };

interface Transaction {
  readonly id: string;
  readonly expiresMs: number;
  /** Copies of what prepare was given, in staged order; emptied once the transaction finished. */
  messages: readonly StagedMessage[];
  acks: readonly StagedAck[];
  outcome: TransactionOutcome;
}

export interface MemoryStoreOptions {
  /**
   * How long a committed or aborted transaction is remembered (repeats of commit and abort answer as
   * before); afterwards its id is unknown. Default 3_600_000 (1 hour).
   */
  readonly finishedTransactionTtlMs?: number;
}

/** A message's stored fields other than its id and publish time. */
type MessageBody = Omit<StoredMessage, 'id' | 'publishTimeMs'>;

export class MemoryMessageStore implements MessageStore {
  readonly kind = 'memory';

  private readonly topics = new Map<string, TopicState>();
  private readonly subscriptions = new Map<string, SubscriptionState>();
  // Kept apart from topics: a watch may outlive a delete and recreate of its topic, as a Redis channel does.
  private readonly watchers = new Map<string, Set<Watcher>>();
  /** Every transaction not forgotten yet, by id. */
  private readonly transactions = new Map<string, Transaction>();
  /** Ids of the prepared ones, for expireTransactions. */
  private readonly prepared = new Set<string>();
  /** Finished ones: id to the instant it is forgotten. One TTL for all, so insertion order is forget order. */
  private readonly finished = new Map<string, number>();
  private readonly finishedTransactionTtlMs: number;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.finishedTransactionTtlMs = options.finishedTransactionTtlMs ?? 3_600_000;
  }

  async createTopic(topic: Omit<TopicConfig, 'createTimeMs'>): Promise<TopicConfig> {
    this.ensureOpen();
    if (this.topics.has(topic.name)) throw new StoreError('already-exists', `topic '${topic.name}' already exists`);
    const config: TopicConfig = Object.freeze({
      name: topic.name,
      dedupWindowMs: topic.dedupWindowMs,
      retentionMs: topic.retentionMs,
      retentionMessages: topic.retentionMessages,
      maxBacklogMessages: topic.maxBacklogMessages,
      maxBacklogAgeMs: topic.maxBacklogAgeMs,
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
    // Messages and idempotency keys live in the topic's state and go with it. Subscriptions naming it as
    // their dead-letter topic keep the name: their dead letters are dropped (and counted) while it is gone.
    this.topics.delete(name);
  }

  async createSubscription(subscription: Omit<SubscriptionConfig, 'createTimeMs'>): Promise<SubscriptionConfig> {
    this.ensureOpen();
    const topic = this.topic(subscription.topic);
    if (subscription.deadLetterTopic !== '' && !this.topics.has(subscription.deadLetterTopic)) {
      throw new StoreError('not-found', `dead-letter topic '${subscription.deadLetterTopic}' not found`);
    }
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
      deadLetterTopic: subscription.deadLetterTopic,
      ordering: subscription.ordering,
      createTimeMs: Date.now(),
    });
    this.subscriptions.set(config.name, {
      config,
      cursor: config.startPosition === 'latest' ? endOf(topic) : [0, 0],
      inFlight: new Map(),
      parked: new Map(),
      holders: new Map(),
      delivered: new Set(),
      deadLetters: new Map(),
      deadLettered: 0,
    });
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
    // Its cursor, deliveries, parked messages, key holders and dead-letter records all go with it.
    this.subscriptions.delete(name);
  }

  async publish(topicName: string, messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    this.ensureOpen();
    const topic = this.topic(topicName);
    // Planned first: a conflict anywhere in the batch must leave the topic untouched.
    const batch = new AppendBatch(topic, Date.now());
    const outcomes: PublishOutcome[] = [];
    for (const message of messages) {
      const outcome = batch.add(message);
      if (outcome === 'conflict') {
        throw new StoreError(
          'already-exists',
          `idempotency key '${message.idempotencyKey}' was already used with other content on topic '${topicName}'`,
        );
      }
      outcomes.push(outcome);
    }
    if (outcomes.some((outcome) => !outcome.duplicate)) {
      this.checkBacklog(topic, outcomes.filter((outcome) => !outcome.duplicate).length, Date.now());
    }
    if (batch.apply()) this.notify(topicName);
    return outcomes;
  }

  async receive(subscriptionName: string, request: ReceiveRequest): Promise<ReceiveResult> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const topic = this.topic(subscription.config.topic);
    const { config } = subscription;
    const now = Date.now();
    const leaseDeadlineMs = now + config.ackDeadlineMs;
    const deliveries: Delivery[] = [];
    let bytes = 0;

    // The delivery after the last allowed attempt does not happen: those messages are dead-lettered
    // first (whatever the budget), which may free ordering keys whose next message is then due now.
    if (config.maxDeliveryAttempts > 0) {
      for (const [id, entry] of dueEntries(subscription, now)) {
        if (entry.attempt >= config.maxDeliveryAttempts) {
          this.deadLetter(subscription, topic, id, entry.attempt, 'max-delivery-attempts', now);
        }
      }
    }

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
    for (const [id, entry] of dueEntries(subscription, now)) {
      const message = topic.byId.get(id);
      if (message === undefined) {
        // Deletes remove their in-flight entries; never hand out a ghost all the same.
        subscription.inFlight.delete(id);
        continue;
      }
      if (!fits(message)) {
        full = true;
        break;
      }
      const reason = entry.attempt === 0 ? firstReason(subscription, message) : entry.reason;
      entry.attempt += 1;
      entry.dueMs = leaseDeadlineMs + backoff(config, entry.attempt);
      entry.consumer = request.consumer;
      entry.reason = 'lease-expired';
      subscription.delivered.add(id);
      deliveries.push(deliveryOf(message, entry.attempt, reason, leaseDeadlineMs));
    }

    let index = full ? topic.log.length : firstIndexAtOrAfter(topic.log, subscription.cursor);
    for (; index < topic.log.length; index++) {
      const message = topic.log[index]!;
      const key = config.ordering ? message.orderingKey : '';
      if (key !== '' && subscription.holders.has(key)) {
        // Parked behind the key's holder: not delivered, no attempt, no room taken.
        const queue = subscription.parked.get(key);
        if (queue === undefined) subscription.parked.set(key, [message.id]);
        else queue.push(message.id);
        subscription.cursor = successorOf(message.id);
        continue;
      }
      if (!fits(message)) break;
      subscription.cursor = successorOf(message.id);
      if (key !== '') subscription.holders.set(key, message.id);
      subscription.inFlight.set(message.id, {
        attempt: 1,
        dueMs: leaseDeadlineMs + backoff(config, 1),
        consumer: request.consumer,
        reason: 'lease-expired',
        lastError: '',
      });
      const reason = firstReason(subscription, message);
      subscription.delivered.add(message.id);
      deliveries.push(deliveryOf(message, 1, reason, leaseDeadlineMs));
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
    const topic = this.topic(subscription.config.topic);
    const now = Date.now();
    return receipts.map((receipt) =>
      settle(subscription, receipt, () => {
        subscription.inFlight.delete(receipt.messageId);
        this.freeKey(subscription, topic, receipt.messageId, now);
      }),
    );
  }

  async nack(
    subscriptionName: string,
    receipts: readonly Receipt[],
    delayMs: number | undefined,
    reason: string,
  ): Promise<Settlement[]> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const now = Date.now();
    let dueNow = false;
    const results = receipts.map((receipt) =>
      settle(subscription, receipt, (entry) => {
        const delay = delayMs ?? backoff(subscription.config, entry.attempt);
        entry.dueMs = now + delay;
        entry.reason = 'nack';
        entry.lastError = reason;
        if (delay <= 0) dueNow = true;
      }),
    );
    // Not promised by the interface for nack (release is the verb for "due at once"), but a harmless hint.
    if (dueNow) this.notify(subscription.config.topic);
    return results;
  }

  async release(subscriptionName: string, receipts: readonly Receipt[]): Promise<Settlement[]> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const now = Date.now();
    let released = false;
    const results = receipts.map((receipt) =>
      settle(subscription, receipt, (entry) => {
        entry.dueMs = now;
        entry.reason = 'consumer-lost';
        released = true;
      }),
    );
    if (released) this.notify(subscription.config.topic);
    return results;
  }

  async inFlight(subscriptionName: string, receipts: readonly Receipt[]): Promise<boolean[]> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    return receipts.map((receipt) => currentEntry(subscription, receipt) !== undefined);
  }

  async extendLease(subscriptionName: string, receipts: readonly Receipt[], leaseMs: number): Promise<Settlement[]> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const now = Date.now();
    return receipts.map((receipt) =>
      settle(subscription, receipt, (entry) => {
        entry.dueMs = now + leaseMs + backoff(subscription.config, entry.attempt);
        // The consumer holds it under a lease again (also after a nack or release): if that lease runs out, that is why.
        entry.reason = 'lease-expired';
      }),
    );
  }

  async reject(subscriptionName: string, receipts: readonly Receipt[], reason: string): Promise<Settlement[]> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const topic = this.topic(subscription.config.topic);
    const now = Date.now();
    return receipts.map((receipt) =>
      settle(subscription, receipt, (entry) => {
        this.deadLetter(subscription, topic, receipt.messageId, entry.attempt, reason || 'rejected', now);
      }),
    );
  }

  async seek(subscriptionName: string, target: SeekTarget): Promise<void> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    const topic = this.topic(subscription.config.topic);
    let bound: IdKey;
    if ('messageId' in target) {
      const parsed = parseId(target.messageId);
      if (parsed === undefined) throw new StoreError('invalid-argument', `'${target.messageId}' is not a message id`);
      bound = parsed;
    } else {
      bound = [target.timeMs, 0];
    }
    // The first retained message at or after the target; when there is none, the end of the topic, so
    // that whatever is published next is delivered (even if its time or id sorts before the target).
    const index = firstIndexAtOrAfter(topic.log, bound);
    subscription.cursor = index < topic.log.length ? idKey(topic.log[index]!.id) : endOf(topic);
    subscription.inFlight.clear();
    subscription.parked.clear();
    subscription.holders.clear();
    for (const id of subscription.deadLetters.keys()) {
      if (compareKeys(idKey(id), subscription.cursor) >= 0) subscription.deadLetters.delete(id);
    }
    this.notify(topic.config.name);
  }

  async stats(subscriptionName: string): Promise<SubscriptionStats> {
    this.ensureOpen();
    const subscription = this.subscription(subscriptionName);
    return this.statsOf(subscription, this.topic(subscription.config.topic));
  }

  /** Throws resource-exhausted when `fresh` more messages would pass the topic's max backlog (see MessageStore.publish). */
  private checkBacklog(topic: TopicState, fresh: number, now: number): void {
    const { name, maxBacklogMessages, maxBacklogAgeMs } = topic.config;
    if (maxBacklogMessages === 0 && maxBacklogAgeMs === 0) return;
    for (const subscription of this.subscriptionsOf(name)) {
      const { backlog, inFlight, oldestUnsettledMs } = this.statsOf(subscription, topic);
      const subscriptionName = subscription.config.name;
      if (maxBacklogMessages > 0 && backlog + inFlight + fresh > maxBacklogMessages) {
        throw new StoreError(
          'resource-exhausted',
          `topic ${name} is at its max backlog: subscription ${subscriptionName} holds ${backlog + inFlight} unsettled messages`,
        );
      }
      if (maxBacklogAgeMs > 0 && oldestUnsettledMs !== null && now - oldestUnsettledMs > maxBacklogAgeMs) {
        throw new StoreError(
          'resource-exhausted',
          `topic ${name} is at its max backlog: the oldest message subscription ${subscriptionName} has not settled is ${now - oldestUnsettledMs} ms old`,
        );
      }
    }
  }

  private statsOf(subscription: SubscriptionState, topic: TopicState): SubscriptionStats {
    const index = firstIndexAtOrAfter(topic.log, subscription.cursor);
    let backlog = topic.log.length - index;
    let inFlight = 0;
    let oldestUnsettledMs = index < topic.log.length ? topic.log[index]!.publishTimeMs : null;
    const consider = (id: string) => {
      const message = topic.byId.get(id);
      if (message !== undefined && (oldestUnsettledMs === null || message.publishTimeMs < oldestUnsettledMs)) {
        oldestUnsettledMs = message.publishTimeMs;
      }
    };
    for (const queue of subscription.parked.values()) {
      backlog += queue.length;
      if (queue.length > 0) consider(queue[0]!);
    }
    for (const [id, entry] of subscription.inFlight) {
      // A message freed from its ordering key but not delivered yet is still backlog.
      if (entry.attempt === 0) backlog += 1;
      else inFlight += 1;
      consider(id);
    }
    return { backlog, inFlight, oldestUnsettledMs, deadLettered: subscription.deadLettered };
  }

  async inspect(topicName: string, messageId: string): Promise<{ message: StoredMessage; states: MessageState[] }> {
    this.ensureOpen();
    const topic = this.topic(topicName);
    const message = topic.byId.get(messageId);
    if (message === undefined) throw new StoreError('not-found', `message '${messageId}' not found in topic '${topicName}'`);
    const states = [...this.subscriptions.values()]
      .filter((subscription) => subscription.config.topic === topicName)
      .sort((a, b) => byName(a.config.name, b.config.name))
      .map((subscription) => stateOf(subscription, message));
    return { message: copyOf(message), states };
  }

  async redrive(deadLetterTopic: string, messageIds: readonly string[] | undefined): Promise<number> {
    this.ensureOpen();
    const topic = this.topic(deadLetterTopic);
    const wanted = messageIds === undefined ? undefined : new Set(messageIds);
    const now = Date.now();
    const sources = new Set<string>();
    let moved = 0;
    for (const message of topic.log.filter((m) => m.deadLetter !== undefined && (wanted === undefined || wanted.has(m.id)))) {
      const source = this.topics.get(message.deadLetter!.sourceTopic);
      // Its source topic is gone: the dead letter stays where it is.
      if (source === undefined) continue;
      // No deadLetter info and an originalId: that is what marks a redriven message (first delivery 'redrive').
      this.append(source, {
        data: message.data,
        attributes: message.attributes,
        orderingKey: message.orderingKey,
        traceparent: message.traceparent,
        tracestate: message.tracestate,
        originalId: message.originalId,
      }, now);
      this.remove(topic, message, now);
      sources.add(source.config.name);
      moved += 1;
    }
    for (const source of sources) this.notify(source);
    return moved;
  }

  async trim(topicName: string): Promise<number> {
    this.ensureOpen();
    const topic = this.topic(topicName);
    const { log } = topic;
    const now = Date.now();
    const { retentionMs, retentionMessages } = topic.config;
    let cut = 0;
    while (cut < log.length && log[cut]!.publishTimeMs < now - retentionMs) cut += 1;
    if (retentionMessages > 0) cut = Math.max(cut, log.length - retentionMessages);

    // Never past a message that some subscription has not settled: in flight, parked or undelivered.
    const subscriptions = this.subscriptionsOf(topicName);
    const unsettled = new Set<string>();
    for (const subscription of subscriptions) {
      for (const id of subscription.inFlight.keys()) unsettled.add(id);
      for (const queue of subscription.parked.values()) for (const id of queue) unsettled.add(id);
    }
    let removed = 0;
    while (removed < cut) {
      const message = log[removed]!;
      const key = idKey(message.id);
      if (unsettled.has(message.id) || subscriptions.some((s) => compareKeys(key, s.cursor) >= 0)) break;
      removed += 1;
    }
    for (const message of log.splice(0, removed)) {
      topic.byId.delete(message.id);
      for (const subscription of subscriptions) {
        subscription.delivered.delete(message.id);
        subscription.deadLetters.delete(message.id);
      }
    }
    return removed;
  }

  async prepare(
    id: string,
    messages: readonly StagedMessage[],
    acks: readonly StagedAck[],
    timeoutMs: number,
  ): Promise<PreparedTransaction> {
    this.ensureOpen();
    const now = Date.now();
    this.forgetFinished(now);
    // Idempotent: whatever the transaction became, the first prepare's answer stands.
    const existing = this.transactions.get(id);
    if (existing !== undefined) return Object.freeze({ id, expiresMs: existing.expiresMs });
    for (const message of messages) this.topic(message.topic);
    for (const ack of acks) this.subscription(ack.subscription);

    const expiresMs = now + timeoutMs;
    // The transaction holds the leases of its current receipts until it expires, and if it expires
    // unfinished they come again as after a nack; stale ones are staged all the same (commit then aborts).
    for (const ack of acks) {
      const subscription = this.subscriptions.get(ack.subscription)!;
      const entry = currentEntry(subscription, ack.receipt);
      if (entry !== undefined) {
        entry.dueMs = expiresMs + backoff(subscription.config, entry.attempt);
        entry.reason = 'nack';
      }
    }
    this.transactions.set(id, {
      id,
      expiresMs,
      messages: messages.map((message) => ({ ...message, data: Buffer.from(message.data), attributes: { ...message.attributes } })),
      acks: acks.map((ack) => ({ subscription: ack.subscription, receipt: { messageId: ack.receipt.messageId, attempt: ack.receipt.attempt } })),
      outcome: { state: 'prepared' },
    });
    this.prepared.add(id);
    return Object.freeze({ id, expiresMs });
  }

  async commit(id: string): Promise<string[]> {
    this.ensureOpen();
    const now = Date.now();
    this.forgetFinished(now);
    const transaction = this.transaction(id);
    const { outcome } = transaction;
    if (outcome.state === 'committed') return [...outcome.messageIds];
    if (outcome.state === 'aborted') throw abortedError(id, outcome.reason);
    if (now > transaction.expiresMs) {
      this.abortTransaction(transaction, 'expired', now);
      throw abortedError(id, 'expired');
    }

    // Every check before anything is applied: a failing one aborts the transaction and applies nothing.
    const plan = this.planCommit(transaction, now);
    if (typeof plan === 'string') {
      this.abortTransaction(transaction, plan, now);
      throw abortedError(id, plan);
    }

    for (const [topicName, batch] of plan.batches) if (batch.apply()) this.notify(topicName);
    for (const { subscription: name, receipt } of transaction.acks) {
      const subscription = this.subscriptions.get(name)!;
      // Not in flight any more: the same receipt was staged twice and the first copy acked it.
      if (!subscription.inFlight.delete(receipt.messageId)) continue;
      this.freeKey(subscription, this.topics.get(subscription.config.topic)!, receipt.messageId, now);
    }
    const messageIds = Object.freeze(plan.outcomes.map((o) => o.messageId));
    this.finish(transaction, { state: 'committed', messageIds }, now);
    return [...messageIds];
  }

  async abort(id: string): Promise<void> {
    this.ensureOpen();
    const now = Date.now();
    this.forgetFinished(now);
    const transaction = this.transaction(id);
    if (transaction.outcome.state === 'committed') {
      throw new StoreError('failed-precondition', `transaction ${id} was committed`);
    }
    if (transaction.outcome.state === 'aborted') return;
    this.abortTransaction(transaction, 'aborted', now);
  }

  async expireTransactions(): Promise<number> {
    this.ensureOpen();
    const now = Date.now();
    this.forgetFinished(now);
    let expired = 0;
    for (const id of [...this.prepared]) {
      const transaction = this.transactions.get(id)!;
      if (transaction.expiresMs > now) continue;
      this.abortTransaction(transaction, 'expired', now);
      expired += 1;
    }
    return expired;
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

  /**
   * Settles a message of the subscription as dead: counted, remembered for inspect, appended to the
   * dead-letter topic when there is one (dropped otherwise), and its ordering key freed.
   */
  private deadLetter(
    subscription: SubscriptionState,
    topic: TopicState,
    id: string,
    attempts: number,
    reason: string,
    now: number,
  ): void {
    subscription.inFlight.delete(id);
    subscription.deadLettered += 1;
    subscription.deadLetters.set(id, { reason, attempts });
    const message = topic.byId.get(id);
    if (message === undefined) return;
    const { deadLetterTopic } = subscription.config;
    const target = deadLetterTopic === '' ? undefined : this.topics.get(deadLetterTopic);
    if (target !== undefined) {
      const deadLetter: DeadLetterInfo = Object.freeze({
        sourceTopic: topic.config.name,
        subscription: subscription.config.name,
        reason,
        attempts,
      });
      this.append(target, {
        data: message.data,
        attributes: message.attributes,
        orderingKey: message.orderingKey,
        traceparent: message.traceparent,
        tracestate: message.tracestate,
        originalId: message.id,
        deadLetter,
      }, now);
      this.notify(deadLetterTopic);
    }
    this.freeKey(subscription, topic, id, now);
  }

  /**
   * After the holder of an ordering key was settled (ack, reject, dead-lettering, deletion): the key's
   * next parked message falls due at once, or the key is free when none waits. Wakes the watchers.
   */
  private freeKey(subscription: SubscriptionState, topic: TopicState, id: string, now: number): void {
    if (!subscription.config.ordering) return;
    const key = topic.byId.get(id)?.orderingKey ?? '';
    if (key === '' || subscription.holders.get(key) !== id) return;
    const queue = subscription.parked.get(key) ?? [];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (!topic.byId.has(next)) continue;
      if (queue.length === 0) subscription.parked.delete(key);
      subscription.holders.set(key, next);
      subscription.inFlight.set(next, { attempt: 0, dueMs: now, consumer: '', reason: 'lease-expired', lastError: '' });
      this.notify(topic.config.name);
      return;
    }
    subscription.parked.delete(key);
    subscription.holders.delete(key);
  }

  /** Appends a message made by the store itself (a dead letter, a redriven message) with the next id. */
  private append(topic: TopicState, body: MessageBody, now: number): StoredMessage {
    const ms = Math.max(now, topic.lastMs);
    topic.lastSeq = ms === topic.lastMs ? topic.lastSeq + 1 : 0;
    topic.lastMs = ms;
    const message = storedMessage(`${ms}-${topic.lastSeq}`, ms, body);
    topic.log.push(message);
    topic.byId.set(message.id, message);
    return message;
  }

  /** Deletes one message from a topic, as XDEL: every subscription forgets it, and a key it held is freed. */
  private remove(topic: TopicState, message: StoredMessage, now: number): void {
    for (const subscription of this.subscriptionsOf(topic.config.name)) {
      // Freed while the message is still there, so the key is known; its successor is due at once.
      if (subscription.inFlight.delete(message.id)) this.freeKey(subscription, topic, message.id, now);
      const queue = subscription.parked.get(message.orderingKey);
      const at = queue?.indexOf(message.id) ?? -1;
      if (at >= 0) queue!.splice(at, 1);
      if (queue?.length === 0) subscription.parked.delete(message.orderingKey);
      subscription.delivered.delete(message.id);
      subscription.deadLetters.delete(message.id);
    }
    topic.log.splice(firstIndexAtOrAfter(topic.log, idKey(message.id)), 1);
    topic.byId.delete(message.id);
  }

  /**
   * Checks a prepared transaction as commit must, in this order: its topics and subscriptions still
   * exist, its receipts are current, its idempotency keys name no other content (in each topic as one
   * publish batch). Answers the planned appends and outcomes in staged order, or the reason to abort.
   */
  private planCommit(
    transaction: Transaction,
    now: number,
  ): { batches: Map<string, AppendBatch>; outcomes: PublishOutcome[] } | string {
    for (const { topic } of transaction.messages) {
      if (!this.topics.has(topic)) return `topic ${topic} was deleted`;
    }
    for (const { subscription } of transaction.acks) {
      if (!this.subscriptions.has(subscription)) return `subscription ${subscription} was deleted`;
    }
    for (const { subscription, receipt } of transaction.acks) {
      if (currentEntry(this.subscriptions.get(subscription)!, receipt) === undefined) {
        return `receipt of message ${receipt.messageId} in subscription ${subscription} is no longer current`;
      }
    }
    const batches = new Map<string, AppendBatch>();
    const outcomes: PublishOutcome[] = [];
    for (const [index, message] of transaction.messages.entries()) {
      let batch = batches.get(message.topic);
      if (batch === undefined) batches.set(message.topic, (batch = new AppendBatch(this.topics.get(message.topic)!, now)));
      const outcome = batch.add(message);
      if (outcome === 'conflict') return `the idempotency key of message ${index} was used for other content`;
      outcomes.push(outcome);
    }
    return { batches, outcomes };
  }

  /**
   * Aborts a prepared transaction: its staged messages are dropped, and each of its receipts that is
   * still current falls due after the backoff of its attempt, as a nack without a delay makes it.
   */
  private abortTransaction(transaction: Transaction, reason: string, now: number): void {
    const dueNow = new Set<string>();
    for (const { subscription: name, receipt } of transaction.acks) {
      const subscription = this.subscriptions.get(name);
      const entry = subscription === undefined ? undefined : currentEntry(subscription, receipt);
      if (entry === undefined) continue;
      const delay = backoff(subscription!.config, entry.attempt);
      entry.dueMs = now + delay;
      entry.reason = 'nack';
      if (delay <= 0) dueNow.add(subscription!.config.topic);
    }
    this.finish(transaction, { state: 'aborted', reason }, now);
    for (const topic of dueNow) this.notify(topic);
  }

  private finish(transaction: Transaction, outcome: TransactionOutcome, now: number): void {
    transaction.outcome = outcome;
    transaction.messages = [];
    transaction.acks = [];
    this.prepared.delete(transaction.id);
    this.finished.set(transaction.id, now + this.finishedTransactionTtlMs);
  }

  /** Forgets the finished transactions whose time is up (lazily, on every transaction call). */
  private forgetFinished(now: number): void {
    for (const [id, forgetMs] of this.finished) {
      if (forgetMs > now) break;
      this.finished.delete(id);
      this.transactions.delete(id);
    }
  }

  private transaction(id: string): Transaction {
    const transaction = this.transactions.get(id);
    if (transaction === undefined) throw new StoreError('not-found', `transaction ${id} not found`);
    return transaction;
  }

  private subscriptionsOf(topic: string): SubscriptionState[] {
    return [...this.subscriptions.values()].filter((subscription) => subscription.config.topic === topic);
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

/**
 * Applies a settlement to the current attempt only. A message not in flight (settled, or freed from its
 * ordering key but not delivered yet) answers ok and changes nothing; another attempt, or a message
 * dead-lettered after its last attempt ended unsettled (no receipt settled it), invalid-receipt.
 */
function settle(subscription: SubscriptionState, receipt: Receipt, apply: (entry: InFlight) => void): Settlement {
  const entry = subscription.inFlight.get(receipt.messageId);
  if (entry === undefined) return subscription.deadLetters.get(receipt.messageId)?.reason === 'max-delivery-attempts' ? 'invalid-receipt' : 'ok';
  if (entry.attempt === 0) return 'ok';
  if (entry.attempt !== receipt.attempt) return 'invalid-receipt';
  apply(entry);
  return 'ok';
}

/**
 * The in-flight entry a receipt names, when that receipt is current (delivered, under that attempt);
 * undefined for a settled message or another attempt.
 */
function currentEntry(subscription: SubscriptionState, receipt: Receipt): InFlight | undefined {
  const entry = subscription.inFlight.get(receipt.messageId);
  return entry !== undefined && entry.attempt > 0 && entry.attempt === receipt.attempt ? entry : undefined;
}

function abortedError(id: string, reason: string): StoreError {
  return new StoreError('aborted', `transaction ${id} was aborted: ${reason}`);
}

/**
 * Appends to one topic planned as one publish batch: ids handed out as XADD with '*' does, idempotency
 * keys checked against the topic's window and the batch itself. Nothing changes until apply().
 */
class AppendBatch {
  private readonly messages: StoredMessage[] = [];
  private readonly keys = new Map<string, IdempotencyRecord>();
  private lastMs: number;
  private lastSeq: number;

  constructor(
    private readonly topic: TopicState,
    private readonly now: number,
  ) {
    pruneKeys(topic, now);
    this.lastMs = topic.lastMs;
    this.lastSeq = topic.lastSeq;
  }

  /** The message's outcome; 'conflict' when its idempotency key was used with other content. */
  add(message: OutgoingMessage): PublishOutcome | 'conflict' {
    const key = message.idempotencyKey;
    const hash = key === '' ? '' : contentHash(message).toString('base64');
    if (key !== '') {
      const seen = this.keys.get(key) ?? liveKey(this.topic, key, this.now);
      if (seen !== undefined) return seen.hash === hash ? { messageId: seen.messageId, duplicate: true } : 'conflict';
    }
    // The ms part never goes back, the sequence counts within one ms.
    const ms = Math.max(this.now, this.lastMs);
    this.lastSeq = ms === this.lastMs ? this.lastSeq + 1 : 0;
    this.lastMs = ms;
    const id = `${ms}-${this.lastSeq}`;
    this.messages.push(
      storedMessage(id, ms, {
        data: message.data,
        attributes: message.attributes,
        orderingKey: message.orderingKey,
        traceparent: message.traceparent,
        tracestate: message.tracestate,
        originalId: '',
      }),
    );
    if (key !== '') this.keys.set(key, { messageId: id, hash, expiresMs: this.now + this.topic.config.dedupWindowMs });
    return { messageId: id, duplicate: false };
  }

  /** Stores what add planned; answers whether any message was stored (then the caller notifies). */
  apply(): boolean {
    const { topic } = this;
    for (const message of this.messages) {
      topic.log.push(message);
      topic.byId.set(message.id, message);
    }
    for (const [key, record] of this.keys) {
      // Delete first so the key moves to the end and insertion order stays expiry order.
      topic.keys.delete(key);
      topic.keys.set(key, record);
    }
    topic.lastMs = this.lastMs;
    topic.lastSeq = this.lastSeq;
    return this.messages.length > 0;
  }
}

/** In-flight entries due at `now`, earliest due first (id order among equals). */
function dueEntries(subscription: SubscriptionState, now: number): [string, InFlight][] {
  return [...subscription.inFlight]
    .filter(([, entry]) => entry.dueMs <= now)
    .sort(([idA, a], [idB, b]) => a.dueMs - b.dueMs || compareKeys(idKey(idA), idKey(idB)));
}

function backoff(config: SubscriptionConfig, attempt: number): number {
  return Math.min(config.maxBackoffMs, config.minBackoffMs * 2 ** (attempt - 1));
}

/** The reason of a delivery as attempt 1: again after a seek, the first of a redriven message, or first. */
function firstReason(subscription: SubscriptionState, message: StoredMessage): DeliveryReason {
  if (subscription.delivered.has(message.id)) return 'seek';
  if (message.originalId !== '' && message.deadLetter === undefined) return 'redrive';
  return 'first';
}

function stateOf(subscription: SubscriptionState, message: StoredMessage): MessageState {
  const name = subscription.config.name;
  const deadLetter = subscription.deadLetters.get(message.id);
  if (deadLetter !== undefined) {
    return { subscription: name, state: 'dead-lettered', attempts: deadLetter.attempts, consumer: '', lastError: deadLetter.reason };
  }
  const entry = subscription.inFlight.get(message.id);
  if (entry !== undefined && entry.attempt > 0) {
    return { subscription: name, state: 'in-flight', attempts: entry.attempt, consumer: entry.consumer, lastError: entry.lastError };
  }
  const pending =
    entry !== undefined ||
    (subscription.parked.get(message.orderingKey)?.includes(message.id) ?? false) ||
    compareKeys(idKey(message.id), subscription.cursor) >= 0;
  return { subscription: name, state: pending ? 'pending' : 'acked', attempts: 0, consumer: '', lastError: '' };
}

function storedMessage(id: string, publishTimeMs: number, body: MessageBody): StoredMessage {
  return Object.freeze({
    id,
    // A copy, so a caller reusing its buffer cannot change what is stored.
    data: Buffer.from(body.data),
    attributes: Object.freeze({ ...body.attributes }),
    orderingKey: body.orderingKey,
    publishTimeMs,
    traceparent: body.traceparent,
    tracestate: body.tracestate,
    originalId: body.originalId,
    ...(body.deadLetter === undefined ? {} : { deadLetter: body.deadLetter }),
  });
}

/** A fresh data buffer per hand-out: a consumer writing into it must not reach the stored message. */
function copyOf(message: StoredMessage): StoredMessage {
  return Object.freeze({ ...message, data: Buffer.from(message.data) });
}

function deliveryOf(message: StoredMessage, attempt: number, reason: DeliveryReason, leaseDeadlineMs: number): Delivery {
  return Object.freeze({ message: copyOf(message), attempt, reason, leaseDeadlineMs });
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
    .sort((a, b) => byName(a.name, b.name))
    .slice(0, Math.max(0, page.limit));
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<ms>-<seq>` or `<ms>` (sequence 0), as Redis reads ids; undefined for anything else. */
function parseId(id: string): IdKey | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(id);
  return match === null ? undefined : [Number(match[1]), Number(match[2] ?? 0)];
}

/** The key of an id the store made itself. */
function idKey(id: string): IdKey {
  return parseId(id)!;
}

/** Orders ids numerically, as Redis does. */
function compareKeys(a: IdKey, b: IdKey): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** The smallest id after this one. */
function successorOf(id: string): IdKey {
  const [ms, seq] = idKey(id);
  return [ms, seq + 1];
}

/** Just after the last id the topic handed out: where 'latest' and a seek past everything start. */
function endOf(topic: TopicState): IdKey {
  return [topic.lastMs, topic.lastSeq + 1];
}

/** The index of the first message whose id is at or after the key (the log's length when none). */
function firstIndexAtOrAfter(log: readonly StoredMessage[], key: IdKey): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(idKey(log[middle]!.id), key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
