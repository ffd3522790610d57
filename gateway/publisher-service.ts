import { performance } from 'node:perf_hooks';
import { status, type Metadata, type ServerDuplexStream } from '@grpc/grpc-js';
import type { PublisherServiceHandlers } from '../generated/ts/relay/v1/PublisherService.ts';
import type { PublishRequest__Output } from '../generated/ts/relay/v1/PublishRequest.ts';
import type { PublishResponse } from '../generated/ts/relay/v1/PublishResponse.ts';
import type { PublishStreamRequest__Output } from '../generated/ts/relay/v1/PublishStreamRequest.ts';
import type { PublishStreamResponse } from '../generated/ts/relay/v1/PublishStreamResponse.ts';
import { unary, type GatewayContext } from './context.ts';
import { refusalOf } from './security/interceptor.ts';
import { RequestError, toServiceError } from './status.ts';
import { tracePublish } from './telemetry/tracing.ts';
import { checkName, toOutgoing, traceContext } from './validation.ts';

/** Requests of one PublishStream handled at once; the stream reads no more until the oldest is answered. */
export const maxStreamRequestsInFlight = 16;

const drainingError = () => new RequestError(status.UNAVAILABLE, 'gateway is draining; retry on another');

/** The stream's metadata with the request's own trace context in place of the stream's, when it carries one. */
function withTraceContext(metadata: Metadata, request: PublishStreamRequest__Output): Metadata {
  if (!request.traceparent) return metadata;
  const own = metadata.clone();
  own.set('traceparent', request.traceparent);
  if (request.tracestate) own.set('tracestate', request.tracestate);
  else own.remove('tracestate');
  return own;
}

export interface PublisherService {
  readonly handlers: PublisherServiceHandlers;
  /** Answers what every open PublishStream received, then ends it with UNAVAILABLE. */
  drain(): Promise<void>;
}

export function publisherService(context: GatewayContext): PublisherService {
  const open = new Set<() => Promise<void>>();

  async function publish(request: PublishRequest__Output, metadata: Metadata): Promise<PublishResponse> {
    const topic = checkName('topic', request.topic);
    const [traceparent] = metadata.get('traceparent');
    const [tracestate] = metadata.get('tracestate');
    const messages = toOutgoing(request.messages, context.config, traceContext(traceparent, tracestate));
    const started = performance.now();
    // With tracing on, each message is stored with its own span's context rather than the publisher's.
    const outcomes = await tracePublish(topic, messages, metadata, (stored) => context.store.publish(topic, stored));
    context.metrics?.publishedBatch(topic, outcomes, (performance.now() - started) / 1000);
    return { results: outcomes.map((outcome) => ({ messageId: outcome.messageId, duplicate: outcome.duplicate })) };
  }

  function publishStream(call: ServerDuplexStream<PublishStreamRequest__Output, PublishStreamResponse>): void {
    /** Settles once every request received so far is answered: answers go out in request order. */
    let answered: Promise<void> = Promise.resolve();
    let inFlight = 0;
    /** The first request's topic, the one security authorized: every request publishes there. */
    let streamTopic: string | undefined;
    let ended = false;
    /** No more answers on this stream, and nothing to drain. */
    const forget = () => {
      ended = true;
      open.delete(drainOne);
    };
    const end = (error?: unknown) => {
      if (ended) return;
      forget();
      if (error === undefined) call.end();
      else call.emit('error', toServiceError(error, context.log));
    };
    const drainOne = () => answered.then(() => end(drainingError()));
    call.on('error', () => {});
    call.on('cancelled', forget);
    if (context.draining()) return end(drainingError());
    open.add(drainOne);

    const answer = async (request: PublishStreamRequest__Output): Promise<PublishStreamResponse> => {
      try {
        if (context.draining()) throw drainingError();
        streamTopic ??= request.topic;
        if (request.topic !== streamTopic) {
          throw new RequestError(status.INVALID_ARGUMENT, `topic must be the stream's, ${JSON.stringify(streamTopic)}: a PublishStream publishes to the topic of its first request`);
        }
        const refusal = refusalOf(request);
        if (refusal) return { statusCode: status.RESOURCE_EXHAUSTED, statusMessage: refusal.message, retryAfterMs: refusal.retryAfterMs };
        return await publish(request, withTraceContext(call.metadata, request));
      } catch (error) {
        const failure = toServiceError(error, context.log);
        return { statusCode: failure.code, statusMessage: failure.details };
      }
    };
    call.on('data', (request: PublishStreamRequest__Output) => {
      // Started now, so that store writes go out in request order; answered behind the requests before it.
      const response = answer(request);
      if (++inFlight === maxStreamRequestsInFlight) call.pause();
      answered = answered
        .then(() => response)
        .then((sent) => {
          if (!ended) call.write(sent);
          if (inFlight-- === maxStreamRequestsInFlight) call.resume();
        });
    });
    call.on('end', () => void answered.then(() => end()));
  }

  return {
    handlers: {
      Publish: unary<PublishRequest__Output, PublishResponse>(context, (request, call) => publish(request, call.metadata)),
      PublishStream: publishStream,
    },
    async drain() {
      await Promise.all([...open].map((drainOne) => drainOne()));
    },
  };
}
