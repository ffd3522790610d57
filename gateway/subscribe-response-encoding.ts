// Subscribe stream responses as protobuf, written straight from the objects the handlers build. It
// replaces proto-loader's serializer, SubscribeResponse.encode(SubscribeResponse.fromObject(response)),
// whose fromObject first rebuilds the whole object graph (a Long for every Timestamp.seconds, a copy of
// every map). The bytes are exactly protobufjs's for every value of the generated input type
// (test/gateway/subscribe-response-encoding.test.ts compares them), because its rules are followed:
// - a field is written whenever it is neither undefined nor null, also when it holds the default ('',
//   0, empty bytes, an empty message): fromObject copies every field given and encode writes them all;
// - map entries in Object.keys order, key and value always written;
// - int32 fields and enum numbers as ToInt32, negatives as 10-byte varints; an enum name that is not
//   one of the enum's writes nothing;
// - int64 seconds as long.js converts them: numbers saturating, decimal strings as Long.fromString
//   reads them, Long objects by their low and high halves;
// - bytes given as base64 text decoded as protobufjs decodes it;
// - strings below 40 UTF-16 units in protobufjs's own UTF-8 (see ProtoWriter#stringAsProtobufjs).
// Values outside that type (a number for a string, a bigint for seconds), which TypeScript refuses,
// are not coerced as fromObject would. The payload is copied once, into a buffer sized for the
// payloads plus room for the rest. About 0.7 against 2.2 µs per delivery of 1 KiB
// (bench/subscribe-encoding.ts).
import type { Long } from '@grpc/proto-loader';
import type { Delivery } from '../generated/ts/relay/v1/Delivery.ts';
import type { DeadLetterInfo } from '../generated/ts/relay/v1/DeadLetterInfo.ts';
import type { DeliveryReason, DeliveryReason__Output } from '../generated/ts/relay/v1/DeliveryReason.ts';
import type { ReceivedMessage } from '../generated/ts/relay/v1/ReceivedMessage.ts';
import type { SubscribeResponse } from '../generated/ts/relay/v1/SubscribeResponse.ts';
import type { Timestamp } from '../generated/ts/google/protobuf/Timestamp.ts';
import { ProtoWriter, varintSize } from './protobuf-writer.ts';

// Wire tags, (field number << 3) | wire type: 0 varint, 2 length-delimited.
const tag = {
  responseDeliveries: 0x0a,
  responseInvalidReceipts: 0x12,
  deliveryMessage: 0x0a,
  deliveryReceipt: 0x12,
  deliveryAttempt: 0x18,
  deliveryLeaseDeadline: 0x22,
  deliveryReason: 0x28,
  messageId: 0x0a,
  messageData: 0x12,
  messageAttributes: 0x1a,
  messageOrderingKey: 0x22,
  messagePublishTime: 0x2a,
  messageTraceparent: 0x32,
  messageTracestate: 0x3a,
  messageOriginalMessageId: 0x42,
  messageDeadLetter: 0x4a,
  mapKey: 0x0a,
  mapValue: 0x12,
  timestampSeconds: 0x08,
  timestampNanos: 0x10,
  deadLetterSourceTopic: 0x0a,
  deadLetterSubscription: 0x12,
  deadLetterReason: 0x1a,
  deadLetterDeliveryAttempts: 0x20,
} as const;

/** Typed against the generated names, so that a new DeliveryReason fails the type check until added here. */
const deliveryReasonNumber: Record<DeliveryReason__Output, number> = {
  DELIVERY_REASON_UNSPECIFIED: 0,
  DELIVERY_REASON_FIRST: 1,
  DELIVERY_REASON_NACK: 2,
  DELIVERY_REASON_LEASE_EXPIRED: 3,
  DELIVERY_REASON_CONSUMER_LOST: 4,
  DELIVERY_REASON_SEEK: 5,
  DELIVERY_REASON_REDRIVE: 6,
};
/** A Map, so that names inherited from Object.prototype ('toString') are not taken for values. */
const deliveryReasonNumbers = new Map<unknown, number>(Object.entries(deliveryReasonNumber));

