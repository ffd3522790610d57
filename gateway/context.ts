import { status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { MessageStore, StoredMessage } from '../adapters/store.ts';
import type { ReceivedMessage } from '../generated/ts/relay/v1/ReceivedMessage.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { RequestError, toServiceError } from './status.ts';
import type { GatewayMetrics } from './telemetry/metrics.ts';
import type { TraceFields } from './telemetry/tracing.ts';

/** What every service handler gets from the composition root. */
export interface GatewayContext {
  readonly config: Config;
  readonly store: MessageStore;
  readonly log: Logger;
  /** Prometheus metrics, when RELAY_METRICS_PORT is set. */
  readonly metrics: GatewayMetrics | undefined;
  /** True once SIGTERM arrived: new calls answer UNAVAILABLE. */
  readonly draining: () => boolean;
}

/** Wraps a unary handler: refuses calls while draining, maps every error to a gRPC status. */
export function unary<Request, Response>(
  context: GatewayContext,
  handle: (request: Request, call: ServerUnaryCall<Request, Response>) => Promise<Response>,
) {
  return (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>): void => {
    if (context.draining()) {
      callback(toServiceError(new RequestError(status.UNAVAILABLE, 'gateway is draining; retry on another'), context.log));
      return;
    }
    handle(call.request, call).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error, context.log)),
    );
  };
}

export function toTimestamp(ms: number) {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

/** Duration and Timestamp have the same fields: seconds and nanos. */
export const toDuration = toTimestamp;

/** A stored message as a subscriber or an admin sees it, with `trace`'s fields in place of its own if given. */
export function toReceivedMessage(message: StoredMessage, trace: TraceFields = message): ReceivedMessage {
  return {
    messageId: message.id,
    data: message.data,
    attributes: message.attributes,
    orderingKey: message.orderingKey,
    publishTime: toTimestamp(message.publishTimeMs),
    traceparent: trace.traceparent,
    tracestate: trace.tracestate,
    originalMessageId: message.originalId,
    deadLetter: message.deadLetter && {
      sourceTopic: message.deadLetter.sourceTopic,
      subscription: message.deadLetter.subscription,
      reason: message.deadLetter.reason,
      deliveryAttempts: message.deadLetter.attempts,
    },
  };
}
