import { hash } from 'node:crypto';
import type { OutgoingMessage } from './store.ts';

/**
 * What an idempotency key remembers of its message's content: data, attributes (in key order) and
 * ordering key. 8 bytes of SHA-256 keep the stored key small; telling two contents apart by chance
 * needs 2^32 of them under one key.
 */
export function contentHash(message: OutgoingMessage): Buffer {
  const keys = Object.keys(message.attributes);
  let suffix = '';
  for (const key of keys.length > 1 ? keys.sort() : keys) suffix += `\0${key}\0${message.attributes[key]}`;
  suffix += `\0\0${message.orderingKey}`;
  // One-shot hashing (no Hash object) of payload + suffix.
  return hash('sha256', Buffer.concat([message.data, Buffer.from(suffix)]), 'buffer').subarray(0, 8);
}
