// The one interface every store implements, in the words of the domain. Handlers know only this file;
// the composition root picks an adapter (adapters/memory or adapters/redis). A behaviour one adapter
// has and another lacks is a bug: test/contract runs one suite against all of them.

/** A topic's stored settings. */
export interface TopicConfig {
  readonly name: string;
  /** How long an idempotency key is remembered. */
  readonly dedupWindowMs: number;
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
  /** 0 = never dead-letter. Kept now, acted on once dead letters exist. */
  readonly maxDeliveryAttempts: number;
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

export interface StoredMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string;
  readonly publishTimeMs: number;
  readonly traceparent: string;
  readonly tracestate: string;
}

/** One attempt to hand a message to one consumer. */
export interface Delivery {
  readonly message: StoredMessage;
  /** 1 on the first delivery; every redelivery adds 1. */
  readonly attempt: number;
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
   */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]>;

  /**
   * Leases messages of a subscription to a consumer for the subscription's ack deadline. Due
   * redeliveries (lease expired or nack delay over) come first and count one more attempt.
   * Never blocks: an empty result means nothing is due now. Throws not-found for an unknown subscription.
   */
  receive(subscription: string, request: ReceiveRequest): Promise<ReceiveResult>;

  /** Settles; one result per receipt, in order. Throws not-found for an unknown subscription. */
  ack(subscription: string, receipts: readonly Receipt[]): Promise<Settlement[]>;
  /**
   * Makes each message due for redelivery after delayMs, or after the subscription's backoff for
   * its attempt when delayMs is undefined. A delay of 0 makes it due at once (closing a stream
   * releases its deliveries this way) and notifies watchers.
   */
  nack(subscription: string, receipts: readonly Receipt[], delayMs: number | undefined): Promise<Settlement[]>;
  /** Moves each lease deadline to now + leaseMs. */
  extendLease(subscription: string, receipts: readonly Receipt[], leaseMs: number): Promise<Settlement[]>;

  /**
   * Calls listener whenever messages of the topic may have become receivable (publish, a nack
   * with delay 0), from this or any other gateway sharing the store. Returns the unwatch function.
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
  | 'unavailable';

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
