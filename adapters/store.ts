// The one interface every store implements, in the words of the domain. Handlers know only this file;
// the composition root picks an adapter (adapters/memory or adapters/redis). A behaviour one adapter
// has and another lacks is a bug: test/contract runs one suite against all of them.

/** A topic's stored settings. */
export interface TopicConfig {
  readonly name: string;
  /** How long an idempotency key is remembered. */
  readonly dedupWindowMs: number;
  /** trim() removes messages published longer ago than this (once every subscription settled them). */
  readonly retentionMs: number;
  /** trim() keeps at most this many newest messages (again only settled ones go); 0 = no count limit. */
  readonly retentionMessages: number;
  /** publish() refuses a batch after which a subscription would hold more unsettled messages than this; 0 = no limit. */
  readonly maxBacklogMessages: number;
  /** publish() refuses while a subscription's oldest unsettled message is older than this; 0 = no limit. */
  readonly maxBacklogAgeMs: number;
  readonly createTimeMs: number;
}

export type StartPosition = 'earliest' | 'latest';

/** A subscription's stored settings. Subscription names are unique across topics. */
export interface SubscriptionConfig {
  readonly name: string;
  readonly topic: string;
  /** The lease of every delivery. */
  readonly ackDeadlineMs: number;
  readonly startPosition: StartPosition;
  /** A nack without a delay redelivers after min(maxBackoffMs, minBackoffMs * 2^(attempt-1)). */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /**
   * After this many attempts a message that falls due again is not delivered: it is dead-lettered
   * (moved to deadLetterTopic, or dropped and counted without one). 0 = never.
   */
  readonly maxDeliveryAttempts: number;
  /** '' = none. Must name another existing topic (not-found otherwise). */
  readonly deadLetterTopic: string;
  /** At most one unsettled delivery per ordering key, in publish order (see receive). */
  readonly ordering: boolean;
  readonly createTimeMs: number;
}

/** A message as handed to publish; validated by the caller. */
export interface OutgoingMessage {
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  /** '' when none. */
  readonly orderingKey: string;
  /** '' when none. */
  readonly idempotencyKey: string;
  /** The publisher's W3C trace context; '' when none. */
  readonly traceparent: string;
  readonly tracestate: string;
}

export interface PublishOutcome {
  /** `<ms>-<seq>`, as Redis stream ids; stable across redeliveries. */
  readonly messageId: string;
  /** The idempotency key was seen within the window: nothing stored, messageId is the original's. */
  readonly duplicate: boolean;
}

/** Where a dead letter came from; present only on messages of a dead-letter topic. */
export interface DeadLetterInfo {
  readonly sourceTopic: string;
  readonly subscription: string;
  /** 'max-delivery-attempts', or the reason given to reject ('rejected' when none). */
  readonly reason: string;
  /** Delivery attempts the message had in the subscription. */
  readonly attempts: number;
}

export interface StoredMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string;
  readonly publishTimeMs: number;
  readonly traceparent: string;
  readonly tracestate: string;
  /** For a dead letter or a redriven message: its id in the topic it came from; '' otherwise. */
  readonly originalId: string;
  readonly deadLetter?: DeadLetterInfo;
}

/**
 * Why a delivery happens: first (never delivered in this subscription), nack (its nack delay ended),
 * lease-expired (its lease ended unsettled), consumer-lost (its stream closed or gateway drained:
 * release()), seek (seek made it undelivered), redrive (first delivery of a
 * message that redrive brought back).
 */
export type DeliveryReason = 'first' | 'nack' | 'lease-expired' | 'consumer-lost' | 'seek' | 'redrive';

/** One attempt to hand a message to one consumer. */
export interface Delivery {
  readonly message: StoredMessage;
  /** 1 on the first delivery; every redelivery adds 1. */
  readonly attempt: number;
  readonly reason: DeliveryReason;
  /** Unless settled or extended by then, the message is due for redelivery at this instant. */
  readonly leaseDeadlineMs: number;
}

/** Names one delivery attempt of one message in one subscription. */
export interface Receipt {
  readonly messageId: string;
  readonly attempt: number;
}

/**
 * ok: applied, or already settled (settling twice changes nothing).
 * invalid-receipt: the message is in flight under a later attempt; nothing changed.
 */
export type Settlement = 'ok' | 'invalid-receipt';

export interface ReceiveRequest {
  /** Who holds the deliveries (one per gateway and subscription). */
  readonly consumer: string;
  /** At most this many deliveries; at least 1. */
  readonly maxMessages: number;
  /** The payload bytes of all deliveries together stay within this ... */
  readonly maxBytes: number;
  /** ... except that, when true, the first delivery may exceed it alone (nothing else is outstanding). */
  readonly allowOneOversized: boolean;
}

export interface ReceiveResult {
  /** Messages due for redelivery first (earliest due first), then new ones in publish order. */
  readonly deliveries: Delivery[];
  /** The earliest instant at which a delivery of this subscription falls due, or null when none is in flight. */
  readonly nextDueMs: number | null;
}

