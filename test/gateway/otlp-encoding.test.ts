// The gateway's own OTLP encoding (gateway/telemetry/otlp-encoding.ts) against the SDK's serializer:
// real SDK spans of every shape, encoded span by span as they end, must make the very bytes of
// ProtobufTraceSerializer.serializeRequest. On a difference the requests are decoded (with
// test/fixtures/otlp-trace.proto) and compared field by field, then the first differing byte is shown.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSync } from '@grpc/proto-loader';
import {
  createTraceState,
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Sampler,
  type SpanContext,
} from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { EncodedSpanBatch } from '../../gateway/telemetry/otlp-encoding.ts';
import { randomString, seeded } from '../helpers/random.ts';

const definition = loadSync(new URL('../fixtures/otlp-trace.proto', import.meta.url).pathname, { longs: String, bytes: String, defaults: true, oneofs: true });
const decodeRequest = (definition['opentelemetry.proto.collector.trace.v1.TraceService'] as Record<string, { requestDeserialize(data: Buffer): unknown }>)
  .Export!.requestDeserialize;

/** Spans as SpanImpl hands them to processors, kept. */
function capturingProvider(resource = resourceFromAttributes({ 'service.name': 'relay' }), sampler?: Sampler) {
  const spans: ReadableSpan[] = [];
  const capture: SpanProcessor = {
    onStart: () => {},
    onEnd: (span) => spans.push(span),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const provider = new BasicTracerProvider({
    resource,
    sampler,
    spanProcessors: [capture],
    spanLimits: { attributeCountLimit: 32, eventCountLimit: 3, linkCountLimit: 2, attributePerEventCountLimit: 4, attributePerLinkCountLimit: 4 },
  });
  return { provider, spans };
}

/** Our request for these spans, added one by one as a processor adds them. */
function encode(spans: readonly ReadableSpan[]): Buffer {
  const batch = new EncodedSpanBatch();
  for (const span of spans) batch.add(span);
  return Buffer.from(batch.toRequest());
}

function assertSameAsSdk(spans: readonly ReadableSpan[], what: string): void {
  const expected = Buffer.from(ProtobufTraceSerializer.serializeRequest([...spans])!);
  const actual = encode(spans);
  if (actual.equals(expected)) return;
  assert.equal(decodeRequest(actual), decodeRequest(expected), `${what}: decoded request`);
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const around = (bytes: Buffer) => bytes.subarray(Math.max(0, at - 16), at + 16).toString('hex');
  assert.unreachable(`${what}: ${actual.length} bytes for the SDK's ${expected.length}, first difference at byte ${at}:\n  ours ${around(actual)}\n  sdk  ${around(expected)}`);
}

const remoteParent: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'),
};
const unsampledParent: SpanContext = { traceId: 'f'.repeat(32), spanId: 'ABCDEF0123456789', traceFlags: TraceFlags.NONE, isRemote: true };
const localParent: SpanContext = { traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: false };

const everyType: Attributes = {
  'messaging.system': 'relay',
  'messaging.destination.name': 'orders',
  'messaging.message.id': '1732423423423-0',
  empty: '',
  'non.ascii': 'héllo wörld ✓ 🚀 日本語',
  'lone.surrogate': 'a\ud800b',
  'short.non.ascii.last': 'abcdefghijklmnopqrsé',
  long: 'x'.repeat(300),
  'long.non.ascii': 'é'.repeat(100),
  zero: 0,
  one: 1,
  negative: -1,
  'int32.min': -(2 ** 31),
  'uint32.max': 2 ** 32 - 1,
  'uint32.max.plus.one': 2 ** 32,
  'safe.max': Number.MAX_SAFE_INTEGER,
  'safe.min': Number.MIN_SAFE_INTEGER,
  'beyond.safe': 2 ** 60,
  'int64.min': -(2 ** 63),
  'int64.max.exclusive': 2 ** 63,
  'negative.zero': -0,
  float: 1.5,
  'negative.float': -0.25,
  nan: Number.NaN,
  infinity: Number.POSITIVE_INFINITY,
  yes: true,
  no: false,
  strings: ['a', 'bé', ''],
  numbers: [1, -2, 3.5, 2 ** 40],
  booleans: [true, false],
  'with.gaps': ['a', null, undefined, 'b'],
  'empty.array': [],
  // Integer-like keys come first in for-in order, as the SDK's serializer iterates them.
  '10': 'ten',
  '2': 'two',
};

