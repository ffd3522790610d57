// Relay's spans: one per Publish, one per message published (its creation context, stored with it),
// one per delivery attempt (child of that stored context, handed to the subscriber as the delivery's
// trace context, ended at its settlement with the outcome), and dead-lettering. The rest of the
// gateway calls the few functions below; when no tracer provider was set up they cost a branch.
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
  type TracerProvider,
} from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Metadata } from '@grpc/grpc-js';
import type { Delivery, DeliveryReason, OutgoingMessage, PublishOutcome, SubscriptionConfig } from '../../adapters/store.ts';
import { attr, messagingSystem, operationName, operationType, spanName, type SettlementOutcome } from './names.ts';
import { RelayTracer, ValidParentContext } from './relay-tracer.ts';

let tracer: RelayTracer | undefined;

/** Turns Relay's spans on (configured as the provider's tracer for `relay`) or off (undefined). Called by the SDK set-up. */
export function useTracerProvider(provider: TracerProvider | undefined): void {
  tracer = provider && new RelayTracer(provider.getTracer('relay'));
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

/** The context a stored message's trace fields name (the root context when they name none). */
export function storedContext(fields: TraceFields): Context {
  const { traceparent, tracestate } = fields;
  if (!traceparent) return ROOT_CONTEXT;
  if (!isCanonicalTraceparent(traceparent)) return w3c.extract(ROOT_CONTEXT, fields, storedCarrier);
  // What the propagator's extract makes of it, without its regular expression (and its Map).
  const spanContext: SpanContext = {
    traceId: traceparent.substring(3, 35),
    spanId: traceparent.substring(36, 52),
    traceFlags: (lowercaseHexValue[traceparent.charCodeAt(53)]! << 4) | lowercaseHexValue[traceparent.charCodeAt(54)]!,
    isRemote: true,
  };
  if (tracestate) spanContext.traceState = new TraceState(tracestate);
  return new ValidParentContext(spanContext);
}

/**
 * Whether a traceparent has the form Relay writes (version 00, lowercase hex, ids not all zero),
 * which every stored message of a traced publish has; any other form goes through the propagator.
 */
function isCanonicalTraceparent(value: string): boolean {
  if (value.length !== 55 || value.charCodeAt(0) !== 48 || value.charCodeAt(1) !== 48) return false;
  if (value.charCodeAt(2) !== 45 || value.charCodeAt(35) !== 45 || value.charCodeAt(52) !== 45) return false;
  return hexDigitsOr(value, 3, 35) > 0 && hexDigitsOr(value, 36, 52) > 0 && hexDigitsOr(value, 53, 55) >= 0;
}

/** Each character code's value as a lowercase hex digit, -1 for any other character. */
const lowercaseHexValue = new Int8Array(256).fill(-1);
for (let digit = 0; digit < 16; digit++) lowercaseHexValue[digit.toString(16).charCodeAt(0)] = digit;

/** The OR of the hex digits of value[from, to): 0 when all are zero, -1 when one is not a lowercase hex digit. */
function hexDigitsOr(value: string, from: number, to: number): number {
  let bits = 0;
  for (let i = from; i < to; i++) {
    const code = value.charCodeAt(i);
    bits |= code < 256 ? lowercaseHexValue[code]! : -1;
  }
  return bits;
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
 * Runs fn inside a new span. The parent is the active span (the gRPC server span when
 * instrumentation-grpc runs) or else the context the call's metadata carries.
 */
async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, metadata: Metadata, fn: (span: Span) => Promise<T>): Promise<T> {
  const active = context.active();
  const parent = trace.getSpan(active) ? active : w3c.extract(ROOT_CONTEXT, metadata, metadataCarrier);
  const span = tracer!.startSpan(name, kind, attributes, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Publishes with a `publish <topic>` span covering the store write (the Redis write is its child).
 * Every message gets a span of its own, its creation context, stored with it, so that its deliveries
 * descend from it: a single message's is the publish span itself; each message of a batch gets a
 * `create <topic>` child of it, ended with its message id once stored. (The conventions would also
 * link the publish span to every create span; its children already say as much.)
 */
export async function tracePublish(
  topic: string,
  messages: readonly OutgoingMessage[],
  metadata: Metadata,
  write: (messages: readonly OutgoingMessage[]) => Promise<PublishOutcome[]>,
): Promise<PublishOutcome[]> {
  if (!tracer) return write(messages);
  const single = messages.length === 1;
  const attributes: Attributes = {
    [attr.messagingSystem]: messagingSystem,
    [attr.operationType]: operationType.send,
    [attr.operationName]: operationName.publish,
    [attr.destination]: topic,
  };
  if (single) attributes[attr.bodySize] = messages[0]!.data.length;
  else attributes[attr.batchCount] = messages.length;
  return inSpan(spanName(operationName.publish, topic), SpanKind.PRODUCER, attributes, metadata, async (span) => {
    const creates = single ? [span] : startCreateSpans(topic, messages, trace.setSpan(context.active(), span));
    let outcomes: PublishOutcome[] = [];
    try {
      outcomes = await write(messages.map((message, i) => withSpanFields(message, creates[i]!)));
    } finally {
      creates.forEach((create, i) => {
        const outcome = outcomes[i];
        if (outcome) create.setAttribute(attr.messageId, outcome.messageId);
        if (outcome?.duplicate) create.setAttribute(attr.duplicate, true);
        if (!single) create.end();
      });
    }
    return outcomes;
  });
}

function startCreateSpans(topic: string, messages: readonly OutgoingMessage[], parent: Context): Span[] {
  const name = spanName(operationName.create, topic);
  return tracer!.startSiblings(
    name,
    SpanKind.PRODUCER,
    messages.map((message) => ({
      [attr.messagingSystem]: messagingSystem,
      [attr.operationType]: operationType.create,
      [attr.operationName]: operationName.create,
      [attr.destination]: topic,
      [attr.bodySize]: message.data.length,
    })),
    parent,
  );
}

export type TransactionStep = typeof operationName.prepare | typeof operationName.commit | typeof operationName.abort;

/**
 * Runs a transaction step in its `prepare`, `commit` or `abort` span (no single destination: the
 * conventions then name the span by its operation). Prepare's span is the creation context of the
 * messages it stages, handed to fn to store with them, so their deliveries descend from it.
 */
export async function traceTransaction<T>(
  step: TransactionStep,
  transactionId: string,
  metadata: Metadata,
  fn: (creation: TraceFields | undefined) => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  if (!tracer) return fn(undefined);
  const all: Attributes = {
    [attr.messagingSystem]: messagingSystem,
    [attr.operationType]: step === operationName.prepare ? operationType.send : operationType.settle,
    [attr.operationName]: step,
    [attr.transactionId]: transactionId,
    ...attributes,
  };
  return inSpan(step, step === operationName.prepare ? SpanKind.PRODUCER : SpanKind.INTERNAL, all, metadata, (span) => fn(spanFields(span)));
}

/** Each trace flags byte as the propagator writes it ('0' and its hex), made once rather than per message. */
const flagsHex = Array.from({ length: 256 }, (_, flags) => `0${flags.toString(16)}`);

/** A span context's W3C traceparent, written directly (what the propagator's inject writes). */
function traceparentOf({ traceId, spanId, traceFlags }: SpanContext): string {
  return `00-${traceId}-${spanId}-${flagsHex[traceFlags & 0xff]}`;
}

/** A span context's W3C tracestate, '' when it has none. */
function tracestateOf({ traceState }: SpanContext): string {
  return traceState?.serialize() ?? '';
}

/** A span's W3C trace fields. */
function spanFields(span: Span): TraceFields {
  const spanContext = span.spanContext();
  return { traceparent: traceparentOf(spanContext), tracestate: tracestateOf(spanContext) };
}

/** A copy of `carrier` with the span's W3C trace fields in place of its own. */
function withSpanFields<T extends TraceFields>(carrier: T, span: Span): T {
  const { traceparent, tracestate } = spanFields(span);
  return { ...carrier, traceparent, tracestate };
}

const reasonValue: Record<DeliveryReason, string> = {
  first: 'first',
  nack: 'nack',
  'lease-expired': 'lease_expired',
  'consumer-lost': 'consumer_lost',
  seek: 'seek',
  redrive: 'redrive',
};

/**
 * A delivery attempt's span, from the moment it leaves for a stream to the end of its hold. Its trace
 * fields are the span's: what the delivery hands the subscriber instead of the stored ones.
 */
export class DeliveryTrace implements TraceFields {
  private ended = false;

  constructor(
    private readonly span: Span,
    private readonly subscription: SubscriptionConfig,
    private readonly attempt: number,
  ) {}

  // Made when the delivery is written, not kept: a trace is held for the delivery's lease, and what
  // deliveries hold survives the young generation's collections (copied each time) until settled.
  get traceparent(): string {
    return traceparentOf(this.span.spanContext());
  }

  get tracestate(): string {
    return tracestateOf(this.span.spanContext());
  }

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
        deadLetterTopic ? SpanKind.PRODUCER : SpanKind.INTERNAL,
        {
          [attr.messagingSystem]: messagingSystem,
          [attr.operationType]: operationType.settle,
          [attr.operationName]: operationName.deadLetter,
          [attr.destination]: topic,
          [attr.consumerGroup]: name,
          [attr.deliveryAttempt]: this.attempt,
          [attr.deadLetterReason]: reason,
          ...(deadLetterTopic && { [attr.deadLetterTopic]: deadLetterTopic }),
        },
        trace.setSpan(ROOT_CONTEXT, this.span),
      )
      .end();
  }
}

/**
 * Starts one delivery span per delivery, each a child of its message's stored context. The subscriber
 * is handed each span's trace fields instead of the stored ones. Undefined when tracing is off.
 */
export function traceDeliveries(subscription: SubscriptionConfig, deliveries: readonly Delivery[]): DeliveryTrace[] | undefined {
  if (!tracer) return undefined;
  const name = spanName(operationName.deliver, subscription.topic);
  const traces = new Array<DeliveryTrace>(deliveries.length);
  for (let i = 0; i < deliveries.length; i++) {
    const { message, attempt, reason } = deliveries[i]!;
    const attributes: Attributes = {
      [attr.messagingSystem]: messagingSystem,
      [attr.operationType]: operationType.receive,
      [attr.operationName]: operationName.deliver,
      [attr.destination]: subscription.topic,
      [attr.consumerGroup]: subscription.name,
      [attr.messageId]: message.id,
      [attr.bodySize]: message.data.length,
      [attr.deliveryAttempt]: attempt,
      [attr.deliveryReason]: reasonValue[reason],
    };
    if (message.orderingKey) attributes[attr.orderingKey] = message.orderingKey;
    const span = tracer.startSpan(name, SpanKind.CONSUMER, attributes, storedContext(message));
    traces[i] = new DeliveryTrace(span, subscription, attempt);
  }
  return traces;
}
