import { createHash } from 'node:crypto';
import type { OutgoingMessage } from './store.ts';

/**
 * What an idempotency key remembers of its message's content: data, attributes (in key order) and
 * ordering key. 8 bytes of SHA-256 keep the stored key small; telling two contents apart by chance
 * needs 2^32 of them under one key.
 */
export function contentHash(message: OutgoingMessage): Buffer {
  // Streamed, so the payload is not copied.
  const hash = createHash('sha256').update(message.data);
  const keys = Object.keys(message.attributes);
  for (const key of keys.length > 1 ? keys.sort() : keys) hash.update(`\0${key}\0${message.attributes[key]}`);
  hash.update(`\0\0${message.orderingKey}`);
  return hash.digest().subarray(0, 8);
}
