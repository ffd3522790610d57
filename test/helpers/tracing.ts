// Spans for tests: tracing on in this process with an in-memory exporter, a subscriber's process span
// continued from a delivery, and a few questions asked of a finished trace.
import { Metadata } from '@grpc/grpc-js';
import { context, ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../gateway/telemetry/sdk.ts';
import { storedCarrier } from '../../gateway/telemetry/tracing.ts';

const tracer = () => trace.getTracer('relay-tests');
const w3c = new W3CTraceContextPropagator();

/**
 * Turns the gateway's tracing on in this process (gRPC and ioredis instrumented), spans kept in
 * memory. Call it before grpc-js is imported (see trace-in-memory.ts).
 */
export function traceInMemory(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  if (!startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] })) throw new Error('tracing did not start');
  return exporter;
}


/**
 * A publisher's own span: runs fn inside it, with call metadata carrying its traceparent, as any
 * publisher sets it (the gRPC client instrumentation, where it runs, puts its client span there).
 */
export async function asPublisher<T>(name: string, fn: (metadata: Metadata) => Promise<T>): Promise<{ span: Span; result: T }> {
  const span = tracer().startSpan(name, { kind: SpanKind.PRODUCER });
  const metadata = new Metadata();
  const inside = trace.setSpan(ROOT_CONTEXT, span);
  w3c.inject(inside, metadata, { set: (carrier, key, value) => carrier.set(key, value) });
  try {
    return { span, result: await context.with(inside, () => fn(metadata)) };
  } finally {
    span.end();
  }
}

/** A subscriber's process span for one delivery, continued from the trace context the delivery carried. */
export function processSpan(topic: string, delivered: { traceparent: string; tracestate: string }): ReadableSpan {
  const parent = w3c.extract(ROOT_CONTEXT, { ...delivered }, storedCarrier);
  const span = tracer().startSpan(`process ${topic}`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.operation.type': 'process' } }, parent);
  span.end();
  // The SDK's spans are readable.
  return span as unknown as ReadableSpan;
}

export const spanId = (span: ReadableSpan | Span) => span.spanContext().spanId;
export const traceId = (span: ReadableSpan | Span) => span.spanContext().traceId;
export const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The span id a W3C traceparent names. */
export const traceparentSpanId = (traceparent: string) => traceparent.split('-')[2];

/** The spans of one trace, by name and by parent. */
export class TraceTree {
  readonly spans: ReadableSpan[];

  constructor(all: readonly ReadableSpan[], readonly id: string) {
    this.spans = all.filter((span) => traceId(span) === id);
  }

  named(name: string): ReadableSpan[] {
    return this.spans.filter((span) => span.name === name);
  }

  one(name: string): ReadableSpan {
    const found = this.named(name);
    if (found.length !== 1) throw new Error(`expected one span named ${JSON.stringify(name)}, found ${found.length}:\n${this.describe()}`);
    return found[0]!;
  }

  childrenOf(parent: ReadableSpan): ReadableSpan[] {
    return this.spans.filter((span) => parentId(span) === spanId(parent));
  }

  /** True when ancestor is on the parent chain of span. */
  descends(span: ReadableSpan, ancestor: ReadableSpan): boolean {
    const byId = new Map(this.spans.map((each) => [spanId(each), each]));
    for (let at = byId.get(parentId(span) ?? ''); at; at = byId.get(parentId(at) ?? '')) if (at === ancestor) return true;
    return parentId(span) === spanId(ancestor);
  }

  /** One line per span, indented under its parent: for failure messages. */
  describe(): string {
    const lines: string[] = [];
    const walk = (parent: string | undefined, depth: number) => {
      for (const span of this.spans.filter((each) => parentId(each) === parent)) {
        lines.push(`${'  '.repeat(depth)}${span.name} ${spanId(span)} ${JSON.stringify(span.attributes)}`);
        walk(spanId(span), depth + 1);
      }
    };
    const ids = new Set(this.spans.map(spanId));
    for (const root of new Set(this.spans.map((span) => parentId(span)).filter((id) => !id || !ids.has(id)))) walk(root, 0);
    return lines.join('\n');
  }
}
