// Relay's spans: one per published message (its creation context, stored with it), one per delivery
// attempt (child of that stored context, handed to the subscriber as the delivery's trace context,
// ended at its settlement with the outcome), and dead-lettering. The rest of the gateway calls the
// few functions below; when no tracer provider was set up they cost a branch.
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Metadata } from '@grpc/grpc-js';
import type { Delivery, DeliveryReason, OutgoingMessage, PublishOutcome, SubscriptionConfig } from '../../adapters/store.ts';
import { attr, messagingSystem, operationName, operationType, spanName, type SettlementOutcome } from './names.ts';

let tracer: Tracer | undefined;

/** Turns Relay's spans on (with the provider's tracer) or off (undefined). Called by the SDK set-up and by tests. */
export function useTracerProvider(provider: TracerProvider | undefined): void {
  tracer = provider?.getTracer('relay');
}

export function tracingEnabled(): boolean {
  return tracer !== undefined;
}

/** W3C trace context, carried in gRPC metadata and in stored message fields. */
const w3c = new W3CTraceContextPropagator();

/** The TextMap carrier of gRPC metadata (a Publish call's traceparent/tracestate). */
export const metadataCarrier: TextMapGetter<Metadata> = {
  get: (metadata, key) => {
    const values = metadata.get(key);
    return values.length === 0 ? undefined : values.map(String);
  },
  keys: (metadata) => Object.keys(metadata.getMap()),
};

/** The trace fields stored with each message, and handed out with each delivery. */
export interface TraceFields {
  traceparent: string;
  tracestate: string;
}

/** The TextMap carrier of a message's stored trace fields. */
export const storedCarrier: TextMapGetter<TraceFields> & TextMapSetter<TraceFields> = {
  get: (fields, key) => (key === 'traceparent' ? fields.traceparent : key === 'tracestate' ? fields.tracestate : undefined) || undefined,
  keys: () => ['traceparent', 'tracestate'],
  set: (fields, key, value) => {
    if (key === 'traceparent') fields.traceparent = value;
    else if (key === 'tracestate') fields.tracestate = value;
  },
};

/** The trace fields naming a context's span ('' when it has none). */
export function traceFields(of: Context): TraceFields {
  const fields = { traceparent: '', tracestate: '' };
  w3c.inject(of, fields, storedCarrier);
  return fields;
}

/** The context a stored message's trace fields name (the root context when they name none). */
export function storedContext(fields: TraceFields): Context {
  return fields.traceparent ? w3c.extract(ROOT_CONTEXT, fields, storedCarrier) : ROOT_CONTEXT;
}

/**
 * Runs fn outside any caller's trace. The dispatcher's own store calls (receive, lease extension)
 * would otherwise show up in whichever RPC happened to wake it.
 */
export function untraced<T>(fn: () => T): T {
  return tracer ? context.with(ROOT_CONTEXT, fn) : fn();
}

function failed(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
  span.setAttribute(attr.errorType, (error as Error).name ?? 'Error');
}

/**
 * Publishes with spans: the `publish <topic>` span covers the store write (the Redis write is its
 * child) and is the creation context of a single message; a batch of several also gets one
 * `create <topic>` span per message, each the creation context of its message. The creation context
 * replaces the publisher's in what is stored, so every delivery descends from it. The parent is the
 * active span (the gRPC server span when instrumentation-grpc runs) or else the call's metadata.
 */
export async function tracePublish(
  topic: string,
  messages: readonly OutgoingMessage[],
  metadata: Metadata,
  write: (messages: readonly OutgoingMessage[]) => Promise<PublishOutcome[]>,
): Promise<PublishOutcome[]> {
  if (!tracer) return write(messages);
  const active = context.active();
  const parent = trace.getSpan(active) ? active : w3c.extract(ROOT_CONTEXT, metadata, metadataCarrier);
  const single = messages.length === 1;
  const common: Attributes = { [attr.messagingSystem]: messagingSystem, [attr.destination]: topic };
  const publish = tracer.startSpan(
    spanName(operationName.publish, topic),
    {
      kind: single ? SpanKind.PRODUCER : SpanKind.CLIENT,
      attributes: {
        ...common,
        [attr.operationType]: operationType.send,
        [attr.operationName]: operationName.publish,
        ...(single ? { [attr.bodySize]: messages[0]!.data.length } : { [attr.batchCount]: messages.length }),
      },
    },
    parent,
  );
  const publishContext = trace.setSpan(parent, publish);
  let creates: Span[] = [];
  let stored: OutgoingMessage[];
  if (single) {
    stored = [{ ...messages[0]!, ...traceFields(publishContext) }];
  } else {
    creates = messages.map((message) =>
      tracer!.startSpan(
        spanName(operationName.create, topic),
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            ...common,
            [attr.operationType]: operationType.create,
            [attr.operationName]: operationName.create,
            [attr.bodySize]: message.data.length,
          },
        },
        publishContext,
      ),
    );
    stored = messages.map((message, i) => ({ ...message, ...traceFields(trace.setSpan(publishContext, creates[i]!)) }));
    publish.addLinks(creates.map((span) => ({ context: span.spanContext() })));
  }
  try {
    const outcomes = await context.with(publishContext, () => write(stored));
    outcomes.forEach((outcome, i) => {
      const span = single ? publish : creates[i]!;
      span.setAttribute(attr.messageId, outcome.messageId);
      if (outcome.duplicate) span.setAttribute(attr.duplicate, true);
    });
    return outcomes;
  } catch (error) {
    failed(publish, error);
    throw error;
  } finally {
    for (const span of creates) span.end();
    publish.end();
  }
}