/**
 * What a delivery takes besides its payload, for sizing: ids, receipt, trace context, timestamps and
 * a few attributes. Also the guess for the bytes of its two lengths, which both cover the payload: a
 * wrong guess costs one move of the delivery, and only near 16 KiB and 2 MiB.
 */
const deliveryOverheadBytes = 256;

const hasOwn = Object.prototype.hasOwnProperty;

/** The response's protobuf bytes, as a Buffer of exactly their length (grpc-js copies it into its frame). */
export function encodeSubscribeResponse(response: SubscribeResponse): Buffer {
  const { deliveries, invalidReceipts } = response;
  const writer = new ProtoWriter(encodedSizeEstimate(response));
  if (deliveries != null) {
    for (let i = 0; i < deliveries.length; i++) {
      writer.byte(tag.responseDeliveries);
      writeDelivery(writer, deliveries[i]!);
    }
  }
  if (invalidReceipts != null) {
    for (let i = 0; i < invalidReceipts.length; i++) {
      writer.byte(tag.responseInvalidReceipts);
      writer.stringAsProtobufjs(invalidReceipts[i]!);
    }
  }
  return writer.bytes.subarray(0, writer.pos);
}

/** The payloads plus room for everything around them; the writer grows past it if need be. */
function encodedSizeEstimate({ deliveries, invalidReceipts }: SubscribeResponse): number {
  let size = 64;
  if (deliveries != null) {
    for (let i = 0; i < deliveries.length; i++) size += payloadLength(deliveries[i]!) + deliveryOverheadBytes;
  }
  if (invalidReceipts != null) size += invalidReceipts.length * 64;
  return size;
}

function payloadLength(delivery: Delivery): number {
  return delivery.message?.data?.length ?? 0;
}

function writeDelivery(writer: ProtoWriter, delivery: Delivery): void {
  const lengthBytes = varintSize(payloadLength(delivery) + deliveryOverheadBytes);
  const start = writer.begin(lengthBytes);
  if (delivery.message != null) {
    writer.byte(tag.deliveryMessage);
    writeReceivedMessage(writer, delivery.message, lengthBytes);
  }
  if (delivery.receipt != null) {
    writer.byte(tag.deliveryReceipt);
    writer.stringAsProtobufjs(delivery.receipt);
  }
  if (delivery.deliveryAttempt != null) {
    writer.byte(tag.deliveryAttempt);
    writer.int32(delivery.deliveryAttempt);
  }
  if (delivery.leaseDeadline != null) {
    writer.byte(tag.deliveryLeaseDeadline);
    writeTimestamp(writer, delivery.leaseDeadline);
  }
  writeReason(writer, delivery.reason);
  writer.end(start, lengthBytes);
}

/** A name of the enum or any number is written (numbers as protobufjs passes them on); anything else is not. */
function writeReason(writer: ProtoWriter, reason: DeliveryReason | undefined): void {
  const number = typeof reason === 'number' ? reason : deliveryReasonNumbers.get(reason);
  if (number === undefined) return;
  writer.byte(tag.deliveryReason);
  writer.int32(number);
}

function writeReceivedMessage(writer: ProtoWriter, message: ReceivedMessage, lengthBytes: number): void {
  const start = writer.begin(lengthBytes);
  writeString(writer, tag.messageId, message.messageId);
  if (message.data != null) {
    writer.byte(tag.messageData);
    if (typeof message.data === 'string') writeBase64(writer, message.data);
    else writer.bytesField(message.data);
  }
  const attributes = message.attributes;
  if (attributes != null) {
    for (const key in attributes) {
      if (!hasOwn.call(attributes, key)) continue;
      writer.byte(tag.messageAttributes);
      const entry = writer.begin();
      writer.byte(tag.mapKey);
      writer.stringAsProtobufjs(key);
      writer.byte(tag.mapValue);
      writer.stringAsProtobufjs(attributes[key]!);
      writer.end(entry);
    }
  }
  writeString(writer, tag.messageOrderingKey, message.orderingKey);
  if (message.publishTime != null) {
    writer.byte(tag.messagePublishTime);
    writeTimestamp(writer, message.publishTime);
  }
  writeString(writer, tag.messageTraceparent, message.traceparent);
  writeString(writer, tag.messageTracestate, message.tracestate);
  writeString(writer, tag.messageOriginalMessageId, message.originalMessageId);
  if (message.deadLetter != null) {
    writer.byte(tag.messageDeadLetter);
    writeDeadLetter(writer, message.deadLetter);
  }
  writer.end(start, lengthBytes);
}

