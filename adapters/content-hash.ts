import { createHash } from 'node:crypto';
import type { OutgoingMessage } from './store.ts';

/**
 * What an idempotency key remembers of its message's content: data, attributes (in key order) and
 * ordering key. 12 bytes of SHA-256 keep the stored key small; a collision needs 2^48 tries.
 */
export function contentHash(message: OutgoingMessage): string {
  const hash = createHash('sha256').update(message.data);
  for (const key of Object.keys(message.attributes).sort()) {
    hash.update(`\0${key}\0${message.attributes[key]}`);
  }
  hash.update(`\0\0${message.orderingKey}`);
  return hash.digest('base64url').slice(0, 16);
}
