// Finished spans as OTLP protobuf (opentelemetry/proto/trace/v1/trace.proto), encoded the moment
// they end so that the SDK's span objects die young, then wrapped into one ExportTraceServiceRequest
// per batch. The bytes are exactly those of @opentelemetry/otlp-transformer's ProtobufTraceSerializer
// (same fields, order, grouping and number rules; test/gateway/otlp-encoding.test.ts compares them),
// written in one pass: no size-estimating pass, attribute keys encoded once, short strings and hex ids
// written byte by byte (cheaper than a native call below ~20 characters), long ones by Buffer#write.
import type { Attributes, HrTime, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ProtoWriter, shortStringLength, varintSize } from '../protobuf-writer.ts';
import { repeatedValueKeys } from './names.ts';

/** Each span message gets this many bytes for its length up front (128 B to 16 KiB: most spans). */
const spanLengthBytes = 2;

/** One hex digit's value; anything else gets what the SDK's hexToBinary gives it, for identical bytes. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}

/** The byte of each pair of ASCII characters, at (first << 7) | second: one load per byte of an id. */
const hexPairs = new Uint8Array(128 * 128);
for (let first = 0; first < 128; first++) {
  for (let second = 0; second < 128; second++) hexPairs[(first << 7) | second] = (nibble(first) << 4) | nibble(second);
}

// Wire tags, (field number << 3) | wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
const tag = {
  requestResourceSpans: 0x0a,
  resourceSpansResource: 0x0a,
  resourceSpansScopeSpans: 0x12,
  resourceSpansSchemaUrl: 0x1a,
  resourceAttributes: 0x0a,
  resourceDroppedAttributesCount: 0x10,
  scopeSpansScope: 0x0a,
  scopeSpansSpans: 0x12,
  scopeSpansSchemaUrl: 0x1a,
  scopeName: 0x0a,
  scopeVersion: 0x12,
  scopeAttributes: 0x1a,
  scopeDroppedAttributesCount: 0x20,
  spanTraceId: 0x0a,
  spanSpanId: 0x12,
  spanTraceState: 0x1a,
  spanParentSpanId: 0x22,
  spanName: 0x2a,
  spanKind: 0x30,
  spanStartTime: 0x39,
  spanEndTime: 0x41,
  spanAttributes: 0x4a,
  spanDroppedAttributesCount: 0x50,
  spanEvents: 0x5a,
  spanDroppedEventsCount: 0x60,
  spanLinks: 0x6a,
  spanDroppedLinksCount: 0x70,
  spanStatus: 0x7a,
  /** Field 16 takes two bytes: 0x85 0x01. */
  spanFlags: 0x85,
  eventTime: 0x09,
  eventName: 0x12,
  eventAttributes: 0x1a,
  eventDroppedAttributesCount: 0x20,
  linkTraceId: 0x0a,
  linkSpanId: 0x12,
  linkTraceState: 0x1a,
  linkAttributes: 0x22,
  linkDroppedAttributesCount: 0x28,
  linkFlags: 0x35,
  statusMessage: 0x12,
  statusCode: 0x18,
  keyValueKey: 0x0a,
  keyValueValue: 0x12,
  anyString: 0x0a,
  anyBool: 0x10,
  anyInt: 0x18,
  anyDouble: 0x21,
  anyArray: 0x2a,
  anyKvlist: 0x32,
  anyBytes: 0x3a,
  arrayValues: 0x0a,
  kvlistValues: 0x0a,
} as const;

// SpanFlags bits 8 and 9: whether the parent's remoteness is known, and whether it was remote.
const flagHasIsRemote = 0x100;
const flagIsRemote = 0x200;

// The int64 range, as the SDK bounds int_value (beyond it, and for fractions, double_value).
const minInt64 = -(2 ** 63);
const maxInt64Exclusive = 2 ** 63;

/** The shared ProtoWriter, plus what only spans need: nanosecond times, hex ids, attributes in one go. */
class OtlpWriter extends ProtoWriter {
  /**
   * Nanoseconds since the epoch as fixed64. seconds * 1e9 = seconds * 1953125 * 2^9, and
   * seconds * 1953125 stays below 2^53 (exact) for any seconds below 2^32, the year 2106.
   */
  time(time: HrTime): void {
    this.reserve(8);
    const scaled = time[0] * 1953125;
    const low = (scaled % 0x800000) * 512 + time[1];
    const carry = Math.floor(low / 0x100000000);
    this.uint32At(this.pos, low >>> 0);
    this.uint32At(this.pos + 4, (Math.floor(scaled / 0x800000) + carry) >>> 0);
    this.pos += 8;
  }

