import { performance } from 'node:perf_hooks';
import type { PublisherServiceHandlers } from '../generated/ts/relay/v1/PublisherService.ts';
import type { PublishRequest__Output } from '../generated/ts/relay/v1/PublishRequest.ts';
import type { PublishResponse } from '../generated/ts/relay/v1/PublishResponse.ts';
import { unary, type GatewayContext } from './context.ts';
import { tracePublish } from './telemetry/tracing.ts';
import { checkName, toOutgoing, traceContext } from './validation.ts';

export function publisherService(context: GatewayContext): PublisherServiceHandlers {
  return {
    Publish: unary<PublishRequest__Output, PublishResponse>(context, async (request, call) => {
      const topic = checkName('topic', request.topic);
      const [traceparent] = call.metadata.get('traceparent');
      const [tracestate] = call.metadata.get('tracestate');
      const messages = toOutgoing(request.messages, context.config, traceContext(traceparent, tracestate));
      const started = performance.now();
      // With tracing on, each message is stored with its own span's context rather than the publisher's.
      const outcomes = await tracePublish(topic, messages, call.metadata, (stored) => context.store.publish(topic, stored));
      context.metrics?.publishedBatch(topic, outcomes, (performance.now() - started) / 1000);
      return { results: outcomes.map((outcome) => ({ messageId: outcome.messageId, duplicate: outcome.duplicate })) };
    }),
  };
}
