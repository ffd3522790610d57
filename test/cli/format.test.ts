// The CLI's conversions: durations with units, times, payload text, percentiles.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../cli/usage-error.ts';
import { percentiles } from '../../cli/commands/bench.ts';
import { formatDuration, parseDuration, parseTime } from '../../cli/format.ts';
import { utf8 } from '../../cli/payload.ts';

const test = suite('relay CLI formats');

test('durations take units, alone or combined, and refuse anything else', () => {
  assert.is(parseDuration('500ms', '--x'), 500);
  assert.is(parseDuration('30s', '--x'), 30_000);
  assert.is(parseDuration('1.5s', '--x'), 1500);
  assert.is(parseDuration('10m', '--x'), 600_000);
  assert.is(parseDuration('1h30m', '--x'), 5_400_000);
  assert.is(parseDuration('7d', '--x'), 604_800_000);
  for (const bad of ['30', '', 's', '5x', '10m5', ' 5s', '5s ', '-5s', '1e3s']) {
    assert.throws(() => parseDuration(bad, '--ack-deadline'), (error: Error) => error instanceof UsageError && /--ack-deadline must be a duration/.test(error.message), bad);
  }
});

test('durations print as the shortest exact text', () => {
  assert.equal([0, 250, 1000, 1500, 90_000, 600_000, 3_600_000, 604_800_000, 90_061_001].map(formatDuration), [
    '0s', '250ms', '1s', '1.5s', '1m30s', '10m', '1h', '7d', '1d1h1m1.001s',
  ]);
  for (const text of ['500ms', '30s', '2m', '1h30m', '7d']) assert.is(formatDuration(parseDuration(text, 'x')), text);
});

test('times are ISO 8601, now, or a duration ago', () => {
  const now = Date.parse('2026-11-24T10:00:00Z');
  assert.is(parseTime('now', '--time', now), now);
  assert.is(parseTime('10m', '--time', now), now - 600_000);
  assert.is(parseTime('2026-11-24T09:00:00Z', '--time', now), Date.parse('2026-11-24T09:00:00Z'));
  for (const bad of ['yesterday', '2026-13-45', '09:00', '']) {
    assert.throws(() => parseTime(bad, '--time', now), (error: Error) => error instanceof UsageError, bad);
  }
});

test('payload bytes have a text form only when they are exactly UTF-8', () => {
  assert.is(utf8(Buffer.from('grüße €')), 'grüße €');
  assert.is(utf8(Buffer.from('\uFFFD')), '\uFFFD');
  assert.is(utf8(Buffer.from([0xff])), null);
  assert.is(utf8(Buffer.from([0xe2, 0x82])), null, 'a cut multi-byte character');
  assert.is(utf8(Buffer.alloc(0)), '');
});

test('percentiles are nearest-rank: p50 of 1..100 is 50, p99 is 99, max is 100', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(percentiles(samples), { p50: 50, p90: 90, p99: 99, max: 100 });
  assert.equal(percentiles([7]), { p50: 7, p90: 7, p99: 7, max: 7 });
  assert.equal(percentiles([]), { p50: 0, p90: 0, p99: 0, max: 0 });
});

test.run();
