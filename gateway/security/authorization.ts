import { createHash, randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { AbortRequest__Output } from '../../generated/ts/relay/v1/AbortRequest.ts';
import type { AckRequest__Output } from '../../generated/ts/relay/v1/AckRequest.ts';
import type { CommitRequest__Output } from '../../generated/ts/relay/v1/CommitRequest.ts';
import type { CreateSubscriptionRequest__Output } from '../../generated/ts/relay/v1/CreateSubscriptionRequest.ts';
import type { CreateTopicRequest__Output } from '../../generated/ts/relay/v1/CreateTopicRequest.ts';
import type { InspectMessageRequest__Output } from '../../generated/ts/relay/v1/InspectMessageRequest.ts';
import type { ListSubscriptionsRequest__Output } from '../../generated/ts/relay/v1/ListSubscriptionsRequest.ts';
import type { ListSubscriptionsResponse } from '../../generated/ts/relay/v1/ListSubscriptionsResponse.ts';
import type { ListTopicsResponse } from '../../generated/ts/relay/v1/ListTopicsResponse.ts';
import type { PrepareRequest__Output } from '../../generated/ts/relay/v1/PrepareRequest.ts';
import type { PrepareResponse } from '../../generated/ts/relay/v1/PrepareResponse.ts';
import type { PublishRequest__Output } from '../../generated/ts/relay/v1/PublishRequest.ts';
import type { RedriveRequest__Output } from '../../generated/ts/relay/v1/RedriveRequest.ts';
import type { SeekRequest__Output } from '../../generated/ts/relay/v1/SeekRequest.ts';
import type { SubscribeRequest__Output } from '../../generated/ts/relay/v1/SubscribeRequest.ts';
import { RequestError } from '../status.ts';
import type { Permissions, Verb } from './permissions.ts';

// What each RPC needs, decided from its (first) request alone, before the handler runs and so
// before any store call:
//   Publish                              publish on the topic
//   PublishStream                        publish on the topic its first request names (the handler
//                                        refuses any other); every request counts for the rate limit,
//                                        the stream for the open streams
//   Subscribe, Ack, Nack, ExtendLease,   subscribe on the subscription (a Subscribe stream's later
//   Reject                               requests settle on the subscription its first one named)
//   admin RPCs                           admin on every topic and subscription the request names;
//                                        ListTopics / ListSubscriptions list only what the caller
//                                        administers (a subscription: it, or its topic)
//   Prepare                              publish on every message's topic, subscribe on every ack's
//                                        subscription
//   Commit, Abort                        nothing more: transaction ids are scoped per principal (the
//                                        store sees `<principal digest>.<id>`), so a caller reaches
//                                        only the transactions it prepared; another's is NOT_FOUND.
// A relay.v1 method missing here is refused: new RPCs are denied until they are given a rule.

export interface Need {
  readonly verb: Verb;
  readonly name: string;
}

/** Messages and payload bytes a request publishes (counted by the publish rate limit). */
export interface Published {
  readonly messages: number;
  readonly bytes: number;
}

export interface MethodRule {
  needs(request: any): Need[];
  /** What the request publishes (Publish, Prepare). */
  publishes?(request: any): Published;
  /** Counts against the open streams of its principal. */
  readonly stream?: true;
  /** A stream whose later requests publish too: each passes the publish rate limit (publishes). */
  readonly laterRequestsPublish?: true;
  /** Adapts the request to its principal (scoped transaction ids); may throw RequestError. */
  scopeRequest?(request: any, principal: string): void;
  /** Adapts the response to its principal (listings filtered, transaction ids unscoped). */
  scopeResponse?(response: any, principal: string, permissions: Permissions): void;
}

const publish = (name: string): Need => ({ verb: 'publish', name });
const subscribe = (name: string): Need => ({ verb: 'subscribe', name });
const admin = (...names: string[]): Need[] => names.filter(Boolean).map((name) => ({ verb: 'admin', name }));

const payloadBytes = (messages: readonly { data: Buffer }[]) => messages.reduce((sum, message) => sum + message.data.length, 0);

/** Transaction ids keep their pattern ^[a-zA-Z0-9._-]{1,128}$ once scoped: 16 hex digits and a dot in front. */
const scopeLength = 17;
const maxScopedIdLength = 128 - scopeLength;

function scope(principal: string): string {
  return `${createHash('sha256').update(principal).digest('hex').slice(0, scopeLength - 1)}.`;
}

function scopeTransactionId(request: { transactionId: string }, principal: string, generate: boolean): void {
  const id = request.transactionId || (generate ? randomUUID() : '');
  // Malformed ids are left to the handler's validation (INVALID_ARGUMENT there).
  if (!id || !/^[a-zA-Z0-9._-]+$/.test(id)) return;
  if (id.length > maxScopedIdLength) {
    throw new RequestError(status.INVALID_ARGUMENT, `transaction_id must be at most ${maxScopedIdLength} characters with authentication on`);
  }
  request.transactionId = scope(principal) + id;
}

const subscriptionRule: MethodRule = { needs: (request: AckRequest__Output) => [subscribe(request.subscription)] };

const publishRule: MethodRule = {
  needs: (request: PublishRequest__Output) => [publish(request.topic)],
  publishes: (request: PublishRequest__Output) => ({ messages: request.messages.length, bytes: payloadBytes(request.messages) }),
};

export const methodRules: Readonly<Record<string, MethodRule>> = {
  '/relay.v1.PublisherService/Publish': publishRule,
  '/relay.v1.PublisherService/PublishStream': { ...publishRule, laterRequestsPublish: true, stream: true },

  '/relay.v1.SubscriberService/Subscribe': { needs: (request: SubscribeRequest__Output) => [subscribe(request.subscription)], stream: true },
  '/relay.v1.SubscriberService/Ack': subscriptionRule,
  '/relay.v1.SubscriberService/Nack': subscriptionRule,
  '/relay.v1.SubscriberService/ExtendLease': subscriptionRule,
  '/relay.v1.SubscriberService/Reject': subscriptionRule,

  '/relay.v1.AdminService/CreateTopic': { needs: (request: CreateTopicRequest__Output) => admin(request.topic?.name ?? '') },
  '/relay.v1.AdminService/GetTopic': { needs: (request: { name: string }) => admin(request.name) },
  '/relay.v1.AdminService/ListTopics': {
    needs: () => [],
    scopeResponse: (response: ListTopicsResponse, principal, permissions) => {
      response.topics = response.topics?.filter((topic) => permissions.allows(principal, 'admin', topic.name ?? ''));
    },
  },
  '/relay.v1.AdminService/DeleteTopic': { needs: (request: { name: string }) => admin(request.name) },
  '/relay.v1.AdminService/CreateSubscription': {
    needs: (request: CreateSubscriptionRequest__Output) =>
      admin(request.subscription?.name ?? '', request.subscription?.topic ?? '', request.subscription?.deadLetterTopic ?? ''),
  },
  '/relay.v1.AdminService/GetSubscription': { needs: (request: { name: string }) => admin(request.name) },
  '/relay.v1.AdminService/ListSubscriptions': {
    needs: (request: ListSubscriptionsRequest__Output) => admin(request.topic),
    scopeResponse: (response: ListSubscriptionsResponse, principal, permissions) => {
      response.subscriptions = response.subscriptions?.filter(
        ({ name, topic }) => permissions.allows(principal, 'admin', name ?? '') || permissions.allows(principal, 'admin', topic ?? ''),
      );
    },
  },
  '/relay.v1.AdminService/DeleteSubscription': { needs: (request: { name: string }) => admin(request.name) },
  '/relay.v1.AdminService/Seek': { needs: (request: SeekRequest__Output) => admin(request.subscription) },
  '/relay.v1.AdminService/GetSubscriptionStats': { needs: (request: { subscription: string }) => admin(request.subscription) },
  '/relay.v1.AdminService/InspectMessage': { needs: (request: InspectMessageRequest__Output) => admin(request.topic) },
  '/relay.v1.AdminService/Redrive': { needs: (request: RedriveRequest__Output) => admin(request.deadLetterTopic) },

  '/relay.v1.TransactionService/Prepare': {
    needs: (request: PrepareRequest__Output) => [
      ...request.messages.map((message) => publish(message.topic)),
      ...request.acks.map((ack) => subscribe(ack.subscription)),
    ],
    publishes: (request: PrepareRequest__Output) => ({ messages: request.messages.length, bytes: payloadBytes(request.messages) }),
    scopeRequest: (request: PrepareRequest__Output, principal) => scopeTransactionId(request, principal, true),
    scopeResponse: (response: PrepareResponse, principal) => {
      const prefix = scope(principal);
      if (response.transactionId?.startsWith(prefix)) response.transactionId = response.transactionId.slice(prefix.length);
    },
  },
  '/relay.v1.TransactionService/Commit': {
    needs: () => [],
    scopeRequest: (request: CommitRequest__Output, principal) => scopeTransactionId(request, principal, false),
  },
  '/relay.v1.TransactionService/Abort': {
    needs: () => [],
    scopeRequest: (request: AbortRequest__Output, principal) => scopeTransactionId(request, principal, false),
  },
};

/** The first need the principal lacks, or undefined when it has them all. */
export function missing(needs: readonly Need[], principal: string, permissions: Permissions): Need | undefined {
  return needs.find((need) => !permissions.allows(principal, need.verb, need.name));
}
