import { createHash, hash } from 'node:crypto';
import type { OutgoingMessage } from './store.ts';

/** Payloads up to this size are hashed in one call on a copy: cheaper than a streaming Hash object. */
const oneShotBytes = 64 * 1024;

/** Where that copy is made: hashing is synchronous, so one buffer serves every call (no allocation per message). */
let scratch = Buffer.allocUnsafe(4096);

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
  const { data } = message;
  if (data.length > oneShotBytes) return createHash('sha256').update(data).update(rest).digest().subarray(0, 8);
  const size = data.length + Buffer.byteLength(rest);
  if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, 2 * scratch.length));
  data.copy(scratch, 0);
  scratch.write(rest, data.length);
  return hash('sha256', scratch.subarray(0, size), 'buffer').subarray(0, 8);
}
