// RelayTracer (gateway/telemetry/relay-tracer.ts) against the SDK's own Tracer. Each scenario builds one
// real provider; the same operations are done to an SDK span and to a RelaySpan, and everything the
// sampler, the span processors and diag saw of the two is compared, field by field, with what must
// differ (ids, times) checked apart. Then storedContext's traceparent fast path (gateway/telemetry/
// tracing.ts) against the W3C propagator on seeded random input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTraceState, diag, DiagLogLevel, INVALID_SPAN_CONTEXT, isSpanContextValid, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes, Context, Exception, HrTime, Span, SpanContext, SpanStatus } from '@opentelemetry/api';
import { hrTimeDuration, hrTimeToMilliseconds, suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, InMemorySpanExporter, ParentBasedSampler, RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import { SamplingDecision, SimpleSpanProcessor, type ReadableSpan, type Sampler, type SpanLimits, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RelayTracer } from '../../gateway/telemetry/relay-tracer.ts';
import { storedCarrier, storedContext } from '../../gateway/telemetry/tracing.ts';
import { seeded } from '../helpers/random.ts';

interface Scenario {
  sampler?: Sampler;
  spanLimits?: SpanLimits;
  kind?: SpanKind;
  /** Made anew for each span: RelayTracer takes the object it is given as the span's own. */
  attributes?: () => Attributes;
  parent?: Context;
  /** Done to the span, which is then ended if it still records. */
  act?: (span: Span) => void;
  /** One more span processor, after the exporter's and the recorder. */
  processor?: SpanProcessor;
}

/** One span and what was seen of it: sampler and processor calls, diag warnings and errors, clocks. */
interface Made {
  span: Span;
  sampled: unknown[];
  processed: unknown[];
  logged: string[];
  /** As the processors' onEnd got them, and as the exporter did. */
  ended: ReadableSpan[];
  exported: ReadableSpan[];
  /** Date.now() just before and just after the start; performance.now() from before the start to after the end. */
  startedAfter: number;
  startedBefore: number;
  elapsedMs: number;
}

const logged: string[] = [];
const record = (level: string) => (message: string, ...args: unknown[]) =>
  logged.push([level, message, ...args.map((arg) => (arg instanceof Error ? `Error: ${arg.message}` : typeof arg))].join(' | '));

/** Builds the provider, then one SDK span and one RelaySpan through the scenario. */
function both(scenario: Scenario): { sdk: Made; relay: Made; ids: Set<string> } {
  const { sampler, spanLimits, kind = SpanKind.INTERNAL, attributes = () => ({}), parent = ROOT_CONTEXT, act, processor } = scenario;
  const ids = new Set<string>();
  const parentTraceId = trace.getSpanContext(parent)?.traceId;
  const random = new RandomIdGenerator();
  const remembered = (id: string) => (ids.add(id), id);
  let made = { sampled: [] as unknown[], processed: [] as unknown[], ended: [] as ReadableSpan[] };
  // Beside the exporter's: a processor that notes the parent context and each span's state per call.
  const recorder: SpanProcessor = {
    onStart: (span, context) => made.processed.push(['start', context === parent, span.isRecording()]),
    onEnding: (span) => made.processed.push(['ending', span.ended, span.isRecording()]),
    onEnd: (span) => (made.processed.push(['end', span.ended]), made.ended.push(span)),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  // The sampler is wrapped to note what it was asked.
  const inner = sampler ?? new ParentBasedSampler({ root: new AlwaysOnSampler() });
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'relay', 'service.instance.id': 'test' }),
    sampler: {
      shouldSample: (context, traceId, name, spanKind, attributes, links) => {
        const traceOf = traceId === parentTraceId ? 'parent' : ids.has(traceId) ? 'fresh' : traceId;
        made.sampled.push({ parent: context === parent, trace: traceOf, name, spanKind, attributes: { ...attributes }, links });
        return inner.shouldSample(context, traceId, name, spanKind, attributes, links);
      },
    },
    spanLimits,
    idGenerator: { generateTraceId: () => remembered(random.generateTraceId()), generateSpanId: () => remembered(random.generateSpanId()) },
    spanProcessors: [new SimpleSpanProcessor(exporter), recorder, ...(processor ? [processor] : [])],
  });
  const sdkTracer = provider.getTracer('relay');
  const relayTracer = new RelayTracer(sdkTracer);
  const run = (start: (name: string, attributes: Attributes) => Span): Made => {
    made = { sampled: [], processed: [], ended: [] };
    logged.length = 0;
    const startedAfter = Date.now();
    const clock = performance.now();
    const span = start('publish orders', attributes());
    const startedBefore = Date.now();
    act?.(span);
    if (span.isRecording()) span.end();
    const elapsedMs = performance.now() - clock;
    const { traceId, spanId } = span.spanContext();
    const exported = exporter.getFinishedSpans().filter((ended) => ended.spanContext().spanId === spanId);
    const log = logged.map((line) => line.replaceAll(traceId, '<trace id>').replaceAll(spanId, '<span id>'));
    return { span, ...made, exported, logged: log, startedAfter, startedBefore, elapsedMs };
  };
  const sdk = run((name, attributes) => sdkTracer.startSpan(name, { kind, attributes }, parent));
  const relay = run((name, attributes) => relayTracer.startSpan(name, kind, attributes, parent));
  return { sdk, relay, ids };
}