  /**
   * The common attribute, an ASCII string, in one go: KeyValue's length, key, value tag and AnyValue
   * with its string_value, every length one byte. Answers false, having written nothing, when the
   * value does not fit that shape.
   */
  asciiKeyValue(encodedKey: Uint8Array, value: string): boolean {
    const length = value.length;
    const keyValueLength = encodedKey.length + 4 + length;
    if (keyValueLength >= 0x80) return false;
    // Room for any UTF-8 of the value: Buffer#write then tells ASCII by writing one byte per unit.
    this.reserve(1 + keyValueLength + 2 * length);
    const start = this.pos;
    const valueAt = start + 1 + keyValueLength - length;
    const end =
      length <= shortStringLength ? this.asciiAt(valueAt, value) : this.bytes.write(value, valueAt, 'utf8') === length ? valueAt + length : -1;
    if (end < 0) return false;
    const bytes = this.bytes;
    bytes[start] = keyValueLength;
    bytes.set(encodedKey, start + 1);
    let at = start + 1 + encodedKey.length;
    bytes[at++] = tag.keyValueValue;
    bytes[at++] = length + 2;
    bytes[at++] = tag.anyString;
    bytes[at] = length;
    this.pos = end;
    return true;
  }

  /**
   * KeyValue's length, key, value tag and AnyValue's length, for an AnyValue of `anyValueLength`
   * bytes that the caller writes next; false, having written nothing, if a length needs two bytes.
   */
  keyValueHead(encodedKey: Uint8Array, anyValueLength: number): boolean {
    const keyValueLength = encodedKey.length + 2 + anyValueLength;
    if (keyValueLength >= 0x80) return false;
    this.reserve(1 + keyValueLength);
    const bytes = this.bytes;
    let at = this.pos;
    bytes[at++] = keyValueLength;
    bytes.set(encodedKey, at);
    at += encodedKey.length;
    bytes[at++] = tag.keyValueValue;
    bytes[at++] = anyValueLength;
    this.pos = at;
    return true;
  }

  /** A hex id as bytes, length-prefixed. */
  hexId(hex: string): void {
    const length = hex.length >>> 1;
    this.reserve(5 + length);
    this.varint(length);
    const bytes = this.bytes;
    let at = this.pos;
    for (let i = 0; i < 2 * length; i += 2) {
      const first = hex.charCodeAt(i);
      const second = hex.charCodeAt(i + 1);
      bytes[at++] = (first | second) < 128 ? hexPairs[(first << 7) | second]! : (nibble(first) << 4) | nibble(second);
    }
    this.pos = at;
  }
}

/**
 * An attribute key seen: the bytes of its KeyValue.key (tag, length, UTF-8), and for a key of
 * Relay's whose values repeat span after span (system, operation, destination, subscription, reason,
 * outcome: a few per topic and subscription) the whole KeyValue of each value seen, to be copied in
 * one go. Values that differ every time (message ids) are never kept.
 */
interface KnownKey {
  readonly bytes: Buffer;
  readonly keyValues: Map<string, Buffer> | undefined;
}

/** Attribute keys seen; cleared when full, as is a key's map of values. */
const knownKeys = new Map<string, KnownKey>();
const knownLimit = 1024;