function variedSpans(): ReadableSpan[] {
  const relay = capturingProvider(resourceFromAttributes({ 'service.name': 'relay', 'host.name': 'hôte-1', 'process.pid': 4242 }));
  // Always on: a span under an unsampled parent is recorded too.
  const other = capturingProvider(resourceFromAttributes({ 'service.name': 'other' }, { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' }), new AlwaysOnSampler());
  const relayTracer = relay.provider.getTracer('relay', '0.1.0');
  const redisTracer = relay.provider.getTracer('@opentelemetry/instrumentation-ioredis', '0.71.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.24.0' });
  const bareTracer = relay.provider.getTracer('bare');
  const emptyVersionTracer = relay.provider.getTracer('empty version', '');
  const otherTracer = other.provider.getTracer('other-scope', '2.0.0');
  const ended: ReadableSpan[][] = [relay.spans, other.spans];

  const root = relayTracer.startSpan('publish orders', { kind: SpanKind.PRODUCER, attributes: everyType, startTime: [1732423423, 423000001] });
  const child = redisTracer.startSpan('evalsha', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'redis' } }, trace.setSpan(ROOT_CONTEXT, root));
  child.end();
  otherTracer.startSpan('', {}, trace.setSpanContext(ROOT_CONTEXT, unsampledParent)).end();
  const remote = relayTracer.startSpan('deliver orders', { kind: SpanKind.CONSUMER }, trace.setSpanContext(ROOT_CONTEXT, remoteParent));
  remote.addEvent('lease extended', { 'messaging.relay.delivery.attempt': 2, reason: 'nack' });
  remote.addEvent('no attributes');
  remote.addEvent('at a time', { at: 'given' }, [1732423424, 5]);
  remote.addEvent('one too many');
  remote.setStatus({ code: SpanStatusCode.ERROR, message: 'lease expired: délai dépassé' });
  remote.end();
  const linked = bareTracer.startSpan('commit', {
    kind: SpanKind.SERVER,
    // Over the limit of two, the first link is the one dropped.
    links: [
      { context: localParent, attributes: { dropped: 'by the limit' } },
      { context: unsampledParent },
      { context: remoteParent, attributes: { 'messaging.message.id': '1-0', many: 1, more: 2, still: 3, 'one.too.many': 4 } },
    ],
  });
  linked.setStatus({ code: SpanStatusCode.OK });
  linked.end();
  const internal = bareTracer.startSpan('internal', { kind: SpanKind.INTERNAL }, trace.setSpanContext(ROOT_CONTEXT, localParent));
  for (let i = 0; i < 40; i++) internal.setAttribute(`attribute.${i}`, i);
  internal.setStatus({ code: SpanStatusCode.ERROR });
  internal.end();
  emptyVersionTracer.startSpan('versionless').end();
  otherTracer.startSpan('at the edges of time', { startTime: [0, 0] }).end([4294967295, 999999999]);
  relayTracer.startSpan('a'.repeat(20000), { attributes: { big: 'y'.repeat(20000) } }).end();
  root.end([1732423424, 999999999]);
  return ended.flat();
}

const test = suite('OTLP encoding');

test('a varied batch, spans of two resources and five scopes interleaved, encodes as the SDK serializer does', () => {
  const spans = variedSpans();
  assert.is(new Set(spans.map((span) => span.instrumentationScope)).size, 5);
  assert.ok(spans.some((span) => span.name === '' && span.parentSpanContext?.traceFlags === TraceFlags.NONE), 'a span under an unsampled parent');
  assert.ok(spans.some((span) => span.links.some((link) => link.context.traceState)), 'a link with a trace state');
  assertSameAsSdk(spans, 'varied batch');
});

test('each span alone, and the batch reversed and shuffled, encode as the SDK does', () => {
  const spans = variedSpans();
  for (const span of spans) assertSameAsSdk([span], `span ${JSON.stringify(span.name.slice(0, 40))}`);
  assertSameAsSdk([...spans].reverse(), 'reversed');
  const random = seeded(7);
  for (let round = 0; round < 5; round++) assertSameAsSdk([...spans].sort(() => random() - 0.5), `shuffle ${round}`);
});

test('strings and spans of every length around the varint boundaries encode as the SDK does', () => {
  const { provider, spans } = capturingProvider();
  const tracer = provider.getTracer('boundaries');
  const lengths = [...range(0, 300), ...range(16_200, 16_450)];
  for (const length of lengths) tracer.startSpan('n'.repeat(length % 200), { attributes: { ascii: 'a'.repeat(length) } }).end();
  for (const length of range(0, 90)) tracer.startSpan('é'.repeat(length % 25), { attributes: { 'non.ascii': 'é'.repeat(length), emoji: '🚀'.repeat(length % 40) } }).end();
  for (const span of spans) assertSameAsSdk([span], `span of ${span.attributes.ascii?.toString().length ?? 'non-ASCII'}`);
  assertSameAsSdk(spans, 'all boundaries');
});