/** A span context with its ids as `parent` (inherited), `fresh` (from the provider's generator) or as they are. */
function described(context: SpanContext | undefined, parent: Context, ids: Set<string>) {
  if (!context) return context;
  const parentContext = trace.getSpanContext(parent);
  const inherited = parentContext && isSpanContextValid(parentContext) && context.traceId === parentContext.traceId;
  const { traceId, spanId, traceState, ...rest } = context;
  const fresh = (id: string) => (ids.has(id) ? 'fresh' : id);
  return { ...rest, traceId: inherited ? 'parent' : fresh(traceId), spanId: fresh(spanId), traceState: traceState?.serialize() };
}

/** What a processor sees of a span that must be the SDK's, times apart. */
function readable(span: ReadableSpan) {
  const { name, kind, attributes, droppedAttributesCount, droppedEventsCount, droppedLinksCount, links, status, ended, parentSpanContext } = span;
  const events = span.events.map((event) => ({ name: event.name, attributes: event.attributes, droppedAttributesCount: event.droppedAttributesCount }));
  const parent = parentSpanContext && { ...parentSpanContext, traceState: parentSpanContext.traceState?.serialize() };
  return { name, kind, attributes, droppedAttributesCount, droppedEventsCount, droppedLinksCount, links, status, ended, events, parent };
}

/** The clocks: start from Date.now, end after it, duration their difference, events (unless given a time) within. */
function assertTimes(made: Made, what: string, eventsWithin = true): void {
  for (const span of made.ended) {
    const start = Math.round(hrTimeToMilliseconds(span.startTime));
    assert.ok(start >= made.startedAfter && start <= made.startedBefore, `${what}: start ${start} not in [${made.startedAfter}, ${made.startedBefore}]`);
    assert.equal(span.duration, hrTimeDuration(span.startTime, span.endTime), `${what}: duration = end - start`);
    assert.ok(span.duration[0] >= 0 && hrTimeToMilliseconds(span.duration) <= made.elapsedMs + 1, `${what}: duration ${span.duration} within ${made.elapsedMs} ms`);
    const [from, to] = [hrTimeToMilliseconds(span.startTime) - 1, hrTimeToMilliseconds(span.endTime) + 1];
    for (const event of eventsWithin ? span.events : []) assert.ok(hrTimeToMilliseconds(event.time) >= from && hrTimeToMilliseconds(event.time) <= to, `${what}: event ${event.name} within the span`);
  }
}

/** Runs the scenario and asserts the RelaySpan is the SDK span in everything but ids and times. */
function assertSameAsSdk(scenario: Scenario, options: { eventsWithin?: boolean } = {}): { sdk: Made; relay: Made } {
  const { sdk, relay, ids } = both(scenario);
  const parent = scenario.parent ?? ROOT_CONTEXT;
  assert.equal(described(relay.span.spanContext(), parent, ids), described(sdk.span.spanContext(), parent, ids), 'span context');
  if (isSpanContextValid(sdk.span.spanContext())) assert.is.not(relay.span.spanContext().spanId, sdk.span.spanContext().spanId);
  assert.is(relay.ended.length, sdk.ended.length, 'spans ended');
  assert.is(relay.exported.length, sdk.exported.length, 'spans exported');
  for (const [i, sdkSpan] of sdk.ended.entries()) {
    const relaySpan = relay.ended[i]!;
    assert.equal(readable(relaySpan), readable(sdkSpan));
    assert.is(relaySpan.resource, sdkSpan.resource, 'the provider resource');
    assert.is(relaySpan.instrumentationScope, sdkSpan.instrumentationScope, 'the tracer scope');
  }
  assertTimes(sdk, 'sdk', options.eventsWithin);
  assertTimes(relay, 'relay', options.eventsWithin);
  // Last, so that a difference in the span itself is the one reported.
  assert.equal(relay.processed, sdk.processed, 'what the processors were called with');
  assert.equal(relay.logged, sdk.logged, 'diag warnings and errors');
  assert.equal(relay.sampled, sdk.sampled, 'what the sampler was asked');
  return { sdk, relay };
}