function knownKey(key: string): KnownKey {
  let known = knownKeys.get(key);
  if (known === undefined) {
    const writer = new OtlpWriter(8 + 3 * key.length);
    writer.byte(tag.keyValueKey);
    writer.string(key);
    known = { bytes: Buffer.from(writer.bytes.subarray(0, writer.pos)), keyValues: repeatedValueKeys.has(key) ? new Map() : undefined };
    if (knownKeys.size >= knownLimit) knownKeys.clear();
    knownKeys.set(key, known);
  }
  return known;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Repeated KeyValue under `fieldTag`, in for-in order, own properties only (as the SDK iterates). */
function writeAttributes(writer: OtlpWriter, fieldTag: number, attributes: Attributes): void {
  for (const key in attributes) {
    if (!hasOwn.call(attributes, key)) continue;
    writer.byte(fieldTag);
    writeKeyValue(writer, key, attributes[key]);
  }
}

function writeKeyValue(writer: OtlpWriter, key: string, value: unknown): void {
  const { bytes, keyValues } = knownKey(key);
  if (keyValues === undefined || typeof value !== 'string') {
    writeNewKeyValue(writer, bytes, value);
    return;
  }
  const keyValue = keyValues.get(value);
  if (keyValue !== undefined) {
    writer.raw(keyValue);
    return;
  }
  const start = writer.pos;
  writeNewKeyValue(writer, bytes, value);
  if (keyValues.size >= knownLimit) keyValues.clear();
  keyValues.set(value, Buffer.from(writer.bytes.subarray(start, writer.pos)));
}

function writeNewKeyValue(writer: OtlpWriter, keyBytes: Buffer, value: unknown): void {
  // Relay's attributes are ASCII strings, small integers and booleans: lengths known up front.
  if (typeof value === 'string') {
    if (writer.asciiKeyValue(keyBytes, value)) return;
  } else if (typeof value === 'boolean') {
    if (writer.keyValueHead(keyBytes, 2)) {
      writer.byte(tag.anyBool);
      writer.byte(value ? 1 : 0);
      return;
    }
  } else if (typeof value === 'number' && value >= 0 && value <= 0xffffffff && Number.isInteger(value)) {
    if (writer.keyValueHead(keyBytes, 1 + varintSize(value))) {
      writer.byte(tag.anyInt);
      writer.varint(value);
      return;
    }
  }
  const keyValue = writer.begin();
  writer.raw(keyBytes);
  writer.byte(tag.keyValueValue);
  const anyValue = writer.begin();
  writeAnyValue(writer, value);
  writer.end(anyValue);
  writer.end(keyValue);
}

/** An AnyValue's fields; null, undefined and other types leave it empty, as the SDK does. */
function writeAnyValue(writer: OtlpWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      writer.byte(tag.anyString);
      writer.string(value);
      return;
    case 'boolean':
      writer.byte(tag.anyBool);
      writer.byte(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= minInt64 && value < maxInt64Exclusive) {
        writer.byte(tag.anyInt);
        writer.varint(value);
      } else {
        writer.byte(tag.anyDouble);
        writer.double(value);
      }
      return;
    case 'object':
      break;
    default:
      return;
  }
  if (value instanceof Uint8Array) {
    writer.byte(tag.anyBytes);
    writer.bytesField(value);
  } else if (Array.isArray(value)) {
    writer.byte(tag.anyArray);
    const array = writer.begin();
    for (const item of value) {
      writer.byte(tag.arrayValues);
      const itemValue = writer.begin();
      writeAnyValue(writer, item);
      writer.end(itemValue);
    }
    writer.end(array);
  } else if (value !== null) {
    writer.byte(tag.anyKvlist);
    const kvlist = writer.begin();
    writeAttributes(writer, tag.kvlistValues, value as Attributes);
    writer.end(kvlist);
  }
}

function spanFlags(context: SpanContext | undefined, traceFlags: number): number {
  return (traceFlags & 0xff) | flagHasIsRemote | (context?.isRemote ? flagIsRemote : 0);
}

