import { status } from '@grpc/grpc-js';
import type { MessageStateName, SubscriptionConfig, TopicConfig } from '../adapters/store.ts';
import type { AdminServiceHandlers } from '../generated/ts/relay/v1/AdminService.ts';
import type { Subscription } from '../generated/ts/relay/v1/Subscription.ts';
import type { Topic } from '../generated/ts/relay/v1/Topic.ts';
import type { MessageState__Output } from '../generated/ts/relay/v1/MessageState.ts';
import { toDuration, toReceivedMessage, toTimestamp, unary, type GatewayContext } from './context.ts';
import { RequestError } from './status.ts';
import { checkMessageId, checkName, durationMs, pageSize } from './validation.ts';

const day = 24 * 3600 * 1000;

function required<T>(value: T | null, what: string): T {
  if (!value) throw new RequestError(status.INVALID_ARGUMENT, `${what} is required`);
  return value;
}

function invalid(message: string): never {
  throw new RequestError(status.INVALID_ARGUMENT, message);
}

function toTopic(topic: TopicConfig): Topic {
  return {
    name: topic.name,
    dedupWindow: toDuration(topic.dedupWindowMs),
    retentionDuration: toDuration(topic.retentionMs),
    retentionMessages: topic.retentionMessages,
    createTime: toTimestamp(topic.createTimeMs),
    maxBacklogMessages: topic.maxBacklogMessages,
    maxBacklogAge: toDuration(topic.maxBacklogAgeMs),
  };
}

const messageState: Record<MessageStateName, MessageState__Output> = {
  pending: 'MESSAGE_STATE_PENDING',
  'in-flight': 'MESSAGE_STATE_IN_FLIGHT',
  acked: 'MESSAGE_STATE_ACKED',
  'dead-lettered': 'MESSAGE_STATE_DEAD_LETTERED',
};

function toSubscription(subscription: SubscriptionConfig): Subscription {
  return {
    name: subscription.name,
    topic: subscription.topic,
    ackDeadline: toDuration(subscription.ackDeadlineMs),
    startPosition: subscription.startPosition === 'earliest' ? 'START_POSITION_EARLIEST' : 'START_POSITION_LATEST',
    retryPolicy: { minimumBackoff: toDuration(subscription.minBackoffMs), maximumBackoff: toDuration(subscription.maxBackoffMs) },
    maxDeliveryAttempts: subscription.maxDeliveryAttempts,
    deadLetterTopic: subscription.deadLetterTopic,
    enableOrdering: subscription.ordering,
    createTime: toTimestamp(subscription.createTimeMs),
  };
}

/** The token of the page after `items`: the last name, when the page is full. */
function nextPageToken(items: readonly { name: string }[], size: number): string {
  return items.length === size ? items[items.length - 1]!.name : '';
}

function pageToken(token: string): string {
  if (token) checkName('topic', token);
  return token;
}

