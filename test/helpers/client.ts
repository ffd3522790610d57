import { credentials, Metadata, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { loadRelayProto } from '../../proto/load.ts';
import type { AdminServiceClient } from '../../generated/ts/relay/v1/AdminService.ts';
import type { Delivery__Output } from '../../generated/ts/relay/v1/Delivery.ts';
import type { PublisherServiceClient } from '../../generated/ts/relay/v1/PublisherService.ts';
import type { PublishStreamRequest } from '../../generated/ts/relay/v1/PublishStreamRequest.ts';
import type { PublishStreamResponse__Output } from '../../generated/ts/relay/v1/PublishStreamResponse.ts';
import type { SubscribeRequest } from '../../generated/ts/relay/v1/SubscribeRequest.ts';
import type { SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import type { SubscriberServiceClient } from '../../generated/ts/relay/v1/SubscriberService.ts';
import type { TransactionServiceClient } from '../../generated/ts/relay/v1/TransactionService.ts';

/** Raw generated clients of every service, on one channel, with promise-returning unary calls. */
export function connect(address: string) {
  const { relay } = loadRelayProto();
  const options = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
  const publisher = new relay.PublisherService!(address, credentials.createInsecure(), options) as unknown as PublisherServiceClient;
  const channelOverride = publisher.getChannel();
  const shared = { ...options, channelOverride };
  const subscriber = new relay.SubscriberService!(address, credentials.createInsecure(), shared) as unknown as SubscriberServiceClient;
  const admin = new relay.AdminService!(address, credentials.createInsecure(), shared) as unknown as AdminServiceClient;
  const transactions = new relay.TransactionService!(address, credentials.createInsecure(), shared) as unknown as TransactionServiceClient;
  return {
    publisher,
    subscriber,
    admin,
    transactions,
    /** Calls a unary method and resolves with its response (rejects with the ServiceError). */
    call<R>(client: object, method: string, request: object, metadata = new Metadata()): Promise<R> {
      return new Promise((resolve, reject) => {
        (client as Record<string, Function>)[method]!.call(client, request, metadata, (error: ServiceError | null, response: R) =>
          error ? reject(error) : resolve(response),
        );
      });
    },
    close() {
      publisher.close();
    },
  };
}

export type Client = ReturnType<typeof connect>;

export function uniqueName(prefix = 't'): string {
  return `${prefix}-${randomUUID()}`;
}

/** A Subscribe stream that collects deliveries, for tests to await on. */
export class TestSubscriber {
  readonly deliveries: Delivery__Output[] = [];
  readonly invalidReceipts: string[] = [];
  error: ServiceError | undefined;
  ended = false;
  private readonly call: ClientDuplexStream<SubscribeRequest, SubscribeResponse__Output>;
  private waiters: (() => void)[] = [];

  /** Called with each response's deliveries as they arrive. */
  onDeliveries: ((deliveries: Delivery__Output[]) => void) | undefined;

  constructor(
    client: Client,
    subscription: string,
    flowControl?: { maxOutstandingMessages?: number; maxOutstandingBytes?: number },
    firstRequest: Partial<SubscribeRequest> = {},
  ) {
    this.call = client.subscriber.Subscribe();
    this.call.on('data', (response: SubscribeResponse__Output) => {
      this.deliveries.push(...response.deliveries);
      if (response.deliveries.length) this.onDeliveries?.(response.deliveries);
      this.invalidReceipts.push(...response.invalidReceipts);
      this.notify();
    });
    this.call.on('error', (error: ServiceError) => {
      this.error = error;
      this.notify();
    });
    this.call.on('end', () => {
      this.ended = true;
      this.notify();
    });
    this.call.write({ ...firstRequest, subscription, flowControl });
  }

  send(request: SubscribeRequest): void {
    this.call.write(request);
  }

  ack(receipts: string[]): void {
    this.call.write({ ackReceipts: receipts });
  }

  /** Resolves once `predicate` holds, or rejects after timeoutMs. */
  async until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${this.deliveries.length} deliveries, error ${this.error?.message})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves with the first n deliveries once they arrived. */
  async take(n: number, timeoutMs = 5000): Promise<Delivery__Output[]> {
    await this.until(() => this.deliveries.length >= n, timeoutMs, `${n} deliveries`);
    return this.deliveries.slice(0, n);
  }

  cancelled = false;

  /** Cancels the stream (as a client that goes away). */
  cancel(): void {
    this.cancelled = true;
    this.call.cancel();
  }

  /** Half-closes the stream and waits for the server to end it. */
  async close(): Promise<void> {
    this.call.end();
    await this.until(() => this.ended || this.error !== undefined, 5000, 'stream end');
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** A PublishStream: each send resolves with its own response (they come in request order). */
export class TestPublishStream {
  /** The stream's end: its status code (0 when it ended OK). */
  readonly ended: Promise<number>;
  readonly call: ClientDuplexStream<PublishStreamRequest, PublishStreamResponse__Output>;
  private readonly waiting: ((response: PublishStreamResponse__Output) => void)[] = [];

  constructor(client: { publisher: PublisherServiceClient }, metadata = new Metadata()) {
    this.call = client.publisher.PublishStream(metadata);
    this.call.on('data', (response: PublishStreamResponse__Output) => this.waiting.shift()!(response));
    this.ended = new Promise((resolve) => {
      this.call.on('error', (error: ServiceError) => resolve(error.code));
      this.call.on('status', (status: { code: number }) => status.code === 0 && resolve(0));
    });
  }

  send(request: PublishStreamRequest): Promise<PublishStreamResponse__Output> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.call.write(request);
    });
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a topic and one subscription per settings object (start position earliest unless set). */
export async function topicWithSubscriptions(client: Client, subscriptions: Record<string, unknown>[] = [{}], topicSettings: Record<string, unknown> = {}) {
  const topic = uniqueName('topic');
  await client.call(client.admin, 'CreateTopic', { topic: { name: topic, ...topicSettings } });
  const names: string[] = [];
  for (const settings of subscriptions) {
    const subscription = uniqueName('sub');
    await client.call(client.admin, 'CreateSubscription', {
      subscription: { name: subscription, topic, startPosition: 'START_POSITION_EARLIEST', ...settings },
    });
    names.push(subscription);
  }
  return { topic, subscriptions: names };
}

export function publish(client: Client, topic: string, messages: object[], metadata?: Metadata) {
  return client.call<{ results: { messageId: string; duplicate: boolean }[] }>(client.publisher, 'Publish', { topic, messages }, metadata);
}

/** The gRPC status a call ends with (OK when it succeeds). */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    return (error as ServiceError).code;
  }
  return 0;
}