/** One Span message, with its ScopeSpans.spans tag and length. */
function writeSpan(writer: OtlpWriter, span: ReadableSpan): void {
  const context = span.spanContext();
  writer.byte(tag.scopeSpansSpans);
  const message = writer.begin(spanLengthBytes);
  writer.byte(tag.spanTraceId);
  writer.hexId(context.traceId);
  writer.byte(tag.spanSpanId);
  writer.hexId(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.byte(tag.spanTraceState);
    writer.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    writer.byte(tag.spanParentSpanId);
    writer.hexId(parent.spanId);
  }
  writer.byte(tag.spanName);
  writer.string(span.name);
  // OTLP's SpanKind counts from SPAN_KIND_UNSPECIFIED = 0; the API's from INTERNAL = 0.
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    writer.byte(tag.spanKind);
    writer.varint(kind);
  }
  writer.byte(tag.spanStartTime);
  writer.time(span.startTime);
  writer.byte(tag.spanEndTime);
  writer.time(span.endTime);
  if (span.attributes) writeAttributes(writer, tag.spanAttributes, span.attributes);
  writer.byte(tag.spanDroppedAttributesCount);
  writer.varint(span.droppedAttributesCount);
  // Index loops: an array iterator here was a tenth of what tracing allocated per span.
  const { events, links } = span;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    writer.byte(tag.spanEvents);
    const eventMessage = writer.begin();
    writer.byte(tag.eventTime);
    writer.time(event.time);
    writer.byte(tag.eventName);
    writer.string(event.name);
    if (event.attributes) writeAttributes(writer, tag.eventAttributes, event.attributes);
    writer.byte(tag.eventDroppedAttributesCount);
    writer.varint(event.droppedAttributesCount || 0);
    writer.end(eventMessage);
  }
  writer.byte(tag.spanDroppedEventsCount);
  writer.varint(span.droppedEventsCount);
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    writer.byte(tag.spanLinks);
    const linkMessage = writer.begin();
    const linked = link.context;
    writer.byte(tag.linkTraceId);
    writer.hexId(linked.traceId);
    writer.byte(tag.linkSpanId);
    writer.hexId(linked.spanId);
    const linkedTraceState = linked.traceState?.serialize();
    if (linkedTraceState) {
      writer.byte(tag.linkTraceState);
      writer.string(linkedTraceState);
    }
    if (link.attributes) writeAttributes(writer, tag.linkAttributes, link.attributes);
    writer.byte(tag.linkDroppedAttributesCount);
    writer.varint(link.droppedAttributesCount || 0);
    writer.byte(tag.linkFlags);
    writer.fixed32(spanFlags(linked, linked.traceFlags));
    writer.end(linkMessage);
  }
  writer.byte(tag.spanDroppedLinksCount);
  writer.varint(span.droppedLinksCount);
  writer.byte(tag.spanStatus);
  const status = writer.begin();
  if (span.status.message) {
    writer.byte(tag.statusMessage);
    writer.string(span.status.message);
  }
  writer.byte(tag.statusCode);
  writer.varint(span.status.code);
  writer.end(status);
  writer.byte(tag.spanFlags);
  writer.byte(0x01);
  writer.fixed32(spanFlags(parent, context.traceFlags));
  writer.end(message, spanLengthBytes);
}

/** Scopes as the SDK may one day fill them in: the serializer already writes these fields. */
type ScopeWithAttributes = InstrumentationScope & { readonly attributes?: Attributes; readonly droppedAttributesCount?: number };

/** The Resource message, with its ResourceSpans.resource tag and length. */
function writeResource(writer: OtlpWriter, resource: Resource): void {
  writer.byte(tag.resourceSpansResource);
  const message = writer.begin();
  if (resource.attributes) writeAttributes(writer, tag.resourceAttributes, resource.attributes);
  // The SDK tracks no dropped resource attributes and always writes 0.
  writer.byte(tag.resourceDroppedAttributesCount);
  writer.byte(0);
  writer.end(message);
}

/** The InstrumentationScope message, with its ScopeSpans.scope tag and length. */
function writeScope(writer: OtlpWriter, scope: ScopeWithAttributes): void {
  writer.byte(tag.scopeSpansScope);
  const message = writer.begin();
  writer.byte(tag.scopeName);
  writer.string(scope.name);
  if (scope.version) {
    writer.byte(tag.scopeVersion);
    writer.string(scope.version);
  }
  if (scope.attributes) writeAttributes(writer, tag.scopeAttributes, scope.attributes);
  if (scope.droppedAttributesCount) {
    writer.byte(tag.scopeDroppedAttributesCount);
    writer.varint(scope.droppedAttributesCount);
  }
  writer.end(message);
}

/** A schema_url field under `fieldTag`, or nothing when there is none. */
function writeSchemaUrl(writer: OtlpWriter, fieldTag: number, schemaUrl: string | undefined): void {
  if (!schemaUrl) return;
  writer.byte(fieldTag);
  writer.string(schemaUrl);
}

/** Where a piece of the envelope lies in the envelope's scratch writer. */
interface Piece {
  readonly start: number;
  readonly end: number;
}