test('random attribute values, names and events encode as the SDK does', () => {
  const { provider, spans } = capturingProvider();
  const tracers = [provider.getTracer('a'), provider.getTracer('b', '1'), provider.getTracer('c', '2', { schemaUrl: 'https://example.com/s' })];
  const random = seeded(42);
  for (let i = 0; i < 400; i++) {
    const attributes: Attributes = {};
    for (let j = 0; j < random() * 12; j++) attributes[randomString(random, 30)] = randomValue(random);
    const span = tracers[i % 3]!.startSpan(randomString(random, 40), { kind: Math.floor(random() * 5), attributes });
    if (random() < 0.3) span.addEvent(randomString(random, 10), { [randomString(random, 10)]: randomValue(random) });
    span.end();
  }
  assertSameAsSdk(spans, 'random spans');
});

test('a recorded span its sampler did not sample keeps its trace flags in the encoding', () => {
  const recordOnly: Sampler = { shouldSample: () => ({ decision: SamplingDecision.RECORD }), toString: () => 'record only' };
  const { provider, spans } = capturingProvider(undefined, recordOnly);
  provider.getTracer('t').startSpan('recorded, not sampled').end();
  assert.is(spans[0]!.spanContext().traceFlags, TraceFlags.NONE);
  assertSameAsSdk(spans, 'unsampled span');
});

test('bytes and key-value lists, which SpanImpl refuses but the serializer accepts, encode as the SDK does', () => {
  const { provider, spans } = capturingProvider();
  provider.getTracer('t').startSpan('carrier').end();
  const real = spans[0]!;
  const attributes = {
    bytes: new Uint8Array([0, 1, 2, 255]),
    'empty.bytes': Buffer.alloc(0),
    kvlist: { nested: 'value', deeper: { list: [1, 'two', new Uint8Array([3])] }, none: null },
    'empty.kvlist': {},
    unsupported: Symbol('skipped'),
    nothing: null,
  } as unknown as Attributes;
  const handMade: ReadableSpan = {
    name: real.name,
    kind: real.kind,
    spanContext: () => real.spanContext(),
    parentSpanContext: undefined,
    startTime: real.startTime,
    endTime: real.endTime,
    status: real.status,
    attributes,
    links: [],
    events: [{ name: 'event', time: real.startTime, attributes, droppedAttributesCount: 3 }],
    duration: real.duration,
    ended: true,
    resource: real.resource,
    instrumentationScope: real.instrumentationScope,
    droppedAttributesCount: 1,
    droppedEventsCount: 2,
    droppedLinksCount: 3,
  };
  assertSameAsSdk([handMade], 'hand-made span');
});

test('a span that cannot be encoded leaves the batch as it was', () => {
  const spans = variedSpans();
  const batch = new EncodedSpanBatch();
  batch.add(spans[0]!);
  const broken = { ...spans[1]!, spanContext: () => spans[1]!.spanContext(), get attributes(): Attributes {
    throw new Error('unreadable');
  } } as ReadableSpan;
  assert.throws(() => batch.add(broken), /unreadable/);
  assert.is(batch.spanCount, 1);
  assert.ok(Buffer.from(batch.toRequest()).equals(Buffer.from(ProtobufTraceSerializer.serializeRequest([spans[0]!])!)));
});

function* range(from: number, to: number): Generator<number> {
  for (let n = from; n < to; n++) yield n;
}

function randomNumber(random: () => number): number {
  const shapes = [
    () => Math.floor(random() * 200) - 100,
    () => Math.floor((random() - 0.5) * 2 ** 64),
    () => (random() - 0.5) * 1e6,
    () => Math.floor(random() * 2 ** 32),
    () => -Math.floor(random() * 2 ** 53),
  ];
  return shapes[Math.floor(random() * shapes.length)]!();
}

function randomValue(random: () => number): Attributes[string] {
  const pick = random();
  if (pick < 0.35) return randomString(random, 60);
  if (pick < 0.6) return randomNumber(random);
  if (pick < 0.7) return random() < 0.5;
  if (pick < 0.8) return Array.from({ length: Math.floor(random() * 4) }, () => randomString(random, 10));
  if (pick < 0.9) return Array.from({ length: Math.floor(random() * 4) }, () => randomNumber(random));
  return Array.from({ length: Math.floor(random() * 4) }, () => random() < 0.5);
}

test.run();
