import { status } from '@grpc/grpc-js';
import type { Receipt } from '../adapters/store.ts';
import { RequestError } from './status.ts';

// A receipt is `<subscription>/<message id>/<attempt>`: it names one delivery attempt. Clients treat it
// as opaque; the gateway checks it belongs to the subscription it is settled on.

export function encodeReceipt(subscription: string, messageId: string, attempt: number): string {
  return `${subscription}/${messageId}/${attempt}`;
}

const subscriptionShape = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}$/;

/** Parses receipts settled on one subscription; any malformed or foreign receipt rejects them all. */
export function decodeReceipts(subscription: string, receipts: readonly string[]): Receipt[] {
  const ownPrefixValid = subscriptionShape.test(subscription);
  return receipts.map((receipt, index) => {
    // `<subscription>/<digits>-<digits>/<attempt>`, read by hand: a regular expression's match and
    // captures cost more than the rest of an ack.
    const attemptSlash = receipt.lastIndexOf('/');
    const idSlash = attemptSlash > 0 ? receipt.lastIndexOf('/', attemptSlash - 1) : -1;
    const prefix = idSlash > 0 ? receipt.substring(0, idSlash) : '';
    const own = prefix === subscription;
    // No leading zero: `[1-9]\d{0,8}`.
    const attempt = receipt.charCodeAt(attemptSlash + 1) === 48 ? -1 : digits(receipt, attemptSlash + 1, receipt.length, 9);
    if (!(own ? ownPrefixValid : subscriptionShape.test(prefix)) || !isMessageId(receipt, idSlash + 1, attemptSlash) || attempt < 1) {
      throw new RequestError(status.INVALID_ARGUMENT, `receipt ${index} is malformed`);
    }
    if (!own) throw new RequestError(status.INVALID_ARGUMENT, `receipt ${index} belongs to another subscription`);
    return { messageId: receipt.substring(idSlash + 1, attemptSlash), attempt };
  });
}

/** Whether text[from, to) is `\d{1,19}-\d{1,19}`. */
function isMessageId(text: string, from: number, to: number): boolean {
  const dash = text.indexOf('-', from);
  return dash > from && dash < to && digits(text, from, dash, 19) >= 0 && digits(text, dash + 1, to, 19) >= 0;
}

/** The value of text[from, to) when it is 1 to maxDigits decimal digits, else -1 (beyond 2^53 only compared with 0). */
function digits(text: string, from: number, to: number, maxDigits: number): number {
  if (to <= from || to - from > maxDigits) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}
