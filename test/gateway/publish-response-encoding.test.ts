// The gateway's own encoding of Publish responses (gateway/publish-response-encoding.ts) against
// proto-loader's serializer, which it replaces on the server: the same bytes for every response the
// generated input type allows, on edge cases and seeded random ones.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodePublishResponse } from '../../gateway/publish-response-encoding.ts';
import type { PublishResponse } from '../../generated/ts/relay/v1/PublishResponse.ts';
import type { PublishResult } from '../../generated/ts/relay/v1/PublishResult.ts';
import { loadRelayProto } from '../../proto/load.ts';
import { randomString, seeded } from '../helpers/random.ts';

const test = suite('Publish response encoding');

const publishMethod = loadRelayProto().relay.PublisherService!.service.Publish;
const protoLoaderSerialize = publishMethod.responseSerialize as (response: PublishResponse) => Buffer;

function assertSameAsProtoLoader(response: PublishResponse, what: string): void {
  const expected = protoLoaderSerialize(response);
  const actual = encodePublishResponse(response);
  assert.is(actual.toString('hex'), expected.toString('hex'), what);
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
