// The Relay client for TypeScript: connect(), then publishers, subscriptions and transactions.
export { connect, Relay, type RelayOptions, type AdminCalls } from './relay.ts';
export { Publisher, type OutgoingMessage, type PublisherOptions } from './publisher.ts';
export { duration, Subscription, type SubscriptionOptions, type ProcessOptions } from './subscription.ts';
export { Message, type Settlement } from './message.ts';
export { Transaction, type TransactionOptions } from './transaction.ts';
export { isRetryable, type RetryOptions } from './retry.ts';
export { uuidv7 } from './uuid.ts';