function piece(writer: OtlpWriter, write: () => void): Piece {
  const start = writer.pos;
  write();
  return { start, end: writer.pos };
}

const pieceLength = (part: Piece) => part.end - part.start;

/** First span of a scope's group gets this much room; the buffer doubles as spans follow. */
const initialScopeBytes = 16 * 1024;
/**
 * Buffers of batches already turned into requests, kept for the next batches (a few per scope, at
 * their grown size) so that steady batching allocates only the requests themselves.
 */
const spareWriters: OtlpWriter[] = [];
const spareWritersLimit = 8;

/**
 * Spans encoded as they end, grouped by resource and then by instrumentation scope, each group in
 * the order first seen and compared by identity, as the SDK's serializer groups a batch.
 */
export class EncodedSpanBatch {
  /** Spans added. */
  spanCount = 0;
  private readonly groups = new Map<Resource, Map<InstrumentationScope, OtlpWriter>>();

  /** Encodes the span into its group; when that throws, the batch is left as it was. */
  add(span: ReadableSpan): void {
    let scopes = this.groups.get(span.resource);
    if (scopes === undefined) {
      scopes = new Map();
      this.groups.set(span.resource, scopes);
    }
    let spans = scopes.get(span.instrumentationScope);
    if (spans === undefined) {
      spans = spareWriters.pop() ?? new OtlpWriter(initialScopeBytes);
      scopes.set(span.instrumentationScope, spans);
    }
    const start = spans.pos;
    try {
      writeSpan(spans, span);
    } catch (error) {
      spans.pos = start;
      if (start === 0) scopes.delete(span.instrumentationScope);
      if (scopes.size === 0) this.groups.delete(span.resource);
      throw error;
    }
    this.spanCount++;
  }

  /** The resources of the spans added (the exporter waits for their asynchronous attributes). */
  resources(): IterableIterator<Resource> {
    return this.groups.keys();
  }

  /**
   * The ExportTraceServiceRequest, once: the batch hands its buffers on to later batches. The small
   * messages around the spans are encoded first, so that every length is known and the spans are
   * copied once, into a buffer of the exact size.
   */
  toRequest(): Uint8Array {
    const envelope = new OtlpWriter(1024);
    const resourceParts = [...this.groups].map(([resource, scopes]) => {
      const head = piece(envelope, () => writeResource(envelope, resource));
      const scopeParts = [...scopes].map(([scope, spans]) => {
        const scopeHead = piece(envelope, () => writeScope(envelope, scope));
        const scopeTail = piece(envelope, () => writeSchemaUrl(envelope, tag.scopeSpansSchemaUrl, scope.schemaUrl));
        return { head: scopeHead, spans, tail: scopeTail, length: pieceLength(scopeHead) + spans.pos + pieceLength(scopeTail) };
      });
      const tail = piece(envelope, () => writeSchemaUrl(envelope, tag.resourceSpansSchemaUrl, resource.schemaUrl));
      const length =
        pieceLength(head) + scopeParts.reduce((sum, part) => sum + 1 + varintSize(part.length) + part.length, 0) + pieceLength(tail);
      return { head, scopeParts, tail, length };
    });
    const total = resourceParts.reduce((sum, part) => sum + 1 + varintSize(part.length) + part.length, 0);
    const request = new OtlpWriter(total);
    const copy = (part: Piece) => request.raw(envelope.bytes.subarray(part.start, part.end));
    for (const resourcePart of resourceParts) {
      request.byte(tag.requestResourceSpans);
      request.varint(resourcePart.length);
      copy(resourcePart.head);
      for (const scopePart of resourcePart.scopeParts) {
        request.byte(tag.resourceSpansScopeSpans);
        request.varint(scopePart.length);
        copy(scopePart.head);
        request.raw(scopePart.spans.bytes.subarray(0, scopePart.spans.pos));
        copy(scopePart.tail);
      }
      copy(resourcePart.tail);
    }
    for (const scopes of this.groups.values()) {
      for (const spans of scopes.values()) {
        spans.pos = 0;
        if (spareWriters.length < spareWritersLimit) spareWriters.push(spans);
      }
    }
    this.groups.clear();
    return request.bytes.subarray(0, request.pos);
  }
}