export function adminService(context: GatewayContext): AdminServiceHandlers {
  const { store, config } = context;
  return {
    CreateTopic: unary(context, async (request) => {
      const topic = required(request.topic, 'topic');
      const name = checkName('topic', topic.name);
      const dedupWindowMs = topic.dedupWindow ? durationMs(topic.dedupWindow, 'dedup_window', 1000, 7 * day) : config.dedupWindowMs;
      const retentionMs = topic.retentionDuration ? durationMs(topic.retentionDuration, 'retention_duration', 1000, 365 * day) : config.retentionMs;
      const retentionMessages = Number(topic.retentionMessages);
      if (!Number.isSafeInteger(retentionMessages) || retentionMessages < 0) invalid('retention_messages must be 0 or more');
      const maxBacklogMessages = Number(topic.maxBacklogMessages) || config.maxBacklogMessages;
      if (!Number.isSafeInteger(maxBacklogMessages) || maxBacklogMessages < 0) invalid('max_backlog_messages must be 0 or more');
      // A zero age given explicitly turns a gateway default off; unset takes the default.
      const maxBacklogAgeMs = topic.maxBacklogAge ? durationMs(topic.maxBacklogAge, 'max_backlog_age', 0, 365 * day) : config.maxBacklogAgeMs;
      const created = await store.createTopic({ name, dedupWindowMs, retentionMs, retentionMessages, maxBacklogMessages, maxBacklogAgeMs });
      return { topic: toTopic(created) };
    }),
    GetTopic: unary(context, async (request) => ({ topic: toTopic(await store.getTopic(checkName('topic', request.name))) })),
    ListTopics: unary(context, async (request) => {
      const size = pageSize(request.pageSize);
      const topics = await store.listTopics({ after: pageToken(request.pageToken), limit: size });
      return { topics: topics.map(toTopic), nextPageToken: nextPageToken(topics, size) };
    }),
    DeleteTopic: unary(context, async (request) => {
      await store.deleteTopic(checkName('topic', request.name));
      return {};
    }),

    CreateSubscription: unary(context, async (request) => {
      const subscription = required(request.subscription, 'subscription');
      const name = checkName('subscription', subscription.name);
      const topic = checkName('topic', subscription.topic);
      const deadLetterTopic = subscription.deadLetterTopic ? checkName('dead-letter topic', subscription.deadLetterTopic) : '';
      if (deadLetterTopic === topic) invalid('a subscription cannot dead-letter into its own topic');
      const { minimumBackoff, maximumBackoff } = subscription.retryPolicy ?? {};
      const minBackoffMs = minimumBackoff ? durationMs(minimumBackoff, 'minimum_backoff', 0, 600_000) : config.minBackoffMs;
      const maxBackoffMs = maximumBackoff ? durationMs(maximumBackoff, 'maximum_backoff', 0, 600_000) : config.maxBackoffMs;
      if (minBackoffMs > maxBackoffMs) throw new RequestError(status.INVALID_ARGUMENT, 'minimum_backoff exceeds maximum_backoff');
      const maxDeliveryAttempts = subscription.maxDeliveryAttempts ?? config.maxDeliveryAttempts;
      if (maxDeliveryAttempts < 0 || maxDeliveryAttempts > 1000) {
        throw new RequestError(status.INVALID_ARGUMENT, 'max_delivery_attempts must be from 0 to 1000');
      }
      const created = await store.createSubscription({
        name,
        topic,
        ackDeadlineMs: subscription.ackDeadline ? durationMs(subscription.ackDeadline, 'ack_deadline', 1000, 600_000) : config.ackDeadlineMs,
        startPosition: subscription.startPosition === 'START_POSITION_EARLIEST' ? 'earliest' : 'latest',
        minBackoffMs,
        maxBackoffMs,
        maxDeliveryAttempts,
        deadLetterTopic,
        ordering: subscription.enableOrdering,
      });
      return { subscription: toSubscription(created) };
    }),
    GetSubscription: unary(context, async (request) => ({
      subscription: toSubscription(await store.getSubscription(checkName('subscription', request.name))),
    })),
    ListSubscriptions: unary(context, async (request) => {
      const size = pageSize(request.pageSize);
      const topic = request.topic ? checkName('topic', request.topic) : undefined;
      const subscriptions = await store.listSubscriptions(topic, { after: pageToken(request.pageToken), limit: size });
      return { subscriptions: subscriptions.map(toSubscription), nextPageToken: nextPageToken(subscriptions, size) };
    }),
    DeleteSubscription: unary(context, async (request) => {
      await store.deleteSubscription(checkName('subscription', request.name));
      return {};
    }),

    Seek: unary(context, async (request) => {
      const subscription = checkName('subscription', request.subscription);
      if (request.target === 'time' && request.time) {
        await store.seek(subscription, { timeMs: Number(request.time.seconds) * 1000 + Math.floor(request.time.nanos / 1e6) });
      } else if (request.target === 'messageId') {
        await store.seek(subscription, { messageId: checkMessageId(request.messageId ?? '') });
      } else {
        invalid('a time or a message_id is required');
      }
      return {};
    }),
    GetSubscriptionStats: unary(context, async (request) => {
      const stats = await store.stats(checkName('subscription', request.subscription));
      return {
        backlog: stats.backlog,
        inFlight: stats.inFlight,
        oldestUnackedAge: toDuration(stats.oldestUnsettledMs === null ? 0 : Math.max(0, Date.now() - stats.oldestUnsettledMs)),
        deadLettered: stats.deadLettered,
      };
    }),
    InspectMessage: unary(context, async (request) => {
      const { message, states } = await store.inspect(checkName('topic', request.topic), checkMessageId(request.messageId));
      return {
        message: toReceivedMessage(message),
        states: states.map((state) => ({
          subscription: state.subscription,
          state: messageState[state.state],
          deliveryAttempts: state.attempts,
          lastError: state.lastError,
          consumer: state.consumer,
        })),
        traceId: message.traceparent ? message.traceparent.split('-')[1]! : '',
      };
    }),
    Redrive: unary(context, async (request) => {
      const topic = checkName('dead-letter topic', request.deadLetterTopic);
      const ids = request.messageIds.length ? request.messageIds.map(checkMessageId) : undefined;
      return { redriven: await store.redrive(topic, ids) };
    }),
  };
}