function writeString(writer: ProtoWriter, fieldTag: number, value: string | undefined): void {
  if (value == null) return;
  writer.byte(fieldTag);
  writer.stringAsProtobufjs(value);
}

function writeTimestamp(writer: ProtoWriter, timestamp: Timestamp): void {
  // At most two tags and two 10-byte varints: the length takes one byte.
  const start = writer.begin();
  const seconds = timestamp.seconds;
  if (seconds != null) {
    writer.byte(tag.timestampSeconds);
    writeInt64(writer, seconds);
  }
  if (timestamp.nanos != null) {
    writer.byte(tag.timestampNanos);
    writer.int32(timestamp.nanos);
  }
  writer.end(start);
}

/** As long.js's Long.fromValue takes an int64 (protobufjs's fromObject calls it). */
function writeInt64(writer: ProtoWriter, value: number | string | Long): void {
  if (typeof value === 'number') writer.int64(value);
  else if (typeof value === 'string') writer.int64Decimal(value);
  else writer.varint64(value.low >>> 0, value.high >>> 0);
}

function writeDeadLetter(writer: ProtoWriter, deadLetter: DeadLetterInfo): void {
  const start = writer.begin();
  writeString(writer, tag.deadLetterSourceTopic, deadLetter.sourceTopic);
  writeString(writer, tag.deadLetterSubscription, deadLetter.subscription);
  writeString(writer, tag.deadLetterReason, deadLetter.reason);
  if (deadLetter.deliveryAttempts != null) {
    writer.byte(tag.deadLetterDeliveryAttempts);
    writer.int32(deadLetter.deliveryAttempts);
  }
  writer.end(start);
}

/** protobufjs's base64 alphabet (no URL-safe letters), by character code; -1 for anything else. */
const base64Values = new Int8Array(128).fill(-1);
for (const [value, letter] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  base64Values[letter.charCodeAt(0)] = value;
}

/**
 * Bytes given as base64 text, as protobufjs decodes them: its length formula (which counts at most two
 * '=' at the end), a stop at '=' after two or more characters of a quantum, and 'invalid encoding' for
 * anything outside the alphabet. Where that formula gives more bytes than the text holds ('QQ=A',
 * text after the padding), protobufjs leaves the rest of its buffer uninitialised; here it is zeros.
 */
function writeBase64(writer: ProtoWriter, text: string): void {
  const length = base64DecodedLength(text);
  writer.varint(length);
  writer.reserve(length);
  const bytes = writer.bytes;
  let at = writer.pos;
  let quantum = 0;
  let carried = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3d && quantum > 1) break;
    const value = code < 128 ? base64Values[code]! : -1;
    if (value < 0) throw new Error('invalid encoding');
    if (quantum === 1) bytes[at++] = (carried << 2) | ((value & 48) >> 4);
    else if (quantum === 2) bytes[at++] = ((carried & 15) << 4) | ((value & 60) >> 2);
    else if (quantum === 3) bytes[at++] = ((carried & 3) << 6) | value;
    carried = value;
    quantum = (quantum + 1) & 3;
  }
  if (quantum === 1) throw new Error('invalid encoding');
  bytes.fill(0, at, writer.pos + length);
  writer.pos += length;
}

/** protobufjs's util.base64.length, truncated as Buffer.allocUnsafe truncates it. */
function base64DecodedLength(text: string): number {
  if (text.length === 0) return 0;
  let padding = 0;
  for (let p = text.length - 1; p % 4 > 1 && text.charCodeAt(p) === 0x3d; p--) padding++;
  return Math.floor((text.length * 3) / 4 - padding);
}
