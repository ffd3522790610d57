// Every span name, attribute key and metric name Relay emits, in one place. Names follow the
// OpenTelemetry messaging semantic conventions (v1.45: span name `{operation name} {destination}`,
// operation types send/receive/process/settle, `publish` having become `send`); what the conventions
// leave to each system lives under `messaging.relay.*`, as they ask.

/** The one custom `messaging.system` value. */
export const messagingSystem = 'relay';

export const attr = {
  messagingSystem: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  consumerGroup: 'messaging.consumer.group.name',
  messageId: 'messaging.message.id',
  bodySize: 'messaging.message.body.size',
  batchCount: 'messaging.batch.message_count',
  /** 1 on the first delivery of a message in a subscription. */
  deliveryAttempt: 'messaging.relay.delivery.attempt',
  /** first, nack, lease_expired, consumer_lost, seek, redrive. */
  deliveryReason: 'messaging.relay.delivery.reason',
  /** How a delivery ended: see SettlementOutcome. */
  settlementOutcome: 'messaging.relay.settlement.outcome',
  /** The idempotency key had been seen: nothing was stored, the id is the original's. */
  duplicate: 'messaging.relay.message.duplicate',
  orderingKey: 'messaging.relay.message.ordering_key',
  deadLetterTopic: 'messaging.relay.dead_letter.topic',
  deadLetterReason: 'messaging.relay.dead_letter.reason',
  transactionId: 'messaging.relay.transaction.id',
  /** Receipts a transaction acks on commit. */
  transactionAckCount: 'messaging.relay.transaction.ack_count',
  errorType: 'error.type',
} as const;

/** Attribute keys whose values repeat from span to span (a few per topic and subscription): the OTLP encoding keeps their encoded values. */
export const repeatedValueKeys: ReadonlySet<string> = new Set([
  attr.messagingSystem,
  attr.operationType,
  attr.operationName,
  attr.destination,
  attr.consumerGroup,
  attr.deliveryReason,
  attr.settlementOutcome,
  attr.deadLetterTopic,
  attr.deadLetterReason,
]);

/** messaging.operation.type values. */
export const operationType = {
  create: 'create',
  send: 'send',
  receive: 'receive',
  process: 'process',
  settle: 'settle',
} as const;

/** messaging.operation.name values, which also start the span names. */
export const operationName = {
  /** A Publish call's write of its batch; the creation context of its message when it has one. */
  publish: 'publish',
  /** One message of a batch of several: its creation context, a child of the batch's `publish`. */
  create: 'create',
  /** One delivery attempt of one message to one Subscribe stream, ended at its settlement. */
  deliver: 'deliver',
  /** A subscriber's handling of one delivery (emitted by subscribers, not by the gateway). */
  process: 'process',
  /** The message leaves its subscription for the dead-letter topic (or is dropped without one). */
  deadLetter: 'dead_letter',
  /** A transaction staged: the creation context of the messages it will publish. */
  prepare: 'prepare',
  /** A transaction's messages published and its receipts acked, all at once. */
  commit: 'commit',
  /** A transaction dropped: its receipts come back as after a nack. */
  abort: 'abort',
} as const;

/** `{operation name} {destination}`. */
export function spanName(operation: string, destination: string): string {
  return `${operation} ${destination}`;
}

/**
 * How a delivery span ends: ack, nack, reject (by the subscriber); expired (its lease passed before
 * this gateway saw a settlement: settled elsewhere, superseded, or forgotten); stream_closed (the
 * stream ended or the gateway drained and the delivery was released).
 */
export type SettlementOutcome = 'ack' | 'nack' | 'reject' | 'expired' | 'stream_closed';

export const metric = {
  published: 'relay.messages.published',
  delivered: 'relay.messages.delivered',
  acked: 'relay.messages.acked',
  nacked: 'relay.messages.nacked',
  rejected: 'relay.messages.rejected',
  inFlight: 'relay.deliveries.in_flight',
  publishDuration: 'relay.publish.duration',
  publishToAck: 'relay.message.publish_to_ack.duration',
  backlog: 'relay.subscription.backlog',
  subscriptionInFlight: 'relay.subscription.in_flight',
  oldestUnackedAge: 'relay.subscription.oldest_unacked_age',
  deadLettered: 'relay.subscription.dead_lettered',
} as const;

/** Histogram buckets in seconds, 1 ms to 10 min: publish latency and publish-to-ack latency. */
export const latencyBucketsSeconds = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];
