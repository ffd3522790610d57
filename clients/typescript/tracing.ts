// Trace continuation: each publish batch carries the caller's context (W3C traceparent), and each
// delivery carries the context of its delivery span, under which the handler's span starts.
import { Metadata } from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const w3c = new W3CTraceContextPropagator();

/** Puts the context's traceparent/tracestate in call metadata (a no-op without an active span). */
export function injectTraceContext(active: Context, metadata: Metadata): void {
  w3c.inject(active, metadata, { set: (carrier, key, value) => carrier.set(key, value) });
}

/** The context's traceparent/tracestate as fields (empty without an active span). */
export function traceFields(active: Context): { traceparent: string; tracestate: string } {
  const fields = { traceparent: '', tracestate: '' };
  w3c.inject(active, fields, { set: (carrier, key, value) => key in carrier && (carrier[key as keyof typeof carrier] = value) });
  return fields;
}

/** The context a delivery carried: its delivery span as the parent. */
export function deliveryContext(fields: { traceparent: string; tracestate: string }): Context {
  if (!fields.traceparent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, fields, {
    get: (carrier, key) => (key === 'traceparent' ? carrier.traceparent : key === 'tracestate' ? carrier.tracestate || undefined : undefined),
    keys: () => ['traceparent', 'tracestate'],
  });
}

/** The subscriber's processing span of one delivery (OpenTelemetry messaging conventions). */
export function startProcessSpan(subscription: string, message: { id: string; data: Buffer; deliveryAttempt: number }, parent: Context): Span {
  return trace.getTracer('relay-client').startSpan(
    `process ${subscription}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'relay',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.consumer.group.name': subscription,
        'messaging.message.id': message.id,
        'messaging.message.body.size': message.data.length,
        'messaging.relay.delivery.attempt': message.deliveryAttempt,
      },
    },
    parent,
  );
}