const reasonValue: Record<DeliveryReason, string> = {
  first: 'first',
  nack: 'nack',
  'lease-expired': 'lease_expired',
  'consumer-lost': 'consumer_lost',
  seek: 'seek',
  redrive: 'redrive',
};

/** A delivery attempt's span, from the moment it leaves for a stream to the end of its hold. */
export class DeliveryTrace {
  private ended = false;

  constructor(
    private readonly span: Span,
    private readonly subscription: SubscriptionConfig,
    private readonly attempt: number,
    /** The delivery span's context, as handed to the subscriber. */
    readonly fields: TraceFields,
  ) {}

  /**
   * Ends the span with the outcome. A reject, or an unsettled end of the last attempt the
   * subscription allows, dead-letters the message: recorded as a `dead_letter <topic>` child span.
   * (The store moves an exhausted message when it falls due again; its span is recorded here, when
   * the gateway that held the last attempt learns it is exhausted.)
   */
  end(outcome: SettlementOutcome): void {
    if (this.ended) return;
    this.ended = true;
    this.span.setAttribute(attr.settlementOutcome, outcome);
    const { maxDeliveryAttempts } = this.subscription;
    const exhausted = outcome !== 'ack' && outcome !== 'reject' && maxDeliveryAttempts > 0 && this.attempt >= maxDeliveryAttempts;
    if (outcome === 'reject' || exhausted) this.deadLetter(outcome === 'reject' ? 'rejected' : 'max-delivery-attempts');
    this.span.end();
  }

  private deadLetter(reason: string): void {
    const { topic, name, deadLetterTopic } = this.subscription;
    tracer
      ?.startSpan(
        spanName(operationName.deadLetter, topic),
        {
          kind: deadLetterTopic ? SpanKind.PRODUCER : SpanKind.INTERNAL,
          attributes: {
            [attr.messagingSystem]: messagingSystem,
            [attr.operationType]: operationType.settle,
            [attr.operationName]: operationName.deadLetter,
            [attr.destination]: topic,
            [attr.subscription]: name,
            [attr.consumerGroup]: name,
            [attr.deliveryAttempt]: this.attempt,
            [attr.deadLetterReason]: reason,
            ...(deadLetterTopic && { [attr.deadLetterTopic]: deadLetterTopic }),
          },
        },
        trace.setSpan(ROOT_CONTEXT, this.span),
      )
      .end();
  }
}

/**
 * Starts one delivery span per delivery, each a child of its message's stored context, and answers
 * the deliveries as handed to the subscriber: with the delivery span's trace context instead of the
 * stored one. Undefined when tracing is off (deliveries then carry the stored context as it is).
 */
export function traceDeliveries(
  subscription: SubscriptionConfig,
  deliveries: readonly Delivery[],
): { deliveries: Delivery[]; traces: DeliveryTrace[] } | undefined {
  if (!tracer) return undefined;
  const traces: DeliveryTrace[] = [];
  const handed = deliveries.map((delivery) => {
    const { message, attempt, reason } = delivery;
    const span = tracer!.startSpan(
      spanName(operationName.deliver, subscription.topic),
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [attr.messagingSystem]: messagingSystem,
          [attr.operationType]: operationType.receive,
          [attr.operationName]: operationName.deliver,
          [attr.destination]: subscription.topic,
          [attr.subscription]: subscription.name,
          [attr.consumerGroup]: subscription.name,
          [attr.messageId]: message.id,
          [attr.bodySize]: message.data.length,
          [attr.deliveryAttempt]: attempt,
          [attr.deliveryReason]: reasonValue[reason],
          ...(message.orderingKey && { [attr.orderingKey]: message.orderingKey }),
        },
      },
      storedContext(message),
    );
    const fields = traceFields(trace.setSpan(ROOT_CONTEXT, span));
    traces.push(new DeliveryTrace(span, subscription, attempt, fields));
    return { ...delivery, message: { ...message, ...fields } };
  });
  return { deliveries: handed, traces };
}
