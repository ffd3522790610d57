// Relay's own spans (publish, create, deliver, dead_letter, prepare, commit, abort) are made here, not
// by the SDK's Tracer. There are two per message, and the SDK's general path (context lookups,
// attributes sanitized twice and copied, clock corrections, span metrics) was the largest part of what
// tracing cost the gateway. These spans take everything from the SDK's own tracer for `relay`: its
// sampler, span limits, id generator, resource, scope and span processors. To those processors and
// their exporters they are ReadableSpans like any other. The instrumentations' spans (gRPC, ioredis)
// stay the SDK's.
import {
  diag,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import {
  hrTimeDuration,
  isAttributeValue,
  isTimeInput,
  isTracingSuppressed,
  millisToHrTime,
  sanitizeAttributes,
  timeInputToHrTime,
  type InstrumentationScope,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { SamplingDecision, type IdGenerator, type ReadableSpan, type Sampler, type SpanLimits, type SpanProcessor, type TimedEvent } from '@opentelemetry/sdk-trace-base';

/** What the SDK's Tracer holds (its fields in the pinned SDK 2.12; RelayTracer checks they are there). */
interface SdkTracerFields {
  readonly _sampler: Sampler;
  readonly _spanLimits: SpanLimits;
  readonly _idGenerator: IdGenerator;
  readonly _resource: Resource;
  readonly _spanProcessor: SpanProcessor;
  readonly instrumentationScope: InstrumentationScope;
}

// Shared until a span first changes them (frozen: a reader cannot change them either). A span's
// status, links and events rarely change, and spans held for a delivery's lease should be small.
const none: never[] = Object.freeze([]) as never[];
const unsetStatus: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const notEnded: HrTime = Object.freeze([0, 0]) as unknown as HrTime;

/** The API's context key of a context's span, caught as trace.getSpan asks for it (the API does not export it). */
const spanKey: symbol = (() => {
  let asked: symbol | undefined;
  trace.getSpan({ getValue: (key) => void (asked = key), setValue: () => ROOT_CONTEXT, deleteValue: () => ROOT_CONTEXT });
  return asked!;
})();

/**
 * What trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(spanContext)) holds, for a span context its
 * maker checked is valid (storedContext: every delivery's); made without the copied Map and the three
 * closures of the API's own contexts, its span only if asked for (the samplers Relay can be set up
 * with ask only when they follow the parent), and taken by RelayTracer without checking the ids
 * again. Deriving from it gives an API context.
 */
export class ValidParentContext implements Context {
  private span: Span | undefined;

  constructor(readonly spanContext: SpanContext) {}

  private parent(): Span {
    return (this.span ??= trace.wrapSpanContext(this.spanContext));
  }

  getValue(key: symbol): unknown {
    return key === spanKey ? this.parent() : undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    return trace.setSpan(ROOT_CONTEXT, this.parent()).setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return key === spanKey ? ROOT_CONTEXT : this;
  }
}

export class RelayTracer {
  readonly sampler: Sampler;
  readonly limits: SpanLimits;
  readonly idGenerator: IdGenerator;
  readonly resource: Resource;
  readonly processor: SpanProcessor;
  readonly scope: InstrumentationScope;

  /** Takes the configuration of `sdkTracer`, the SDK's tracer for `relay`. */
  constructor(sdkTracer: Tracer) {
    const fields = sdkTracer as unknown as Partial<SdkTracerFields>;
    const { _sampler, _spanLimits, _idGenerator, _resource, _spanProcessor, instrumentationScope } = fields;
    if (!_sampler || !_spanLimits || !_idGenerator || !_resource || !_spanProcessor || !instrumentationScope) {
      throw new Error('the OpenTelemetry SDK tracer no longer has the fields Relay reads (sdk-trace 2.12): see gateway/telemetry/relay-tracer.ts');
    }
    this.sampler = _sampler;
    this.limits = _spanLimits;
    this.idGenerator = _idGenerator;
    this.resource = _resource;
    this.processor = _spanProcessor;
    this.scope = instrumentationScope;
  }

  /**
   * A span as the SDK's Tracer.startSpan makes it, from an explicit parent context. `attributes`
   * becomes the span's own: the caller hands over an object it no longer uses.
   */
  startSpan(name: string, kind: SpanKind, attributes: Attributes, parent: Context): Span {
    return this.startSiblings(name, kind, [attributes], parent)[0]!;
  }

  /**
   * Spans of one name and kind under one parent, one per attributes object, sampled once: the
   * samplers Relay can be set up with (OTEL_TRACES_SAMPLER's) decide by the parent and the trace id
   * alone, and siblings share both. The sampler sees the first span's attributes. Without a valid
   * parent each span is the root of a trace of its own, sampled on its own.
   */
  startSiblings(name: string, kind: SpanKind, attributes: Attributes[], parent: Context): Span[] {
    if (isTracingSuppressed(parent)) return attributes.map(() => trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
    const validParent = parent instanceof ValidParentContext ? parent.spanContext : validSpanContext(parent);
    if (!validParent && attributes.length > 1) return attributes.map((own) => this.startSpan(name, kind, own, parent));
    // The first span id is drawn before a root's trace id, as the SDK draws them.
    const firstSpanId = this.idGenerator.generateSpanId();
    const traceId = validParent?.traceId ?? this.idGenerator.generateTraceId();
    // The SDK gives the sampler sanitized attributes: the same values, when they are all valid.
    const first = allValid(attributes[0]!) ? attributes[0]! : sanitizeAttributes(attributes[0]);
    const sampling = this.sampler.shouldSample(parent, traceId, name, kind, first, none);
    const traceFlags = sampling.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
    const traceState = sampling.traceState ?? validParent?.traceState;
    return attributes.map((own, i) => {
      const spanContext: SpanContext = { traceId, spanId: i === 0 ? firstSpanId : this.idGenerator.generateSpanId(), traceFlags, traceState };
      if (sampling.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
      let spanAttributes = i === 0 ? first : own;
      if (sampling.attributes) spanAttributes = sanitizeAttributes(Object.assign(spanAttributes, sampling.attributes));
      const span = new RelaySpan(this, spanContext, name, kind, validParent, spanAttributes);
      this.processor.onStart(span as never, parent);
      return span;
    });
  }
}

/** The context's span context, if it has a valid one. */
function validSpanContext(context: Context): SpanContext | undefined {
  const spanContext = trace.getSpanContext(context);
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** Whether sanitizeAttributes would keep every attribute as it is (an array it would copy). */
function allValid(attributes: Attributes): boolean {
  for (const key in attributes) {
    const value = attributes[key];
    if (key.length === 0 || Array.isArray(value) || !isAttributeValue(value)) return false;
  }
  return true;
}

/**
 * A recording span with the SDK span's behaviour: the same limits, clock (the start from Date.now, the
 * end from the monotonic time since), diagnostics, exception events and processor calls.
 */
class RelaySpan implements Span, ReadableSpan {
  links: Link[] = none;
  events: TimedEvent[] = none;
  status: SpanStatus = unsetStatus;
  readonly startTime: HrTime;
  endTime: HrTime = notEnded;
  ended = false;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly attributes: Attributes;
  private attributeCount = 0;
  /** performance.now() at the start, and the wall clock's lead over it then. */
  private readonly startedAt: number;
  private readonly clockOffset: number;

  constructor(
    private readonly tracer: RelayTracer,
    private readonly context: SpanContext,
    public name: string,
    readonly kind: SpanKind,
    readonly parentSpanContext: SpanContext | undefined,
    attributes: Attributes,
  ) {
    const wallClock = Date.now();
    this.startedAt = performance.now();
    this.clockOffset = wallClock - this.startedAt;
    this.startTime = millisToHrTime(wallClock);
    this.resource = tracer.resource;
    this.instrumentationScope = tracer.scope;
    if (this.keepsAsItIs(attributes)) {
      this.attributes = attributes;
    } else {
      this.attributes = {};
      this.setAttributes(attributes);
    }
  }

  /** Whether setAttribute would keep every attribute as it is (then the object is taken as it is). */
  private keepsAsItIs(attributes: Attributes): boolean {
    const { attributeCountLimit = Infinity, attributeValueLengthLimit = 0 } = this.tracer.limits;
    // A limit of 0 or less: setAttribute warns of it for every value.
    if (attributeValueLengthLimit <= 0) return false;
    let count = 0;
    for (const key in attributes) {
      const value = attributes[key];
      if (value == null || key.length === 0 || ++count > attributeCountLimit || !isAttributeValue(value)) return false;
      if (typeof value === 'string' ? value.length > attributeValueLengthLimit : Array.isArray(value)) return false;
    }
    this.attributeCount = count;
    return true;
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value?: AttributeValue): this {
    if (value == null || this.isEnded()) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    if (!isAttributeValue(value)) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    const isNewKey = !Object.prototype.hasOwnProperty.call(this.attributes, key);
    const { attributeCountLimit } = this.tracer.limits;
    if (attributeCountLimit !== undefined && this.attributeCount >= attributeCountLimit && isNewKey) {
      this.droppedAttributesCount++;
      return this;
    }
    this.attributes[key] = this.truncated(value);
    if (isNewKey) this.attributeCount++;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, key)) this.setAttribute(key, attributes[key]);
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.isEnded()) return this;
    const { eventCountLimit, attributePerEventCountLimit } = this.tracer.limits;
    if (eventCountLimit === 0) {
      diag.warn('No events allowed.');
      this.droppedEventsCount++;
      return this;
    }
    if (this.events === none) this.events = [];
    if (eventCountLimit !== undefined && this.events.length >= eventCountLimit) {
      if (this.droppedEventsCount === 0) diag.debug('Dropping extra events.');
      this.events.shift();
      this.droppedEventsCount++;
    }
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
      attributesOrTime = undefined;
    }
    const { attributes, droppedAttributesCount } = this.limited(attributesOrTime as Attributes | undefined, attributePerEventCountLimit);
    this.events.push({ name, attributes, time: this.time(time), droppedAttributesCount });
    return this;
  }

  addLink(link: Link): this {
    if (this.isEnded()) return this;
    const { linkCountLimit, attributePerLinkCountLimit } = this.tracer.limits;
    if (linkCountLimit === 0) {
      this.droppedLinksCount++;
      return this;
    }
    if (this.links === none) this.links = [];
    if (linkCountLimit !== undefined && this.links.length >= linkCountLimit) {
      if (this.droppedLinksCount === 0) diag.debug('Dropping extra links.');
      this.links.shift();
      this.droppedLinksCount++;
    }
    const { attributes, droppedAttributesCount } = this.limited(link.attributes, attributePerLinkCountLimit);
    const kept: { context: SpanContext; attributes?: Attributes; droppedAttributesCount?: number } = { context: link.context };
    if (Object.keys(attributes).length > 0) kept.attributes = attributes;
    if (droppedAttributesCount > 0) kept.droppedAttributesCount = droppedAttributesCount;
    this.links.push(kept);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.isEnded() || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    const kept: SpanStatus = { code: status.code };
    if (status.code === SpanStatusCode.ERROR) {
      if (typeof status.message === 'string') kept.message = status.message;
      else if (status.message != null) diag.warn(`Dropping invalid status.message of type '${typeof status.message}', expected 'string'`);
    }
    this.status = kept;
    return this;
  }

  updateName(name: string): this {
    if (!this.isEnded()) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.isEnded()) {
      diag.error(`${this.name} ${this.context.traceId}-${this.context.spanId} - You can only call end() on a span once.`);
      return;
    }
    this.endTime = this.time(endTime);
    // Only a given end time can come before the start.
    if (endTime !== undefined && hrTimeDuration(this.startTime, this.endTime)[0] < 0) {
      diag.warn('Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.', this.startTime, this.endTime);
      this.endTime = this.startTime.slice() as HrTime;
    }
    if (this.droppedEventsCount > 0) diag.warn(`Dropped ${this.droppedEventsCount} events because eventCountLimit reached`);
    if (this.droppedLinksCount > 0) diag.warn(`Dropped ${this.droppedLinksCount} links because linkCountLimit reached`);
    const { processor } = this.tracer;
    processor.onEnding?.(this as never);
    this.ended = true;
    processor.onEnd(this);
  }

  /** Known from end() on (processors' onEnding sees it), as the SDK span's. */
  get duration(): HrTime {
    return this.endTime === notEnded ? [-1, -1] : hrTimeDuration(this.startTime, this.endTime);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) this.addEvent('exception', attributes, time);
    else diag.warn(`Failed to record an exception ${exception}`);
  }

  /** Whether the span has ended, warning as the SDK does of an operation on an ended span. */
  private isEnded(): boolean {
    if (this.ended) {
      const { traceId, spanId } = this.context;
      const error = new Error(`Operation attempted on ended Span {traceId: ${traceId}, spanId: ${spanId}}`);
      diag.warn(`Cannot execute the operation on ended Span {traceId: ${traceId}, spanId: ${spanId}}`, error);
    }
    return this.ended;
  }

  /**
   * A given time as the SDK takes it (a number no later than performance.now() is a performance time,
   * a later one epoch milliseconds); none: the start plus the monotonic time since, as
   * addHrTimes(startTime, millisToHrTime(elapsed)) makes it, in one array.
   */
  private time(input: TimeInput | undefined): HrTime {
    if (input === undefined) {
      const elapsed = performance.now() - this.startedAt;
      let seconds = this.startTime[0] + Math.trunc(elapsed / 1000);
      let nanos = this.startTime[1] + Math.round((elapsed % 1000) * 1e6);
      if (nanos >= 1e9) {
        nanos -= 1e9;
        seconds += 1;
      }
      return [seconds, nanos];
    }
    if (typeof input === 'number') return millisToHrTime(input <= performance.now() ? input + this.clockOffset : input);
    return timeInputToHrTime(input);
  }

  /** Attributes of an event or link, at most `countLimit` of them, each value truncated. */
  private limited(given: Attributes | undefined, countLimit: number | undefined): { attributes: Attributes; droppedAttributesCount: number } {
    const sanitized = sanitizeAttributes(given);
    const attributes: Attributes = {};
    let droppedAttributesCount = 0;
    let count = 0;
    for (const key in sanitized) {
      if (!Object.prototype.hasOwnProperty.call(sanitized, key)) continue;
      if (countLimit !== undefined && count >= countLimit) {
        droppedAttributesCount++;
        continue;
      }
      attributes[key] = this.truncated(sanitized[key]!);
      count++;
    }
    return { attributes, droppedAttributesCount };
  }

  /** The SDK's _truncateToSize: strings cut to the limit, arrays copied (even without a limit). */
  private truncated(value: AttributeValue): AttributeValue {
    const limit = this.tracer.limits.attributeValueLengthLimit ?? 0;
    if (limit <= 0) {
      diag.warn(`Attribute value limit must be positive, got ${limit}`);
      return value;
    }
    if (typeof value === 'string') return value.length > limit ? value.substring(0, limit) : value;
    if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' && item.length > limit ? item.substring(0, limit) : item)) as AttributeValue;
    return value;
  }
}