/** A message staged by prepare for one topic. */
export interface StagedMessage extends OutgoingMessage {
  readonly topic: string;
}

/** A delivery a transaction acknowledges at commit. */
export interface StagedAck {
  readonly subscription: string;
  readonly receipt: Receipt;
}

export interface PreparedTransaction {
  readonly id: string;
  /** Unless committed by then, the transaction is aborted (by expireTransactions, or by commit). */
  readonly expiresMs: number;
}

export type SeekTarget = { readonly timeMs: number } | { readonly messageId: string };

export interface SubscriptionStats {
  /** Messages never delivered yet (including those parked behind their ordering key). */
  readonly backlog: number;
  /** Messages delivered and not settled (leased, or waiting out a nack delay or backoff). */
  readonly inFlight: number;
  /** Publish time of the oldest message the subscription has not settled; null when none. */
  readonly oldestUnsettledMs: number | null;
  /** Messages dead-lettered (moved, or dropped without a dead-letter topic) so far. */
  readonly deadLettered: number;
}

export type MessageStateName = 'pending' | 'in-flight' | 'acked' | 'dead-lettered';

export interface MessageState {
  readonly subscription: string;
  readonly state: MessageStateName;
  /** Delivery attempts so far (0 when never delivered; unknown after ack, then 0). */
  readonly attempts: number;
  /** The consumer holding it while in flight; '' otherwise. */
  readonly consumer: string;
  /** The last nack or reject reason, or why it was dead-lettered; '' when none. */
  readonly lastError: string;
}

export interface Page {
  /** Only names after this one (exclusive); '' from the start. */
  readonly after: string;
  readonly limit: number;
}

export interface MessageStore {
  /** 'memory' or 'redis', for logs. */
  readonly kind: string;

  /** Throws already-exists. */
  createTopic(topic: Omit<TopicConfig, 'createTimeMs'>): Promise<TopicConfig>;
  /** Throws not-found. */
  getTopic(name: string): Promise<TopicConfig>;
  /** In name order. */
  listTopics(page: Page): Promise<TopicConfig[]>;
  /** Deletes the topic, its messages and its idempotency keys. Throws not-found, failed-precondition while it has subscriptions. */
  deleteTopic(name: string): Promise<void>;

  /** Throws not-found (topic), already-exists (name taken on any topic). */
  createSubscription(subscription: Omit<SubscriptionConfig, 'createTimeMs'>): Promise<SubscriptionConfig>;
  /** Throws not-found. */
  getSubscription(name: string): Promise<SubscriptionConfig>;
  /** In name order; of one topic when given (throws not-found for an unknown one), else of all. */
  listSubscriptions(topic: string | undefined, page: Page): Promise<SubscriptionConfig[]>;
  /** Deletes the subscription and its in-flight state. Throws not-found. */
  deleteSubscription(name: string): Promise<void>;

