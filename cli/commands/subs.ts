// relay subs create|list|get|delete
import type { CreateSubscriptionResponse__Output } from '../../generated/ts/relay/v1/CreateSubscriptionResponse.ts';
import type { GetSubscriptionResponse__Output } from '../../generated/ts/relay/v1/GetSubscriptionResponse.ts';
import type { ListSubscriptionsResponse__Output } from '../../generated/ts/relay/v1/ListSubscriptionsResponse.ts';
import type { Subscription__Output } from '../../generated/ts/relay/v1/Subscription.ts';
import { UsageError, type Command } from '../command.ts';
import { withConnection } from '../connection.ts';
import { formatDuration, table, toDuration } from '../format.ts';
import { subscriptionJson, subscriptionText } from '../resources.ts';

const startPositions: Record<string, string> = { earliest: 'START_POSITION_EARLIEST', latest: 'START_POSITION_LATEST' };

export const create: Command = {
  path: 'subs create',
  summary: 'Creates a subscription of a topic.',
  args: 'SUBSCRIPTION',
  positionals: [1, 1],
  flags: {
    topic: { type: 'string', value: 'TOPIC', description: 'the topic it reads (required)' },
    'ack-deadline': { type: 'string', value: 'DURATION', description: 'lease of each delivery before redelivery (default 30s, 1s to 600s)' },
    start: { type: 'string', value: 'earliest|latest', description: 'read every retained message, or only later ones (default latest)' },
    'min-backoff': { type: 'string', value: 'DURATION', description: 'redelivery delay after the first nack (default 1s)' },
    'max-backoff': { type: 'string', value: 'DURATION', description: 'the backoff doubles up to this (default 60s)' },
    'max-delivery-attempts': { type: 'string', value: 'N', description: 'dead-letter after N attempts (default 5; 0 = never)' },
    'dead-letter-topic': { type: 'string', value: 'TOPIC', description: 'where exhausted and rejected messages go (default: dropped and counted)' },
    ordering: { type: 'boolean', description: 'deliver messages of one ordering key one at a time, in publish order' },
  },
  details: 'Example:\n  relay subs create billing --topic orders --start earliest --ack-deadline 1m --dead-letter-topic orders-dlq',
  async run(input) {
    const topic = input.string('topic');
    if (!topic) throw new UsageError('--topic is required');
    const start = input.string('start');
    if (start !== undefined && startPositions[start] === undefined) throw new UsageError(`--start must be earliest or latest, got ${JSON.stringify(start)}`);
    const duration = (flag: string) => {
      const ms = input.durationMs(flag);
      return ms === undefined ? null : toDuration(ms);
    };
    const subscription = {
      name: input.positionals[0],
      topic,
      ackDeadline: duration('ack-deadline'),
      startPosition: start === undefined ? undefined : startPositions[start],
      retryPolicy: { minimumBackoff: duration('min-backoff'), maximumBackoff: duration('max-backoff') },
      maxDeliveryAttempts: input.integer('max-delivery-attempts', 0, 1_000_000),
      deadLetterTopic: input.string('dead-letter-topic') ?? '',
      enableOrdering: input.boolean('ordering') ?? false,
    };
    const response = await withConnection(input, (relay) =>
      relay.call<CreateSubscriptionResponse__Output>(relay.admin, 'CreateSubscription', { subscription }),
    );
    const created = response.subscription!;
    input.print(subscriptionJson(created), () => `created subscription ${created.name}\n${subscriptionText(created)}`);
  },
};

export const list: Command = {
  path: 'subs list',
  summary: 'Lists subscriptions, of one topic or of all, in name order.',
  args: '',
  positionals: [0, 0],
  flags: {
    topic: { type: 'string', value: 'TOPIC', description: 'only the subscriptions of this topic' },
  },
  async run(input) {
    const subscriptions = await withConnection(input, async (relay) => {
      const all: Subscription__Output[] = [];
      let pageToken = '';
      do {
        const request = { topic: input.string('topic') ?? '', pageSize: 1000, pageToken };
        const page = await relay.call<ListSubscriptionsResponse__Output>(relay.admin, 'ListSubscriptions', request);
        all.push(...page.subscriptions);
        pageToken = page.nextPageToken;
      } while (pageToken);
      return all;
    });
    const documents = subscriptions.map(subscriptionJson);
    input.print(documents, () =>
      table(
        ['NAME', 'TOPIC', 'ACK DEADLINE', 'MAX ATTEMPTS', 'DEAD-LETTER TOPIC', 'ORDERING'],
        documents.map((subscription) => [
          subscription.name,
          subscription.topic,
          formatDuration(subscription.ackDeadlineMs),
          subscription.maxDeliveryAttempts === 0 ? 'unlimited' : String(subscription.maxDeliveryAttempts ?? '-'),
          subscription.deadLetterTopic ?? '-',
          subscription.ordering ? 'on' : 'off',
        ]),
      ),
    );
  },
};

export const get: Command = {
  path: 'subs get',
  summary: "Shows a subscription's settings.",
  args: 'SUBSCRIPTION',
  positionals: [1, 1],
  flags: {},
  async run(input) {
    const { subscription } = await withConnection(input, (relay) =>
      relay.call<GetSubscriptionResponse__Output>(relay.admin, 'GetSubscription', { name: input.positionals[0] }),
    );
    input.print(subscriptionJson(subscription!), () => subscriptionText(subscription!));
  },
};

export const remove: Command = {
  path: 'subs delete',
  summary: 'Deletes a subscription and its deliveries.',
  args: 'SUBSCRIPTION',
  positionals: [1, 1],
  flags: {},
  async run(input) {
    const name = input.positionals[0]!;
    await withConnection(input, (relay) => relay.call(relay.admin, 'DeleteSubscription', { name }));
    input.print({ name, deleted: true }, () => `deleted subscription ${name}\n`);
  },
};
