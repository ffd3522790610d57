// The entry point: one channel to a gateway, the admin calls as promises, and factories for
// publishers, subscriptions and transactions.
import {
  credentials as grpcCredentials,
  InterceptingCall,
  Metadata,
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type Interceptor,
  type requestCallback,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import { loadRelayProto } from '../../proto/load.ts';
import type { AdminServiceClient } from '../../generated/ts/relay/v1/AdminService.ts';
import type { PublisherServiceClient } from '../../generated/ts/relay/v1/PublisherService.ts';
import type { SubscriberServiceClient } from '../../generated/ts/relay/v1/SubscriberService.ts';
import type { TransactionServiceClient } from '../../generated/ts/relay/v1/TransactionService.ts';
import { Publisher, type PublisherOptions } from './publisher.ts';
import type { RetryOptions } from './retry.ts';
import { Subscription, type SubscriptionOptions } from './subscription.ts';
import { runTransaction, type Transaction, type TransactionOptions } from './transaction.ts';
import { injectTraceContext } from './tracing.ts';

export interface RelayOptions {
  /** host:port of a gateway. Default localhost:50051. */
  readonly address?: string;
  /** Channel credentials (grpc.credentials.createSsl(...) for TLS). Default plaintext. */
  readonly credentials?: ChannelCredentials;
  /** A bearer token sent as `authorization` metadata on every call. */
  readonly token?: string;
  /** Deadline of each unary call, and of each publish batch's answer. Default 30000. */
  readonly callTimeoutMs?: number;
  /** How retryable calls (publish, transactions) are retried. */
  readonly retry?: RetryOptions;
}

/** Each method of a generated client, as a promise-returning function of its request. */
export type Unary<C> = {
  [K in Exclude<keyof C, keyof Client> as K extends Uncapitalize<K & string> ? K : never]: C[K] extends (
    argument: infer Request,
    callback: requestCallback<infer Response>,
  ) => unknown
    ? (request: Request) => Promise<Response>
    : never;
};

export type AdminCalls = Unary<AdminServiceClient>;
export type PublisherCalls = Unary<PublisherServiceClient>;
export type SubscriberCalls = Unary<SubscriberServiceClient>;
export type TransactionCalls = Unary<TransactionServiceClient>;

/** A connection to Relay. Close it when done; its publishers and subscriptions close with it. */
export class Relay {
  /** Topics, subscriptions, seek, stats, inspect, redrive. */
  readonly admin: AdminCalls;
  readonly publisherCalls: PublisherCalls;
  readonly subscriberCalls: SubscriberCalls;
  readonly transactionCalls: TransactionCalls;
  /** The raw Subscribe stream's client, for Subscription. */
  readonly subscriberClient: SubscriberServiceClient;
  /** The raw PublishStream's client, for Publisher. */
  readonly publisherClient: PublisherServiceClient;
  /** Deadline of each unary call, and longest a PublishStream request waits for its answer. */
  readonly callTimeoutMs: number;
  readonly retry: RetryOptions;
  /** The client whose channel the others share: closing it closes the connection. */
  private readonly channelOwner: Client;
  private readonly closables = new Set<{ close(): Promise<void> }>();

  constructor(readonly options: RelayOptions = {}) {
    const { relay } = loadRelayProto();
    const address = options.address ?? 'localhost:50051';
    const channelCredentials = options.credentials ?? grpcCredentials.createInsecure();
    const interceptors: Interceptor[] = options.token ? [bearer(options.token)] : [];
    const make = <T>(service: ServiceClientConstructor, shared?: Client): T =>
      new service(address, channelCredentials, {
        'grpc.max_receive_message_length': -1,
        'grpc.max_send_message_length': -1,
        interceptors,
        ...(shared ? { channelOverride: shared.getChannel() } : {}),
      }) as T;
    const publisher = (this.publisherClient = make<PublisherServiceClient>(relay.PublisherService!));
    this.subscriberClient = make<SubscriberServiceClient>(relay.SubscriberService!, publisher);
    const admin = make<AdminServiceClient>(relay.AdminService!, publisher);
    const transactions = make<TransactionServiceClient>(relay.TransactionService!, publisher);
    const timeoutMs = (this.callTimeoutMs = options.callTimeoutMs ?? 30_000);
    this.admin = promised<AdminServiceClient>(admin, relay.AdminService!, timeoutMs);
    this.publisherCalls = promised<PublisherServiceClient>(publisher, relay.PublisherService!, timeoutMs);
    this.subscriberCalls = promised<SubscriberServiceClient>(this.subscriberClient, relay.SubscriberService!, timeoutMs);
    this.transactionCalls = promised<TransactionServiceClient>(transactions, relay.TransactionService!, timeoutMs);
    this.retry = options.retry ?? {};
    this.channelOwner = publisher;
  }

  /** A batching publisher to one topic. */
  publisher(topic: string, options: PublisherOptions = {}): Publisher {
    return this.track(new Publisher(this, topic, options));
  }

  /** The messages of a subscription, as an async iterable (or through process()). */
  subscribe(subscription: string, options: SubscriptionOptions = {}): Subscription {
    return this.track(new Subscription(this, subscription, options));
  }

  /**
   * Runs fn, which stages publishes and acks on tx, then prepares and commits them as one: all of
   * them happen or none. Resolves with the committed message ids; when fn throws nothing happens.
   */
  transaction(fn: (tx: Transaction) => Promise<void> | void, options: TransactionOptions = {}): Promise<string[]> {
    return runTransaction(this, fn, options);
  }

  /** Flushes publishers, closes subscriptions (their deliveries go back), then the channel. */
  async close(): Promise<void> {
    await Promise.all([...this.closables].map((closable) => closable.close()));
    this.channelOwner.close();
  }

  private track<T extends { close(): Promise<void> }>(closable: T): T {
    this.closables.add(closable);
    const close = closable.close.bind(closable);
    closable.close = () => {
      this.closables.delete(closable);
      return close();
    };
    return closable;
  }
}

/** Connects to a gateway (lazily: the first call opens the channel). */
export function connect(options: RelayOptions = {}): Relay {
  return new Relay(options);
}

/** Adds `authorization: Bearer <token>` to every call, plaintext or TLS alike. */
function bearer(token: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}

function promised<C>(client: Client, service: ServiceClientConstructor, timeoutMs: number): Unary<C> {
  const calls: Record<string, (request: object) => Promise<unknown>> = {};
  for (const [name, method] of Object.entries(service.service)) {
    if (method.requestStream || method.responseStream) continue;
    const lowerCamel = method.originalName ?? name[0]!.toLowerCase() + name.slice(1);
    calls[lowerCamel] = (request) =>
      new Promise((resolve, reject) => {
        const metadata = new Metadata();
        injectTraceContext(context.active(), metadata);
        const options: CallOptions = { deadline: Date.now() + timeoutMs };
        (client as unknown as Record<string, Function>)[name]!.call(client, request, metadata, options, (error: Error | null, response: unknown) =>
          error ? reject(error) : resolve(response),
        );
      });
  }
  return calls as Unary<C>;
}