  /**
   * Stores a batch atomically: every message or none. A repeated idempotency key within the topic's
   * dedup window (also within the batch) answers the original id with duplicate=true and stores
   * nothing; the same key with other content (data, attributes, ordering key) throws already-exists
   * and stores nothing of the batch. Throws not-found for an unknown topic.
   *
   * Throws resource-exhausted, storing nothing, when the topic's max backlog is reached: a subscription
   * of the topic would hold more than maxBacklogMessages unsettled messages (not yet delivered, parked
   * or in flight) with the batch's messages counted as new, or the oldest message a subscription has
   * not settled was published more than maxBacklogAgeMs ago. A topic without subscriptions has no backlog.
   */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]>;

  /**
   * Leases messages of a subscription to a consumer for the subscription's ack deadline. Due
   * redeliveries (lease expired or nack delay over) come first and count one more attempt.
   * Never blocks: an empty result means nothing is due now. Throws not-found for an unknown subscription.
   *
   * A lease that ends unsettled makes the message due at lease end + the backoff of its attempt
   * (see SubscriptionConfig.minBackoffMs); a due message whose attempts reached maxDeliveryAttempts
   * is dead-lettered here instead of delivered (atomically with its settlement).
   *
   * With ordering on, a new message whose ordering key has an unsettled message is parked (not
   * delivered, no attempt counted, not counted against maxMessages); when that message is settled by
   * ack, reject or dead-lettering, the key's next parked message (publish order) falls due at once
   * and is delivered as attempt 1, reason 'first'. Nack, lease expiry and release keep the key held
   * by the same message. Messages without a key are never held back.
   */
  receive(subscription: string, request: ReceiveRequest): Promise<ReceiveResult>;

  /** Settles; one result per receipt, in order. Throws not-found for an unknown subscription. */
  ack(subscription: string, receipts: readonly Receipt[]): Promise<Settlement[]>;
  /**
   * Makes each message due for redelivery after delayMs, or after the subscription's backoff for
   * its attempt when delayMs is undefined (reason 'nack'); reason is kept as the message's last error.
   */
  nack(subscription: string, receipts: readonly Receipt[], delayMs: number | undefined, reason: string): Promise<Settlement[]>;
  /** Makes each message due at once (reason 'consumer-lost') and notifies watchers: a closed stream's deliveries. */
  release(subscription: string, receipts: readonly Receipt[]): Promise<Settlement[]>;
  /**
   * For each receipt: true while it names the current delivery of an unsettled message. Lets a
   * gateway learn that deliveries it handed out were settled through another gateway.
   */
  inFlight(subscription: string, receipts: readonly Receipt[]): Promise<boolean[]>;
  /** Moves each lease end to now + leaseMs (the backoff still follows it). */
  extendLease(subscription: string, receipts: readonly Receipt[], leaseMs: number): Promise<Settlement[]>;
  /** Dead-letters each message at once with the reason ('rejected' when ''). */
  reject(subscription: string, receipts: readonly Receipt[], reason: string): Promise<Settlement[]>;

  /**
   * Moves the subscription's cursor: messages before the target become settled, the target and
   * every later message undelivered (delivered again as attempt 1; reason 'seek' for those that
   * had been delivered before). In-flight deliveries and parked messages are forgotten.
   * A time targets the first message published at or after it. Throws not-found.
   */
  seek(subscription: string, target: SeekTarget): Promise<void>;
  /** Throws not-found. */
  stats(subscription: string): Promise<SubscriptionStats>;
  /** The message and its state in every subscription of its topic (name order). Throws not-found (topic or message). */
  inspect(topic: string, messageId: string): Promise<{ message: StoredMessage; states: MessageState[] }>;
  /**
   * Moves dead letters (all, or those with the given ids) of a dead-letter topic back to their source
   * topics as new messages (originalId = the id in the source topic, delivered with reason 'redrive'),
   * and deletes them from the dead-letter topic. Unknown ids are skipped. Answers how many moved.
   * At least once: a crash midway may leave a message in both. Throws not-found for the topic.
   */
  redrive(deadLetterTopic: string, messageIds: readonly string[] | undefined): Promise<number>;
  /**
   * Applies retention: removes messages older than retentionMs or beyond the newest retentionMessages,
   * but never one that any subscription has not settled. Answers how many were removed. Throws not-found.
   */
  trim(topic: string): Promise<number>;

  /**
   * Stages messages (for any topics) and acknowledgements, invisible to every subscriber, under the
   * caller's transaction id. The leases of the staged receipts that are current are kept alive until
   * the transaction expires (now + timeoutMs). When a transaction with this id exists already, in any
   * state, it is answered unchanged (Prepare is idempotent; the first content wins).
   * Throws not-found for an unknown topic or subscription.
   */
  prepare(id: string, messages: readonly StagedMessage[], acks: readonly StagedAck[], timeoutMs: number): Promise<PreparedTransaction>;
  /**
   * Makes every staged message visible (idempotency keys apply as in publish: a repeat inside the
   * window answers the original id) and acknowledges every staged receipt, all in one atomic step,
   * or nothing. Answers the message ids in staged order; a repeat answers the same ids.
   * Throws aborted (with the reason) when the transaction was aborted or expired, or when at commit a
   * receipt is no longer current, a topic or subscription is gone, or an idempotency key names other
   * content — then the transaction is aborted and nothing applied. Throws not-found for an unknown id.
   */
  commit(id: string): Promise<string[]>;
  /**
   * Discards a prepared transaction: its messages are dropped and its receipts that are still current
   * fall due after their backoff, as after a nack. Idempotent. Throws not-found for an unknown id,
   * failed-precondition for a committed one.
   */
  abort(id: string): Promise<void>;
  /**
   * Aborts every prepared transaction past its expiry; answers how many. Every gateway runs it.
   * A committed or aborted transaction is remembered for the store's finishedTransactionTtlMs
   * (repeats of Commit and Abort answer as before), then forgotten entirely (not-found).
   */
  expireTransactions(): Promise<number>;

  /**
   * Calls listener whenever messages of the topic may have become receivable (publish, release,
   * a parked message falling due, seek, redrive), from this or any other gateway sharing the store. Returns the unwatch function.
   */
  watch(topic: string, listener: () => void): () => void;

  /** Idempotent. */
  close(): Promise<void>;
}

export type StoreErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'failed-precondition'
  | 'invalid-argument'
  | 'aborted'
  | 'unavailable'
  /** A limit of the store is reached, e.g. a topic's max backlog: publish refused until it drains. */
  | 'resource-exhausted'
  /** Not possible in this deployment, e.g. transactions on a Redis Cluster. */
  | 'unimplemented';

/** The one error a store throws on purpose; gateway/status.ts maps each code to a gRPC status. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
