// API objects as the CLI shows them: JSON documents (durations as numbers named ...Ms, times as
// ISO 8601, enums as short lowercase words) and the same for people.
import type { Delivery__Output } from '../generated/ts/relay/v1/Delivery.ts';
import type { ReceivedMessage__Output } from '../generated/ts/relay/v1/ReceivedMessage.ts';
import type { Subscription__Output } from '../generated/ts/relay/v1/Subscription.ts';
import type { Topic__Output } from '../generated/ts/relay/v1/Topic.ts';
import { fields, formatDuration, isoTime, millis } from './format.ts';
import { describeData, utf8 } from './payload.ts';

/** `MESSAGE_STATE_IN_FLIGHT` -> `in_flight`, `DELIVERY_REASON_LEASE_EXPIRED` -> `lease_expired`. */
export function enumWord(value: string, prefix: string): string {
  return value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : value.toLowerCase();
}

export function topicJson(topic: Topic__Output) {
  return {
    name: topic.name,
    dedupWindowMs: millis(topic.dedupWindow),
    retentionMs: millis(topic.retentionDuration),
    retentionMessages: Number(topic.retentionMessages),
    maxBacklogMessages: Number(topic.maxBacklogMessages),
    maxBacklogAgeMs: millis(topic.maxBacklogAge),
    createTime: isoTime(topic.createTime),
  };
}

/** `10000 messages, 5m`, or `-` without limits. */
export function backlogLimit(topic: ReturnType<typeof topicJson>): string {
  const limits = [topic.maxBacklogMessages ? `${topic.maxBacklogMessages} messages` : '', topic.maxBacklogAgeMs ? formatDuration(topic.maxBacklogAgeMs) : ''];
  return limits.filter(Boolean).join(', ') || '-';
}

export function topicText(topic: Topic__Output): string {
  const json = topicJson(topic);
  return fields([
    ['name', json.name],
    ['dedup window', formatDuration(json.dedupWindowMs)],
    ['retention', formatDuration(json.retentionMs)],
    ['retention messages', json.retentionMessages === 0 ? 'no limit' : String(json.retentionMessages)],
    ['max backlog', json.maxBacklogMessages || json.maxBacklogAgeMs ? backlogLimit(json) : 'no limit'],
    ['created', json.createTime],
  ]);
}

export function subscriptionJson(subscription: Subscription__Output) {
  return {
    name: subscription.name,
    topic: subscription.topic,
    ackDeadlineMs: millis(subscription.ackDeadline),
    startPosition: enumWord(subscription.startPosition, 'START_POSITION_'),
    minBackoffMs: millis(subscription.retryPolicy?.minimumBackoff),
    maxBackoffMs: millis(subscription.retryPolicy?.maximumBackoff),
    maxDeliveryAttempts: subscription.maxDeliveryAttempts ?? null,
    deadLetterTopic: subscription.deadLetterTopic || null,
    ordering: subscription.enableOrdering,
    createTime: isoTime(subscription.createTime),
  };
}

export function subscriptionText(subscription: Subscription__Output): string {
  const json = subscriptionJson(subscription);
  return fields([
    ['name', json.name],
    ['topic', json.topic],
    ['ack deadline', formatDuration(json.ackDeadlineMs)],
    ['start position', json.startPosition],
    ['retry backoff', `${formatDuration(json.minBackoffMs)} doubling to ${formatDuration(json.maxBackoffMs)}`],
    ['max delivery attempts', json.maxDeliveryAttempts === 0 ? 'unlimited' : String(json.maxDeliveryAttempts ?? 'default')],
    ['dead-letter topic', json.deadLetterTopic ?? 'none (dropped and counted)'],
    ['ordering', json.ordering ? 'on' : 'off'],
    ['created', json.createTime],
  ]);
}

/** A message: payload as text (null when not UTF-8) and always as base64, so that no byte is lost. */
export function messageJson(message: ReceivedMessage__Output) {
  return {
    messageId: message.messageId,
    data: utf8(message.data),
    dataBase64: message.data.toString('base64'),
    attributes: message.attributes,
    orderingKey: message.orderingKey || null,
    publishTime: isoTime(message.publishTime),
    traceparent: message.traceparent || null,
    originalMessageId: message.originalMessageId || null,
    deadLetter: message.deadLetter
      ? {
          sourceTopic: message.deadLetter.sourceTopic,
          subscription: message.deadLetter.subscription,
          reason: message.deadLetter.reason,
          deliveryAttempts: message.deadLetter.deliveryAttempts,
        }
      : null,
  };
}

/** The lines about a message other than its payload, `label  value`. */
export function messageFields(message: ReceivedMessage__Output): [string, string | null][] {
  const attributes = Object.entries(message.attributes).map(([key, value]) => `${key}=${value}`);
  const deadLetter = message.deadLetter;
  return [
    ['message', message.messageId],
    ['published', isoTime(message.publishTime)],
    ['ordering key', message.orderingKey || null],
    ['attributes', attributes.length ? attributes.join(' ') : null],
    ['original id', message.originalMessageId || null],
    [
      'dead letter',
      deadLetter
        ? `from ${deadLetter.sourceTopic} via ${deadLetter.subscription}: ${deadLetter.reason} after ${deadLetter.deliveryAttempts} attempts`
        : null,
    ],
  ];
}

export function deliveryJson(delivery: Delivery__Output) {
  return {
    ...messageJson(delivery.message!),
    deliveryAttempt: delivery.deliveryAttempt,
    reason: enumWord(delivery.reason, 'DELIVERY_REASON_'),
    receipt: delivery.receipt,
    leaseDeadline: isoTime(delivery.leaseDeadline),
  };
}

/** `[#3] 1732417000000-0 attempt 1 (first)`, the message's fields, then its payload. */
export function deliveryText(delivery: Delivery__Output, number: number): string {
  const message = delivery.message!;
  const head = `[#${number}] ${message.messageId} attempt ${delivery.deliveryAttempt} (${enumWord(delivery.reason, 'DELIVERY_REASON_')})`;
  const details = fields(messageFields(message).slice(1)).trimEnd();
  return `${head}\n${details ? details.replace(/^/gm, '  ') + '\n' : ''}${describeData(message.data)}\n`;
}
