import { status } from '@grpc/grpc-js';
import type { OutgoingMessage } from '../adapters/store.ts';
import type { Config } from './config.ts';
import { RequestError } from './status.ts';
import type { PublishMessage__Output } from '../generated/ts/relay/v1/PublishMessage.ts';
import type { Duration__Output } from '../generated/ts/google/protobuf/Duration.ts';

const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}$/;
/** Longest ordering and idempotency keys, in bytes. */
const maxKeyBytes = 256;

function invalid(message: string): never {
  throw new RequestError(status.INVALID_ARGUMENT, message);
}

/** Topic and subscription names: ^[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}$. */
export function checkName(kind: 'topic' | 'subscription' | 'dead-letter topic', name: string): string {
  if (!name) invalid(`${kind} name is required`);
  if (!namePattern.test(name)) invalid(`${kind} name ${JSON.stringify(name.slice(0, 210))} must match ${namePattern.source}`);
  return name;
}

/** A Duration as milliseconds within [minMs, maxMs]. */
export function durationMs(duration: Duration__Output, field: string, minMs: number, maxMs: number): number {
  const ms = Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1e6);
  if (!Number.isFinite(ms) || duration.nanos < 0 || ms < minMs || ms > maxMs) {
    invalid(`${field} must be from ${minMs / 1000} s to ${maxMs / 1000} s`);
  }
  return ms;
}

const messageIdPattern = /^\d{1,19}-\d{1,19}$/;

/** Message ids are `<ms>-<seq>`. */
export function checkMessageId(id: string): string {
  if (!messageIdPattern.test(id)) invalid(`message id ${JSON.stringify(id.slice(0, 50))} must look like <ms>-<seq>`);
  return id;
}

/** Nack and reject reasons are kept with the message: at most 1 KiB. */
export function checkReason(reason: string): string {
  if (Buffer.byteLength(reason) > 1024) invalid('reason exceeds 1024 bytes');
  return reason;
}

/** Receipts per settlement call: 1 to the batch limit. */
export function checkReceiptCount(receipts: readonly string[], max: number): void {
  if (receipts.length === 0) invalid('at least one receipt is required');
  if (receipts.length > max) throw new RequestError(status.RESOURCE_EXHAUSTED, `at most ${max} receipts per call`);
}

export function pageSize(requested: number): number {
  if (requested < 0 || requested > 1000) invalid('page_size must be from 0 to 1000');
  return requested || 100;
}

/** The W3C trace context a publisher sent, kept only when well-formed (as W3C says to treat bad ones). */
export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate: string;
}

const traceparentPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function traceContext(traceparent: unknown, tracestate: unknown): TraceContext {
  if (typeof traceparent !== 'string' || !traceparentPattern.test(traceparent)) return { traceparent: '', tracestate: '' };
  return { traceparent, tracestate: typeof tracestate === 'string' && tracestate.length <= 512 ? tracestate : '' };
}

/** Checks a Publish batch against every limit and turns it into store messages. */
export function toOutgoing(messages: readonly PublishMessage__Output[], config: Config, trace: TraceContext): OutgoingMessage[] {
  if (messages.length === 0) invalid('at least one message is required');
  if (messages.length > config.maxBatchMessages) {
    throw new RequestError(status.RESOURCE_EXHAUSTED, `at most ${config.maxBatchMessages} messages per Publish`);
  }
  let batchBytes = 0;
  const outgoing = messages.map((message, index): OutgoingMessage => {
    const where = `message ${index}`;
    if (message.data.length > config.maxPayloadBytes) invalid(`${where}: payload exceeds ${config.maxPayloadBytes} bytes`);
    const attributes = Object.entries(message.attributes);
    if (attributes.length > config.maxAttributes) invalid(`${where}: more than ${config.maxAttributes} attributes`);
    let bytes = message.data.length;
    for (const [key, value] of attributes) {
      const keyBytes = Buffer.byteLength(key);
      const valueBytes = Buffer.byteLength(value);
      if (keyBytes === 0) invalid(`${where}: attribute keys must not be empty`);
      if (keyBytes > config.maxAttributeKeyBytes) invalid(`${where}: attribute key exceeds ${config.maxAttributeKeyBytes} bytes`);
      if (valueBytes > config.maxAttributeValueBytes) {
        invalid(`${where}: attribute ${JSON.stringify(key)} exceeds ${config.maxAttributeValueBytes} bytes`);
      }
      bytes += keyBytes + valueBytes;
    }
    if (Buffer.byteLength(message.orderingKey) > maxKeyBytes) invalid(`${where}: ordering key exceeds ${maxKeyBytes} bytes`);
    if (Buffer.byteLength(message.idempotencyKey) > maxKeyBytes) invalid(`${where}: idempotency key exceeds ${maxKeyBytes} bytes`);
    batchBytes += bytes + message.orderingKey.length + message.idempotencyKey.length;
    return {
      data: message.data,
      attributes: message.attributes,
      orderingKey: message.orderingKey,
      idempotencyKey: message.idempotencyKey,
      traceparent: trace.traceparent,
      tracestate: trace.tracestate,
    };
  });
  if (batchBytes > config.maxBatchBytes) {
    throw new RequestError(status.RESOURCE_EXHAUSTED, `a Publish carries at most ${config.maxBatchBytes} bytes`);
  }
  return outgoing;
}
