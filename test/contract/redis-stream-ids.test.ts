// idBefore (adapters/redis/redis-store.ts), the stream id order by which settlements give their scripts
// the range of pending entries to read at once, against the numeric order of <ms>-<seq>.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { idBefore } from '../../adapters/redis/redis-store.ts';
import { seeded } from '../helpers/random.ts';

/** Numeric order, as Redis orders stream ids. */
function numericallyBefore(a: string, b: string): boolean {
  const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
  return aMs < bMs || (aMs === bMs && aSeq < bSeq);
}

/** A decimal number without leading zeros, of 1 to 19 digits (2^64 - 1 has 20; Relay's receipts allow 19). */
function decimal(random: () => number): string {
  const digits = 1 + Math.floor(random() * 19);
  let text = String(1 + Math.floor(random() * 9));
  for (let i = 1; i < digits; i++) text += String(Math.floor(random() * 10));
  return random() < 0.1 ? '0' : text;
}

test('orders ids as Redis does, edges included', () => {
  const pairs: [string, string][] = [
    ['0-0', '0-1'],
    ['0-9', '0-10'],
    ['9-0', '10-0'],
    ['1764014400000-99', '1764014400000-100'],
    ['1764014400000-5', '1764014400001-0'],
    ['1764014400000-123', '1764014400000-123'],
    ['999999999999-999', '1000000000000-0'],
    ['9999999999999999999-9999999999999999999', '9999999999999999999-9999999999999999998'],
  ];
  for (const [a, b] of pairs) {
    assert.is(idBefore(a, b), numericallyBefore(a, b), `${a} before ${b}`);
    assert.is(idBefore(b, a), numericallyBefore(b, a), `${b} before ${a}`);
  }
});

test('orders 20,000 seeded random pairs as Redis does, near ones included', () => {
  const random = seeded(11);
  for (let i = 0; i < 20_000; i++) {
    const a = `${decimal(random)}-${decimal(random)}`;
    // Half the pairs share the milliseconds, so that the sequence numbers decide.
    const b = random() < 0.5 ? `${a.split('-')[0]}-${decimal(random)}` : `${decimal(random)}-${decimal(random)}`;
    assert.is(idBefore(a, b), numericallyBefore(a, b), `${a} before ${b}`);
    assert.is(idBefore(b, a), numericallyBefore(b, a), `${b} before ${a}`);
  }
});

test.run();
