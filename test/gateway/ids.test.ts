// Relay's trace and span ids are the SDK RandomIdGenerator's: the same ids from the same Math.random
// draws, including the all-zero draw that is no valid W3C id.
import { RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RelayIdGenerator } from '../../gateway/telemetry/ids.ts';
import { seeded } from '../helpers/random.ts';

const test = suite('trace and span ids');

/** Each generator's ids with Math.random answering `draws` in turn. */
function idsFrom(draws: readonly number[], generate: (generator: RelayIdGenerator | RandomIdGenerator) => string[]) {
  const random = Math.random;
  const results: string[][] = [];
  try {
    for (const generator of [new RelayIdGenerator(), new RandomIdGenerator()]) {
      let next = 0;
      Math.random = () => draws[next++ % draws.length]!;
      results.push(generate(generator));
    }
  } finally {
    Math.random = random;
  }
  return { ours: results[0]!, sdk: results[1]! };
}

const both = (generator: RelayIdGenerator | RandomIdGenerator) => [generator.generateSpanId(), generator.generateTraceId()];

test('10,000 span and trace ids from seeded draws are the SDK ids, lowercase hex of 16 and 32 digits', () => {
  const random = seeded(7);
  const draws = Array.from({ length: 60_000 }, () => random());
  const { ours, sdk } = idsFrom(draws, (generator) => Array.from({ length: 10_000 }, () => both(generator)).flat());
  const first = ours.findIndex((id, i) => id !== sdk[i]);
  assert.is(first, -1, `id ${first}: ${ours[first]} where the SDK draws ${sdk[first]}`);
  assert.is(ours.length, sdk.length);
  assert.ok(ours.every((id, i) => (i % 2 === 0 ? /^[0-9a-f]{16}$/ : /^[0-9a-f]{32}$/).test(id)));
  assert.is(new Set(ours).size, ours.length, 'no id repeats');
});

test('draws at the edges: 0 (all zero becomes ...01), just below 1, and each byte alone', () => {
  const edges = [0, 1 - 2 ** -53, 2 ** -32, 0.5, 2 ** -8, 2 ** -16, 2 ** -24, 0.999999];
  for (const draw of edges) {
    const { ours, sdk } = idsFrom([draw], both);
    assert.equal(ours, sdk, `draw ${draw}`);
  }
  assert.equal(idsFrom([0], both).ours, ['0000000000000001', '00000000000000000000000000000001']);
  // Zero only in some draws: nothing is changed.
  const { ours, sdk } = idsFrom([0, 0, 0, 2 ** -32], both);
  assert.equal(ours, sdk);
});

test.run();
