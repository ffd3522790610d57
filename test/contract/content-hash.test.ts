// An idempotency key stores its message's content hash; a retry within the dedup window is compared
// with it, also across a gateway upgrade. So the hash must stay what it was: the first 8 bytes of
// SHA-256 over the data, then per attribute (in key order) NUL key NUL value, then NUL NUL ordering key.
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { contentHash } from '../../adapters/content-hash.ts';
import type { OutgoingMessage } from '../../adapters/store.ts';
import { randomString, seeded } from '../helpers/random.ts';

const test = suite('content hash');

function expected(message: OutgoingMessage): Buffer {
  const sha = createHash('sha256').update(message.data);
  for (const key of Object.keys(message.attributes).sort()) sha.update(`\0${key}\0${message.attributes[key]}`);
  return sha.update(`\0\0${message.orderingKey}`).digest().subarray(0, 8);
}

function message(data: Buffer, attributes: Record<string, string> = {}, orderingKey = ''): OutgoingMessage {
  return { data, attributes, orderingKey, idempotencyKey: 'k', traceparent: '', tracestate: '' };
}

test('the digest of data, sorted attributes and ordering key, at every payload size the gateway takes', () => {
  const random = seeded(7);
  for (const size of [0, 1, 1024, 4095, 4096, 5000, 64 * 1024, 64 * 1024 + 1, 1024 * 1024]) {
    const data = Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
    for (const [attributes, orderingKey] of [[{}, ''], [{ b: '2', a: '1' }, 'customer-7'], [{ [randomString(random, 30)]: randomString(random, 300) }, randomString(random, 30)]] as const) {
      assert.equal(contentHash(message(data, attributes, orderingKey)), expected(message(data, attributes, orderingKey)), `${size} bytes`);
    }
  }
});

test('one call after another: nothing of a longer message is left in the next one', () => {
  const random = seeded(11);
  for (let i = 0; i < 300; i++) {
    const data = Buffer.from(randomString(random, random() < 0.1 ? 9000 : 200));
    const attributes = Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [randomString(random, 10), randomString(random, 40)]));
    const sample = message(data, attributes, randomString(random, 20));
    assert.equal(contentHash(sample), expected(sample));
  }
  assert.not.equal(contentHash(message(Buffer.from('a'), { k: 'v' })), contentHash(message(Buffer.from('a'), { k: 'w' })));
});

test.run();
