// `npx tsx bench/otlp-encoding.ts [--spans N]`: CPU per span of turning finished spans into an OTLP
// ExportTraceServiceRequest, the SDK's ProtobufTraceSerializer against the gateway's encoding
// (gateway/telemetry/otlp-encoding.ts: each span encoded as it ends, the request assembled per batch).
// The spans are Relay's own: a publish and a deliver per message, ten attributes each, in batches of
// 512 as OTEL_BSP_MAX_EXPORT_BATCH_SIZE has them. A few seconds on one core; never part of `npm test`.
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EncodedSpanBatch } from '../gateway/telemetry/otlp-encoding.ts';
import { attr, operationName, operationType, spanName } from '../gateway/telemetry/names.ts';
import { median } from './stats.ts';

const argv = process.argv.slice(2);
const spansFlag = argv.indexOf('--spans');
const spanCount = spansFlag >= 0 ? Number(argv[spansFlag + 1]) : 20_480;
const batchSize = 512;
const rounds = 7;
const warmUpRounds = 4;

function relaySpans(count: number): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'relay', 'service.version': '0.1.0', 'host.name': 'gateway-1' }),
    spanProcessors: [{ onStart: () => {}, onEnd: (span) => spans.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer('relay', '0.1.0');
  const remote = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true };
  for (let i = 0; spans.length < count; i++) {
    const topic = `orders-${i % 8}`;
    const messageId = `${1732423423423 + i}-0`;
    const common = { [attr.messagingSystem]: 'relay', [attr.destination]: topic, [attr.messageId]: messageId, [attr.bodySize]: 256 + (i % 1024) };
    const publish = tracer.startSpan(
      spanName(operationName.publish, topic),
      { kind: SpanKind.PRODUCER, attributes: { ...common, [attr.operationType]: operationType.send, [attr.operationName]: operationName.publish, [attr.orderingKey]: `customer-${i % 100}`, [attr.duplicate]: false, [attr.batchCount]: 1, [attr.deliveryAttempt]: 0 } },
      trace.setSpanContext(ROOT_CONTEXT, remote),
    );
    publish.end();
    const deliver = tracer.startSpan(
      spanName(operationName.deliver, topic),
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...common,
          [attr.operationType]: operationType.receive,
          [attr.operationName]: operationName.deliver,
          [attr.consumerGroup]: `${topic}-workers`,
          [attr.deliveryAttempt]: 1 + (i % 3),
          [attr.deliveryReason]: i % 3 === 0 ? 'first' : 'nack',
        },
      },
      trace.setSpan(ROOT_CONTEXT, publish),
    );
    deliver.setAttribute(attr.settlementOutcome, 'ack');
    deliver.end();
  }
  return spans;
}

function batches(spans: ReadableSpan[]): ReadableSpan[][] {
  const all: ReadableSpan[][] = [];
  for (let at = 0; at < spans.length; at += batchSize) all.push(spans.slice(at, at + batchSize));
  return all;
}

/** Median µs per span over the rounds, each round turning every batch into request bytes. */
function time(run: (batch: ReadableSpan[]) => number, all: ReadableSpan[][]): number {
  let sink = 0;
  const perSpan: number[] = [];
  for (let round = 0; round < warmUpRounds + rounds; round++) {
    const started = process.hrtime.bigint();
    for (const batch of all) sink += run(batch);
    const elapsedUs = Number(process.hrtime.bigint() - started) / 1000;
    if (round >= warmUpRounds) perSpan.push(elapsedUs / spanCount);
  }
  if (sink === 0) throw new Error('nothing encoded');
  return median(perSpan);
}

/** What the processor does: each span added as it ends, then the request made once the batch is full. */
function encode(batch: ReadableSpan[]): EncodedSpanBatch {
  const encoded = new EncodedSpanBatch();
  for (const span of batch) encoded.add(span);
  return encoded;
}

const all = batches(relaySpans(spanCount));
const sdk = (batch: ReadableSpan[]) => ProtobufTraceSerializer.serializeRequest(batch)!.length;
const ours = (batch: ReadableSpan[]) => encode(batch).toRequest().length;
const same = all.every((batch) => Buffer.from(ProtobufTraceSerializer.serializeRequest(batch)!).equals(encode(batch).toRequest()));
const bytesPerSpan = sdk(all[0]!) / all[0]!.length;

// Interleaved, so that noise from elsewhere on the machine hits both alike.
const figures = { sdk: [] as number[], ours: [] as number[] };
for (let pass = 0; pass < 2; pass++) {
  figures.ours.push(time(ours, all));
  figures.sdk.push(time(sdk, all));
}

const show = (values: number[]) => values.map((value) => value.toFixed(2)).join('  ');
console.log(`${spanCount} Relay spans (${bytesPerSpan.toFixed(0)} B each in OTLP), batches of ${batchSize}, median of ${rounds} rounds, µs per span, two passes:`);
console.log(`  SDK ProtobufTraceSerializer.serializeRequest      ${show(figures.sdk)}`);
console.log(`  EncodedSpanBatch: add as each span ends, toRequest ${show(figures.ours)}`);
console.log(`  same bytes as the SDK: ${same ? 'yes' : 'NO'}`);
