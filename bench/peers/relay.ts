// Relay as the benchmark sees it: a gateway process of its own (what `npm start` runs)
// on a private redis-server with AOF, spoken to over gRPC like any application would.
import { credentials, type ChannelOptions, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { PublishStreamSender } from '../../clients/typescript/publish-stream.ts';
import { loadRelayProto } from '../../proto/load.ts';
import type { AdminServiceClient } from '../../generated/ts/relay/v1/AdminService.ts';
import type { PublisherServiceClient } from '../../generated/ts/relay/v1/PublisherService.ts';
import type { SubscribeRequest } from '../../generated/ts/relay/v1/SubscribeRequest.ts';
import type { SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import type { SubscriberServiceClient } from '../../generated/ts/relay/v1/SubscriberService.ts';
import type { ProcessRef } from '../machine.ts';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.ts';
import { startPrivateRedis, type Fsync, type RedisServer } from './private-redis.ts';
import { Batcher, uniqueSuffix, type BenchTopic, type Consumer, type ConsumerHandler, type PublishItem, type Target, type TargetSpec } from './target.ts';

/** Most receipts per settlement (the gateway's default batch limit). */
const maxReceiptsPerAck = 1000;
/** Longest a publish batch waits for its answer: a run that takes this long is broken, not slow. */
const publishTimeoutMs = 120_000;
/** Consumer streams share this many HTTP/2 connections (round robin); each consumer process of a real deployment would have its own. */
const consumerConnections = 8;

export interface RelayOptions {
  readonly fsync: Fsync;
  /** Node flags of the gateway process, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
}

export function relaySpec(fsync: Fsync): TargetSpec {
  return {
    name: `Relay (${fsync})`,
    description:
      `Relay gateway process (gRPC: publish batches with idempotency keys over a PublishStream, acks on the Subscribe stream) on a private ` +
      `redis-server 7 with appendonly yes, appendfsync ${fsync}`,
    start: () => RelayTarget.start({ fsync }),
  };
}

type Rpc = (request: object, callback: (error: ServiceError | null, response: unknown) => void) => unknown;

function call<R>(client: object, method: string, request: object): Promise<R> {
  return new Promise((resolve, reject) => {
    const rpc = (client as Record<string, Rpc>)[method]!;
    rpc.call(client, request, (error, response) => (error ? reject(error) : resolve(response as R)));
  });
}

export class RelayTarget implements Target {
  readonly name: string;
  readonly processes: ProcessRef[];
  private readonly publisher: PublisherServiceClient;
  private readonly admin: AdminServiceClient;
  private readonly subscribers: SubscriberServiceClient[] = [];
  private nextSubscriber = 0;

  private constructor(
    fsync: Fsync,
    readonly redis: RedisServer,
    readonly gateway: GatewayProcess,
  ) {
    this.name = `Relay (${fsync})`;
    this.processes = [
      { role: 'gateway', pid: gateway.pid },
      { role: 'redis-server', pid: redis.pid },
    ];
    const { relay } = loadRelayProto();
    const address = gateway.address;
    // Bigger HTTP/2 windows on the client side; a private connection per client (no shared subchannel).
    const options: ChannelOptions = {
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      'grpc-node.flow_control_window': 16 * 1024 * 1024,
      'grpc.use_local_subchannel_pool': 1,
    };
    this.publisher = new relay.PublisherService!(address, credentials.createInsecure(), options) as unknown as PublisherServiceClient;
    const shared = { ...options, channelOverride: this.publisher.getChannel() };
    this.admin = new relay.AdminService!(address, credentials.createInsecure(), shared) as unknown as AdminServiceClient;
    for (let i = 0; i < consumerConnections; i++) {
      this.subscribers.push(new relay.SubscriberService!(address, credentials.createInsecure(), options) as unknown as SubscriberServiceClient);
    }
  }

  static async start(options: RelayOptions): Promise<RelayTarget> {
    const redis = await startPrivateRedis(options.fsync);
    try {
      const gateway = await startGatewayProcess({ REDIS_URL: redis.url }, options.nodeArgs);
      return new RelayTarget(options.fsync, redis, gateway);
    } catch (error) {
      await redis.stop();
      throw error;
    }
  }

  async createTopic(subscriptions: number): Promise<BenchTopic> {
    const name = `bench-${uniqueSuffix()}`;
    await call(this.admin, 'CreateTopic', { topic: { name } });
    const names = Array.from({ length: subscriptions }, (_, i) => `${name}-s${i}`);
    for (const subscription of names) {
      await call(this.admin, 'CreateSubscription', { subscription: { name: subscription, topic: name } });
    }
    // A topic's publishers share one PublishStream, as a publishing service would (the TypeScript
    // client's sender): one HTTP/2 stream for every batch, where a unary Publish opens one per call.
    const publishing = new PublishStreamSender(this.publisher, publishTimeoutMs);
    return {
      name,
      publish: async (items) => {
        await publishing.send({ topic: name, messages: items.map(toPublishMessage) });
      },
      consume: async (subscription, prefetch, handler) => this.consume(names[subscription]!, prefetch, handler),
      delete: async () => {
        publishing.close();
        for (const subscription of names) await call(this.admin, 'DeleteSubscription', { name: subscription });
        await call(this.admin, 'DeleteTopic', { name });
      },
    };
  }

  /** Opens a Subscribe stream on the next consumer connection; acks go back on the same stream in batches. */
  private async consume(subscription: string, prefetch: number, handler: ConsumerHandler): Promise<Consumer> {
    const client = this.subscribers[this.nextSubscriber++ % this.subscribers.length]!;
    const stream: ClientDuplexStream<SubscribeRequest, SubscribeResponse__Output> = client.Subscribe();
    let closing = false;
    const acks = new Batcher<string>((receipts) => {
      stream.write({ ackReceipts: receipts });
      handler.onAcked(receipts.length);
    }, maxReceiptsPerAck);
    stream.on('data', (response: SubscribeResponse__Output) => {
      for (const delivery of response.deliveries) {
        handler.onMessage(delivery.message!.data);
        acks.add(delivery.receipt);
      }
    });
    const ended = new Promise<void>((resolve) => {
      stream.on('status', () => resolve());
      stream.on('error', (error: ServiceError) => {
        if (!closing) handler.onError(error);
        resolve();
      });
    });
    stream.write({ subscription, flowControl: { maxOutstandingMessages: prefetch } });
    return {
      close: async () => {
        closing = true;
        acks.flush();
        stream.end();
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      },
    };
  }

  async close(): Promise<void> {
    this.publisher.close();
    this.admin.close();
    for (const subscriber of this.subscribers) subscriber.close();
    await this.gateway.stop();
    await this.redis.stop();
  }
}

function toPublishMessage(item: PublishItem) {
  return { data: item.data, idempotencyKey: item.key };
}
