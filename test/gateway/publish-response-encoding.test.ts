// The gateway's own encoding of Publish and PublishStream responses (gateway/publish-response-encoding.ts)
// against proto-loader's serializers, which it replaces on the server: the same bytes for every
// response the generated input types allow, on edge cases and seeded random ones.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodePublishResponse } from '../../gateway/publish-response-encoding.ts';
import type { PublishResponse } from '../../generated/ts/relay/v1/PublishResponse.ts';
import type { PublishResult } from '../../generated/ts/relay/v1/PublishResult.ts';
import type { PublishStreamResponse } from '../../generated/ts/relay/v1/PublishStreamResponse.ts';
import { loadRelayProto } from '../../proto/load.ts';
import { randomString, seeded } from '../helpers/random.ts';

const test = suite('Publish response encoding');

const { service } = loadRelayProto().relay.PublisherService!;
const protoLoaderSerialize = service.Publish!.responseSerialize as (response: PublishResponse) => Buffer;
const protoLoaderSerializeStream = service.PublishStream!.responseSerialize as (response: PublishStreamResponse) => Buffer;

function assertSameAsProtoLoader(response: PublishResponse, what: string): void {
  const expected = protoLoaderSerialize(response);
  const actual = encodePublishResponse(response);
  assert.is(actual.toString('hex'), expected.toString('hex'), what);
  // The same results as a PublishStream response: the same bytes.
  assert.is(encodePublishResponse(response as PublishStreamResponse).toString('hex'), protoLoaderSerializeStream(response).toString('hex'), `${what} (stream)`);
}

function assertStreamSameAsProtoLoader(response: PublishStreamResponse, what: string): void {
  assert.is(encodePublishResponse(response).toString('hex'), protoLoaderSerializeStream(response).toString('hex'), what);
}

test('edge cases: no results, absent and null fields, defaults, long and non-ASCII ids', () => {
  const cases: [string, PublishResponse][] = [
    ['empty response', {}],
    ['results null', { results: null as never }],
    ['no results', { results: [] }],
    ['one stored', { results: [{ messageId: '1732467000000-0', duplicate: false }] }],
    ['one duplicate', { results: [{ messageId: '1732467000000-17', duplicate: true }] }],
    ['an empty result', { results: [{}] }],
    ['null fields', { results: [{ messageId: null as never, duplicate: null as never }] }],
    ['empty id', { results: [{ messageId: '' }] }],
    ['only duplicate', { results: [{ duplicate: true }] }],
    ['the longest stream id', { results: [{ messageId: `${'9'.repeat(19)}-${'9'.repeat(19)}`, duplicate: true }] }],
    ['a result of 128 bytes and more (two length bytes)', { results: [{ messageId: 'x'.repeat(126) }, { messageId: 'y'.repeat(300), duplicate: false }] }],
    ['39 and 40 UTF-16 units, lone surrogates', { results: [{ messageId: `${'a'.repeat(38)}\ud800` }, { messageId: `${'a'.repeat(39)}\ud800` }] }],
    ['non-ASCII', { results: [{ messageId: 'äöü日本語🚀' }] }],
  ];
  for (const [what, response] of cases) assertSameAsProtoLoader(response, what);
});

test('PublishStream responses: statuses as the gateway answers them, and the numbers at their edges', () => {
  const cases: [string, PublishStreamResponse][] = [
    ['published', { results: [{ messageId: '1732467000000-0', duplicate: false }] }],
    ['failed', { statusCode: 3, statusMessage: 'topic must match ^[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}$' }],
    ['refused with a retry delay', { statusCode: 8, statusMessage: 'anonymous is over its publish rate', retryAfterMs: 250 }],
    ['code 0 set', { results: [], statusCode: 0 }],
    ['null fields', { statusCode: null as never, statusMessage: null as never, retryAfterMs: null as never }],
    ['empty message', { statusCode: 14, statusMessage: '' }],
    ['non-ASCII message', { statusCode: 6, statusMessage: 'äöü日本語🚀' }],
    ['negative code (ten bytes)', { statusCode: -1 }],
    ['int32 and uint32 edges', { statusCode: 2 ** 31 - 1, retryAfterMs: 2 ** 32 - 1 }],
    ['beyond them', { statusCode: 2 ** 31, retryAfterMs: 2 ** 32 + 5 }],
    ['fractions', { statusCode: 3.7, retryAfterMs: 999.9 }],
  ];
  for (const [what, response] of cases) assertStreamSameAsProtoLoader(response, what);
  const random = seeded(77);
  for (let n = 0; n < 1000; n++) {
    const response: PublishStreamResponse = {};
    if (random() < 0.5) response.results = [{ messageId: randomString(random, 40), duplicate: random() < 0.5 }];
    if (random() < 0.7) response.statusCode = Math.floor(random() * 17);
    if (random() < 0.5) response.statusMessage = randomString(random, random() < 0.8 ? 40 : 300);
    if (random() < 0.3) response.retryAfterMs = Math.floor(random() * 100_000);
    assertStreamSameAsProtoLoader(response, `stream response ${n}`);
  }
});

test('a batch of 1000 results as the gateway answers it', () => {
  const results: PublishResult[] = Array.from({ length: 1000 }, (_, i) => ({ messageId: `${1732467000000 + i}-${i % 7}`, duplicate: i % 3 === 0 }));
  assertSameAsProtoLoader({ results }, '1000 results');
});

test('seeded random responses', () => {
  const random = seeded(4242);
  for (let n = 0; n < 2000; n++) {
    const results: PublishResult[] = Array.from({ length: Math.floor(random() * 20) }, () => {
      const result: PublishResult = {};
      if (random() < 0.9) result.messageId = randomString(random, random() < 0.8 ? 40 : 300);
      if (random() < 0.9) result.duplicate = random() < 0.5;
      return result;
    });
    assertSameAsProtoLoader({ results }, `response ${n}`);
  }
});

test.run();
