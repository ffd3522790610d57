// decodeReceipts reads receipts by hand; it must accept, refuse and answer exactly as the regular
// expression it replaced, checked here on edge cases and on seeded random mutations of receipts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeReceipts, encodeReceipt } from '../../gateway/receipts.ts';
import { seeded } from '../helpers/random.ts';

const test = suite('receipts');

/** The decoder as it was: one regular expression. */
const shape = /^([a-zA-Z0-9][a-zA-Z0-9._-]{0,199})\/(\d{1,19}-\d{1,19})\/([1-9]\d{0,8})$/;
function reference(subscription: string, receipt: string): unknown {
  const match = shape.exec(receipt);
  if (!match) return 'receipt 0 is malformed';
  if (match[1] !== subscription) return 'receipt 0 belongs to another subscription';
  return { messageId: match[2]!, attempt: Number(match[3]) };
}

function decoded(subscription: string, receipt: string): unknown {
  try {
    return decodeReceipts(subscription, [receipt])[0];
  } catch (error) {
    return (error as Error).message;
  }
}

const sub = 'orders-v1';
const edges = [
  encodeReceipt(sub, '1700000000000-0', 1),
  `${sub}/${'9'.repeat(19)}-${'9'.repeat(19)}/999999999`,
  `${sub}/${'9'.repeat(20)}-0/1`,
  `${sub}/1-${'9'.repeat(20)}/1`,
  `${sub}/1-0/1000000000`,
  `${sub}/1-0/0`,
  `${sub}/1-0/01`,
  `${sub}/1-0/`,
  `${sub}/1-0`,
  `${sub}/-0/1`,
  `${sub}/1-/1`,
  `${sub}/1--0/1`,
  `${sub}/1-0-0/1`,
  `${sub}//1-0/1`,
  `/1-0/1`,
  `1-0/1`,
  `other/1-0/1`,
  `a/b/1-0/1`,
  `${'a'.repeat(200)}/1-0/1`,
  `${'a'.repeat(201)}/1-0/1`,
  `.x/1-0/1`,
  `${sub}/1-0/1 `,
  `${sub}/١-0/1`, // an Arabic-Indic digit is not \\d
  `${sub}/1-0/1/`,
  '',
  '/',
  '//',
];

test('edge cases answer as the regular expression did', () => {
  for (const receipt of edges) {
    for (const subscription of [sub, 'other', 'a'.repeat(200), 'a'.repeat(201), '.x', '']) {
      assert.equal(decoded(subscription, receipt), reference(subscription, receipt), `${JSON.stringify(receipt)} on ${JSON.stringify(subscription)}`);
    }
  }
});

test('seeded mutations of valid receipts answer as the regular expression did', () => {
  const random = seeded(2026);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const alphabet = ['0', '1', '9', '-', '/', 'a', 'Z', '.', '_', ' ', 'é', '٣'];
  let accepted = 0;
  for (let n = 0; n < 20_000; n++) {
    let receipt = encodeReceipt(pick([sub, 'x', 'a'.repeat(199)]), `${Math.floor(random() * 1e13)}-${Math.floor(random() * 100)}`, 1 + Math.floor(random() * 1e9));
    for (let edits = Math.floor(random() * 3); edits > 0; edits--) {
      const at = Math.floor(random() * (receipt.length + 1));
      const kind = random();
      if (kind < 0.4) receipt = receipt.slice(0, at) + pick(alphabet) + receipt.slice(at);
      else if (kind < 0.8) receipt = receipt.slice(0, at) + receipt.slice(at + 1);
      else receipt = receipt.slice(0, at) + pick(alphabet) + receipt.slice(at + 1);
    }
    const expected = reference(sub, receipt);
    if (typeof expected === 'object') accepted++;
    assert.equal(decoded(sub, receipt), expected, JSON.stringify(receipt));
  }
  assert.ok(accepted > 1000 && accepted < 19_000, `a mix of accepted and refused receipts (${accepted} accepted)`);
});

test('one bad receipt refuses the whole batch, named by its index', () => {
  const good = encodeReceipt(sub, '1-0', 1);
  assert.throws(() => decodeReceipts(sub, [good, good, 'garbage']), /receipt 2 is malformed/);
  assert.throws(() => decodeReceipts(sub, [good, encodeReceipt('other', '1-0', 1)]), /receipt 1 belongs to another subscription/);
  assert.equal(decodeReceipts(sub, [good, encodeReceipt(sub, '2-5', 3)]), [
    { messageId: '1-0', attempt: 1 },
    { messageId: '2-5', attempt: 3 },
  ]);
});

test.run();
