import { status } from '@grpc/grpc-js';
import type { SubscriptionConfig, TopicConfig } from '../adapters/store.ts';
import type { AdminServiceHandlers } from '../generated/ts/relay/v1/AdminService.ts';
import type { Subscription } from '../generated/ts/relay/v1/Subscription.ts';
import type { Topic } from '../generated/ts/relay/v1/Topic.ts';
import { toDuration, toTimestamp, unary, unimplemented, type GatewayContext } from './context.ts';
import { RequestError } from './status.ts';
import { checkName, durationMs, pageSize } from './validation.ts';

const day = 24 * 3600 * 1000;

function required<T>(value: T | null, what: string): T {
  if (!value) throw new RequestError(status.INVALID_ARGUMENT, `${what} is required`);
  return value;
}

function notYet(what: string): never {
  throw new RequestError(status.UNIMPLEMENTED, `${what} is not implemented yet`);
}

function toTopic(topic: TopicConfig): Topic {
  return { name: topic.name, dedupWindow: toDuration(topic.dedupWindowMs), createTime: toTimestamp(topic.createTimeMs) };
}

function toSubscription(subscription: SubscriptionConfig): Subscription {
  return {
    name: subscription.name,
    topic: subscription.topic,
    ackDeadline: toDuration(subscription.ackDeadlineMs),
    startPosition: subscription.startPosition === 'earliest' ? 'START_POSITION_EARLIEST' : 'START_POSITION_LATEST',
    retryPolicy: { minimumBackoff: toDuration(subscription.minBackoffMs), maximumBackoff: toDuration(subscription.maxBackoffMs) },
    maxDeliveryAttempts: subscription.maxDeliveryAttempts,
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
      if (topic.retentionDuration || Number(topic.retentionMessages)) notYet('topic retention');
      const dedupWindowMs = topic.dedupWindow ? durationMs(topic.dedupWindow, 'dedup_window', 1000, 7 * day) : config.dedupWindowMs;
      return { topic: toTopic(await store.createTopic({ name, dedupWindowMs })) };
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
      if (subscription.deadLetterTopic) notYet('dead-letter topics');
      if (subscription.enableOrdering) notYet('ordering keys');
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

    Seek: unimplemented('Seek'),
    GetSubscriptionStats: unimplemented('GetSubscriptionStats'),
    InspectMessage: unimplemented('InspectMessage'),
    Redrive: unimplemented('Redrive'),
  };
}
