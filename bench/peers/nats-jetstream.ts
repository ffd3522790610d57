// NATS JetStream through `nats` on the machine's server (127.0.0.1:4222): a file-storage stream per
// topic with a dedup window (Nats-Msg-Id = the idempotency key), every publish awaits its PubAck,
// one durable pull consumer per subscription with explicit acks (JetStream acks one message at a time).
import { AckPolicy, connect, nanos, StorageType, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { findProcesses, type ProcessRef } from '../machine.ts';
import { uniqueSuffix, type BenchTopic, type Consumer, type ConsumerHandler, type PublishItem, type Target, type TargetSpec } from './target.ts';

/** The dedup window, as Relay's default. */
const dedupWindowMs = 120_000;

export const natsSpec: TargetSpec = {
  name: 'NATS JetStream',
  description:
    'NATS JetStream (machine service) via nats.js 2: file storage stream, Nats-Msg-Id dedup, awaited PubAck per message, durable pull consumer, explicit ack',
  start: () => NatsTarget.start(),
};

export class NatsTarget implements Target {
  readonly name = 'NATS JetStream';
  readonly processes: ProcessRef[] = findProcesses('nats-server', 'nats-server');

  private constructor(
    private readonly connection: NatsConnection,
    private readonly manager: JetStreamManager,
    private readonly client: JetStreamClient,
  ) {}

  get version(): string {
    return this.connection.info?.version ?? 'unknown';
  }

  static async start(): Promise<NatsTarget> {
    const connection = await connect({ servers: '127.0.0.1:4222' });
    return new NatsTarget(connection, await connection.jetstreamManager(), connection.jetstream());
  }

  async createTopic(subscriptions: number): Promise<BenchTopic> {
    const suffix = uniqueSuffix();
    const stream = `BENCH_${suffix}`;
    const subject = `bench.${suffix}`;
    await this.manager.streams.add({ name: stream, subjects: [subject], storage: StorageType.File, duplicate_window: nanos(dedupWindowMs) });
    const durables = Array.from({ length: subscriptions }, (_, i) => `s${i}`);
    for (const durable of durables) {
      // Flow control is the pullers' max_messages; max_ack_pending only has to stay out of the way.
      await this.manager.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, max_ack_pending: 100_000 });
    }
    return {
      name: stream,
      publish: async (items: readonly PublishItem[]) => {
        await Promise.all(items.map((item) => this.client.publish(subject, item.data, { msgID: item.key })));
      },
      consume: (subscription, prefetch, handler) => this.consume(stream, durables[subscription]!, prefetch, handler),
      delete: async () => {
        await this.manager.streams.delete(stream);
      },
    };
  }

  private async consume(stream: string, durable: string, prefetch: number, handler: ConsumerHandler): Promise<Consumer> {
    const consumer = await this.client.consumers.get(stream, durable);
    const messages: ConsumerMessages = await consumer.consume({
      max_messages: prefetch,
      callback: (message) => {
        handler.onMessage(message.data);
        message.ack();
        handler.onAcked(1);
      },
    });
    return {
      close: async () => {
        await messages.close();
      },
    };
  }

  async close(): Promise<void> {
    await this.connection.drain();
  }
}
