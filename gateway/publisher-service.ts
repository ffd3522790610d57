import type { PublisherServiceHandlers } from '../generated/ts/relay/v1/PublisherService.ts';
import type { PublishRequest__Output } from '../generated/ts/relay/v1/PublishRequest.ts';
import type { PublishResponse } from '../generated/ts/relay/v1/PublishResponse.ts';
import { unary, type GatewayContext } from './context.ts';
import { checkName, toOutgoing, traceContext } from './validation.ts';

export function publisherService(context: GatewayContext): PublisherServiceHandlers {
  return {
    Publish: unary<PublishRequest__Output, PublishResponse>(context, async (request, call) => {
      const topic = checkName('topic', request.topic);
      const [traceparent] = call.metadata.get('traceparent');
      const [tracestate] = call.metadata.get('tracestate');
      const messages = toOutgoing(request.messages, context.config, traceContext(traceparent, tracestate));
      const outcomes = await context.store.publish(topic, messages);
      return { results: outcomes.map((outcome) => ({ messageId: outcome.messageId, duplicate: outcome.duplicate })) };
    }),
  };
}
