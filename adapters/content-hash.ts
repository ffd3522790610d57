import { createHash, hash } from 'node:crypto';
import type { OutgoingMessage } from './store.ts';

/** Payloads up to this size are hashed in one call on a copy: cheaper than a streaming Hash object. */
const oneShotBytes = 64 * 1024;

/**
 * What an idempotency key remembers of its message's content: data, attributes (in key order) and
 * ordering key. 8 bytes of SHA-256 keep the stored key small; telling two contents apart by chance
 * needs 2^32 of them under one key.
 */
export function contentHash(message: OutgoingMessage): Buffer {
  const keys = Object.keys(message.attributes);
  let rest = '';
  for (const key of keys.length > 1 ? keys.sort() : keys) rest += `\0${key}\0${message.attributes[key]}`;
  rest += `\0\0${message.orderingKey}`;
  const digest =
    message.data.length <= oneShotBytes
      ? hash('sha256', Buffer.concat([message.data, Buffer.from(rest)]), 'buffer')
      : createHash('sha256').update(message.data).update(rest).digest();
  return digest.subarray(0, 8);
}
