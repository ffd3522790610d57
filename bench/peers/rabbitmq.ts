// RabbitMQ through amqplib on the machine's broker (127.0.0.1:5672, guest/guest): classic durable
// queues, persistent messages, publisher confirms, prefetch and manual acks (several at once with
// `multiple`). A topic is a fanout exchange with one queue per subscription; all are deleted afterwards.
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { findProcesses, type ProcessRef } from '../machine.ts';
import { Batcher, uniqueSuffix, type BenchTopic, type Consumer, type ConsumerHandler, type PublishItem, type Target, type TargetSpec } from './target.ts';

const url = 'amqp://guest:guest@127.0.0.1:5672';

export const rabbitmqSpec: TargetSpec = {
  name: 'RabbitMQ',
  description:
    'RabbitMQ (machine service) via amqplib 2: classic durable queue, persistent messages, confirm channel, prefetch, manual ack (multiple); no dedup',
  start: () => RabbitmqTarget.start(),
};

export class RabbitmqTarget implements Target {
  readonly name = 'RabbitMQ';
  readonly processes: ProcessRef[] = findProcesses('beam.smp', 'rabbitmq');

  private constructor(
    readonly version: string,
    private readonly publishing: ChannelModel,
    private readonly consuming: ChannelModel,
    private readonly confirms: ConfirmChannel,
  ) {}

  static async start(): Promise<RabbitmqTarget> {
    const publishing = await connect(url);
    const consuming = await connect(url);
    const confirms = await publishing.createConfirmChannel();
    return new RabbitmqTarget(String(publishing.connection.serverProperties.version), publishing, consuming, confirms);
  }

  async createTopic(subscriptions: number): Promise<BenchTopic> {
    const name = `bench-${uniqueSuffix()}`;
    const queues = Array.from({ length: subscriptions }, (_, i) => `${name}-s${i}`);
    const setup = await this.publishing.createChannel();
    await setup.assertExchange(name, 'fanout', { durable: true });
    for (const queue of queues) {
      await setup.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
      await setup.bindQueue(queue, name, '');
    }
    await setup.close();
    return {
      name,
      publish: (items) => this.publish(name, items),
      consume: (subscription, prefetch, handler) => this.consume(queues[subscription]!, prefetch, handler),
      delete: async () => {
        const teardown = await this.publishing.createChannel();
        for (const queue of queues) await teardown.deleteQueue(queue);
        await teardown.deleteExchange(name);
        await teardown.close();
      },
    };
  }

  private publish(exchange: string, items: readonly PublishItem[]): Promise<void> {
    return new Promise((resolve, reject) => {
      let waiting = items.length;
      const confirmed = (error: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error('message nacked by the broker'));
        else if (--waiting === 0) resolve();
      };
      for (const item of items) {
        this.confirms.publish(exchange, '', item.data, { persistent: true, messageId: item.key }, confirmed);
      }
    });
  }

  private async consume(queue: string, prefetch: number, handler: ConsumerHandler): Promise<Consumer> {
    const channel: Channel = await this.consuming.createChannel();
    await channel.prefetch(prefetch);
    // One consumer per channel, so acking the newest delivery with `multiple` settles everything before it.
    const acks = new Batcher<ConsumeMessage>((messages) => {
      channel.ack(messages[messages.length - 1]!, true);
      handler.onAcked(messages.length);
    }, prefetch);
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (!message) return handler.onError(new Error(`RabbitMQ cancelled the consumer of ${queue}`));
        handler.onMessage(message.content);
        acks.add(message);
      },
      { noAck: false },
    );
    return {
      close: async () => {
        acks.flush();
        await channel.cancel(consumerTag);
        await channel.close();
      },
    };
  }

  async close(): Promise<void> {
    await this.confirms.close();
    await this.publishing.close();
    await this.consuming.close();
  }
}