const context = (spanContext: SpanContext) => trace.setSpanContext(ROOT_CONTEXT, spanContext);
const sampledParent: SpanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true, traceState: createTraceState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE') };
const unsampledParent: SpanContext = { ...sampledParent, traceFlags: TraceFlags.NONE, traceState: undefined };
const localParent: SpanContext = { traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: false };
const relayAttributes = (): Attributes => ({
  'messaging.system': 'relay',
  'messaging.destination.name': 'orders',
  'messaging.message.body.size': 512,
  'messaging.relay.delivery.attempt': 1,
  'messaging.relay.redelivered': false,
});
const fixed = (result: { decision: SamplingDecision; attributes?: Attributes; traceState?: string }): Sampler => ({
  shouldSample: () => ({ ...result, traceState: result.traceState === undefined ? undefined : createTraceState(result.traceState) }),
});

const test = suite('relay-tracer');

test.before(() => void diag.setLogger({ error: record('error'), warn: record('warn'), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN));
test.after(() => diag.disable());

test('a root span with Relay attributes, set attributes and events is the SDK span', () => {
  const { relay } = assertSameAsSdk({
    kind: SpanKind.PRODUCER,
    attributes: relayAttributes,
    act: (span) => span.setAttribute('messaging.message.id', '1-0').setAttribute('messaging.relay.delivery.attempt', 2).addEvent('stored', { 'messaging.batch.message_count': 3 }).addEvent('bare'),
  });
  assert.equal(relay.processed, [['start', true, true], ['ending', false, true], ['end', true]], 'onStart with the parent context, onEnding, onEnd');
  assert.is(relay.exported[0], relay.ended[0], 'exported as it ended');
});

test('under the parent-based sampler a child of a sampled parent, remote or local, inherits its trace, trace state and parent span context', () => {
  for (const parent of [sampledParent, localParent]) assertSameAsSdk({ kind: SpanKind.CONSUMER, attributes: relayAttributes, parent: context(parent) });
});

test('under the parent-based sampler a child of an unsampled parent is not recorded, and keeps the parent trace', () => {
  const { relay } = assertSameAsSdk({ parent: context(unsampledParent), act: (span) => span.setAttribute('ignored', 1) });
  assert.not.ok(relay.span.isRecording());
  assert.is(relay.span.spanContext().traceId, unsampledParent.traceId);
});

test('a child of an invalid parent starts a new trace, without a parent span context', () => {
  const { relay } = assertSameAsSdk({ parent: context({ ...INVALID_SPAN_CONTEXT, traceFlags: TraceFlags.SAMPLED }) });
  assert.is(relay.ended[0]!.parentSpanContext, undefined);
});

test('the always-off sampler gives a non-recording span with a fresh context, seen by no processor', () => {
  for (const parent of [ROOT_CONTEXT, context(sampledParent)]) {
    const { relay } = assertSameAsSdk({ sampler: new AlwaysOffSampler(), parent, attributes: relayAttributes });
    assert.equal(relay.processed, []);
    assert.is(relay.span.spanContext().traceFlags, TraceFlags.NONE);
  }
});

test('a RECORD decision records an unsampled span that the simple processor does not export', () => {
  const { relay } = assertSameAsSdk({ sampler: fixed({ decision: SamplingDecision.RECORD }), attributes: relayAttributes });
  assert.is(relay.ended.length, 1);
  assert.is(relay.exported.length, 0);
});

test("a sampler's attributes are merged in and its trace state replaces the parent's", () => {
  const sampler = fixed({ decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { 'sampler.rule': 'orders', 'messaging.system': 'sampled' }, traceState: 'sampler=1' });
  for (const parent of [ROOT_CONTEXT, context(sampledParent)]) {
    const { relay } = assertSameAsSdk({ sampler, parent, attributes: relayAttributes });
    assert.is(relay.span.spanContext().traceState?.serialize(), 'sampler=1');
  }
});

test('suppressed tracing gives the invalid span context and no processor call', () => {
  const { relay } = assertSameAsSdk({ parent: suppressTracing(context(sampledParent)), attributes: relayAttributes });
  assert.equal(relay.span.spanContext(), INVALID_SPAN_CONTEXT);
  assert.equal(relay.processed, []);
});

test('span limits count, truncate and drop attributes, events and links as the SDK does', () => {
  const spanLimits = { attributeCountLimit: 4, attributeValueLengthLimit: 5, eventCountLimit: 2, attributePerEventCountLimit: 2, linkCountLimit: 3, attributePerLinkCountLimit: 1 };
  const act = (span: Span) => {
    span.setAttributes({ long: 'abcdefgh', list: ['abcdefgh', 'ab'], mixed: ['abcdefgh', null], number: 123456789 });
    span.setAttribute('one.too.many', 1).setAttribute('long', 'overwritten when full');
    for (let i = 0; i < 4; i++) span.addEvent(`event ${i}`, { a: 'abcdefgh', b: i, c: true });
    // The first link is the one dropped.
    span.addLinks([{ context: sampledParent }, { context: unsampledParent }, { context: localParent, attributes: { long: 'abcdefgh' } }, { context: sampledParent, attributes: { a: 1, b: 2 } }]);
  };
  assertSameAsSdk({ spanLimits, attributes: () => ({ short: 'abc', strings: ['abcdefgh'] }), act });
  // One over the count, every value short: the start attributes cannot be taken as they are.
  assertSameAsSdk({ spanLimits, attributes: () => ({ a: 1, b: 2, c: 3, d: 'abcde', 'e over': 5 }), act });
  assertSameAsSdk({ spanLimits, attributes: () => ({ long: 'abcdefgh' }) });
  const { relay } = assertSameAsSdk({ spanLimits: { attributeCountLimit: 0, eventCountLimit: 0, linkCountLimit: 0 }, attributes: relayAttributes, act });
  assert.is(relay.ended[0]!.droppedEventsCount, 4);
});

test('siblings are the SDK spans started one by one: one sampler call under a parent, one each as roots', () => {
  const attributes = (i: number): Attributes => ({ ...relayAttributes(), 'messaging.message.body.size': i });
  for (const [parent, asked] of [[context(sampledParent), 1], [context(unsampledParent), 1], [ROOT_CONTEXT, 3]] as const) {
    const exporter = new InMemorySpanExporter();
    const inner = new ParentBasedSampler({ root: new AlwaysOnSampler() });
    let calls = 0;
    const sampler: Sampler = { shouldSample: (...args) => (calls++, inner.shouldSample(...args)) };
    const sdkTracer = new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('relay');
    const started = (spans: Span[]) => (spans.forEach((span) => span.end()), spans.map((span) => span.spanContext()));
    const sdk = started([0, 1, 2].map((i) => sdkTracer.startSpan('create orders', { kind: SpanKind.PRODUCER, attributes: attributes(i) }, parent)));
    calls = 0;
    const relay = started(new RelayTracer(sdkTracer).startSiblings('create orders', SpanKind.PRODUCER, [0, 1, 2].map(attributes), parent));
    assert.is(calls, asked, 'sampler calls');
    const exported = exporter.getFinishedSpans();
    assert.is(exported.length, parent === ROOT_CONTEXT || trace.getSpanContext(parent)!.traceFlags ? 6 : 0);
    for (let i = 0; i < 3; i++) {
      assert.equal({ ...relay[i], spanId: '', traceId: '' }, { ...sdk[i], spanId: '', traceId: '' });
      assert.is(relay[i]!.traceId === sdk[i]!.traceId, parent !== ROOT_CONTEXT, 'the parent trace, or a trace of its own');
      if (exported.length) assert.equal(readable(exported[3 + i]!), readable(exported[i]!));
    }
    assert.is(new Set(relay.map((context) => context.spanId)).size, 3, 'span ids of their own');
    assert.is(new Set(relay.map((context) => context.traceId)).size, parent === ROOT_CONTEXT ? 3 : 1);
  }
});

// OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT=0 is taken as no limit, each value warned of.
test('a zero attribute value length limit truncates nothing, with the warnings of the SDK', () => {
  assertSameAsSdk({ spanLimits: { attributeValueLengthLimit: 0 }, attributes: relayAttributes, act: (span) => span.setAttribute('list', ['abc']).addEvent('e', { a: 'abc' }) });
});

// The SDK's Tracer.startSpan hands the sampler the attributes sanitized (no empty key, no invalid value).
test('invalid attributes, at the start and set, are dropped with the same warnings', () => {
  const invalid = (): Attributes => ({ ok: 'yes', none: null as never, missing: undefined, '': 'empty key', object: { a: 1 } as never, mixed: [1, 'a'] as never });
  assertSameAsSdk({ attributes: invalid, act: (span) => span.setAttributes(invalid()).setAttribute('', 1).setAttribute('null', null as never) });
});

// SpanImpl._truncateToSize maps an array even when no length limit is set.
test('an array set as an attribute is copied, as the SDK copies it', () => {
  const act = (span: Span) => {
    const list = ['a'];
    span.setAttribute('list', list);
    list.push('later');
  };
  const { relay } = assertSameAsSdk({ act });
  assert.equal(relay.ended[0]!.attributes.list, ['a']);
});

test('recordException takes its type from code or name, its message and stack, or warns', () => {
  const withCode = Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
  const exceptions: Exception[] = [new TypeError('bad'), withCode, { code: 14, message: 'unavailable' }, { name: 'Named' }, 'just a message', {} as Exception, { message: '' }];
  assertSameAsSdk({ act: (span) => exceptions.forEach((exception) => span.recordException(exception)) });
});

test('setStatus keeps OK final, ignores UNSET and keeps an ERROR message only if it is a string', () => {
  const error = (message?: unknown): SpanStatus => ({ code: SpanStatusCode.ERROR, message: message as string });
  const ok = (message?: string): SpanStatus => ({ code: SpanStatusCode.OK, message });
  const sequences = [[error('boom')], [error('first'), error('second')], [error('boom'), ok(), error('after ok')], [ok('dropped')], [error('kept'), { code: SpanStatusCode.UNSET }], [error(42)], [error()]];
  for (const sequence of sequences) assertSameAsSdk({ act: (span) => sequence.forEach((status) => span.setStatus(status)) });
});

test('updateName renames the span', () => {
  const { relay } = assertSameAsSdk({ act: (span) => span.updateName('deliver orders') });
  assert.is(relay.ended[0]!.name, 'deliver orders');
});

// SpanImpl.end() asks _isSpanEnded(), which warns as for any operation on an ended span, before its diag.error.
test('operations after end are ignored with a warning, and a second end logs as the SDK logs', () => {
  const { relay } = assertSameAsSdk({
    attributes: relayAttributes,
    act: (span) => {
      span.end();
      span.setAttribute('late', 1).addEvent('late').addLink({ context: localParent }).setStatus({ code: SpanStatusCode.ERROR }).updateName('late');
      span.recordException(new Error('late'));
      span.end();
    },
  });
  assert.ok(relay.logged.some((line) => line.startsWith('error | publish orders <trace id>-<span id> - You can only call end() on a span once.')));
  assert.is(relay.processed.filter((call) => (call as unknown[])[0] === 'end').length, 1, 'one onEnd');
});

// SpanImpl.end() sets the duration before it calls onEnding.
test("a processor's onEnding sees the span's end time and duration, as with the SDK span", () => {
  const seen: unknown[] = [];
  const onEnding = (span: ReadableSpan) => void seen.push({ ended: span.ended, endTime: span.endTime[0] > 0, duration: span.duration[0] >= 0 });
  assertSameAsSdk({ processor: { onStart: () => {}, onEnding, onEnd: () => {}, forceFlush: async () => {}, shutdown: async () => {} } });
  assert.equal(seen[1], seen[0]);
});

test('given event and end times are taken as the SDK takes them', () => {
  const at = { date: new Date(Date.now() - 5), hr: [1_700_000_000, 123_456_789] as HrTime, epoch: 1_700_000_000_123 };
  const act = (span: Span) => {
    span.addEvent('date', at.date).addEvent('hr', {}, at.hr).addEvent('epoch', at.epoch).addEvent('performance', { a: 1 }, performance.now());
    // SpanImpl._getTime takes a number above performance.now() as epoch milliseconds.
    span.addEvent('performance ahead', performance.now() + 60_000);
    span.end(new Date(Date.now() - 60_000)); // before the start: the SDK warns and ends it at the start
  };
  const { sdk, relay } = assertSameAsSdk({ act }, { eventsWithin: false });
  const times = (made: Made) => made.ended[0]!.events.map((event) => hrTimeToMilliseconds(event.time));
  const [expected, actual] = [times(sdk), times(relay)];
  for (const [i, time] of expected.entries()) assert.ok(Math.abs(actual[i]! - time) <= 2, `event ${i}: ${actual[i]} for the SDK's ${time}`);
  assert.equal(relay.ended[0]!.endTime, relay.ended[0]!.startTime);
});

test('a span that lasts has its end from the monotonic clock', () => {
  const wait = (span: Span) => {
    const until = performance.now() + 20;
    span.addEvent('waiting');
    while (performance.now() < until);
    span.addEvent('waited');
  };
  const { sdk, relay } = assertSameAsSdk({ act: wait });
  for (const made of [sdk, relay]) assert.ok(hrTimeToMilliseconds(made.ended[0]!.duration) >= 19, 'lasted 20 ms');
});

/** A traceparent of one of the forms the gateway may find stored, most of them canonical. */
function randomTraceparent(random: () => number): string {
  const pick = <T>(items: ArrayLike<T>): T => items[Math.floor(random() * items.length)]!;
  const hex = (length: number) => Array.from({ length }, () => pick('0123456789abcdef')).join('');
  const ids = { version: '00', traceId: random() < 0.05 ? '0'.repeat(32) : hex(32), spanId: random() < 0.05 ? '0'.repeat(16) : hex(16), flags: hex(2) };
  let value = `${ids.version}-${ids.traceId}-${ids.spanId}-${ids.flags}`;
  const form = pick(['canonical', 'canonical', 'canonical', 'uppercase', 'version', 'suffix', 'space', 'length', 'non-hex', 'empty']);
  if (form === 'uppercase') value = value.replace(/[a-f]/, (c) => c.toUpperCase());
  if (form === 'version') value = pick(['ff', '01', 'fe', 'cc', '0', '000']) + value.slice(2);
  if (form === 'suffix') value = pick(['00', '01', 'cc']) + value.slice(2) + pick(['-', '-x', '-what-ever', 'x']);
  if (form === 'space') value = pick([' ', '\t', '  ', '\n', '']) + value + pick([' ', '', '\t', '  ']);
  if (form === 'length') value = random() < 0.5 ? value.slice(0, -1) : value.replace('-', pick(['-0', '-', '--']));
  const at = Math.floor(random() * value.length);
  // Also characters past U+00FF whose low byte is a hex digit ('0', 'a', 'f').
  if (form === 'non-hex') value = value.slice(0, at) + pick('gz-_ .G\u0130\u0161\u0466') + value.slice(at + 1);
  return form === 'empty' ? '' : value;
}

test('storedContext makes of a traceparent and tracestate what the W3C propagator extracts', () => {
  const random = seeded(55);
  const w3c = new W3CTraceContextPropagator();
  const states = ['', 'rojo=00f067aa0ba902b7', 'a=1,b=2', 'a=1,,b=2', 'A=invalid', ' spaced = 1 , b=2 ', Array.from({ length: 40 }, (_, i) => `k${i}=v`).join(','), 'a=1,a=2'];
  let parsed = 0;
  for (let i = 0; i < 5000; i++) {
    const fields = { traceparent: randomTraceparent(random), tracestate: states[Math.floor(random() * states.length)]! };
    const expected = trace.getSpanContext(w3c.extract(ROOT_CONTEXT, fields, storedCarrier));
    const actual = trace.getSpanContext(storedContext(fields));
    const plain = (spanContext?: SpanContext) => spanContext && { ...spanContext, traceState: spanContext.traceState?.serialize() };
    assert.equal(plain(actual), plain(expected), JSON.stringify(fields));
    if (expected) parsed++;
  }
  assert.ok(parsed > 1500 && parsed < 4000, `both valid and invalid traceparents (${parsed} valid)`);
});

test.run();
