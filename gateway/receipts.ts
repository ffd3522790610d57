import { status } from '@grpc/grpc-js';
import type { Receipt } from '../adapters/store.ts';
import { RequestError } from './status.ts';

// A receipt is `<subscription>/<message id>/<attempt>`: it names one delivery attempt. Clients treat it
// as opaque; the gateway checks it belongs to the subscription it is settled on.

export function encodeReceipt(subscription: string, messageId: string, attempt: number): string {
  return `${subscription}/${messageId}/${attempt}`;
}

const shape = /^([a-zA-Z0-9][a-zA-Z0-9._-]{0,199})\/(\d{1,19}-\d{1,19})\/([1-9]\d{0,8})$/;

/** Parses receipts settled on one subscription; any malformed or foreign receipt rejects them all. */
export function decodeReceipts(subscription: string, receipts: readonly string[]): Receipt[] {
  return receipts.map((receipt, index) => {
    const match = shape.exec(receipt);
    if (!match) throw new RequestError(status.INVALID_ARGUMENT, `receipt ${index} is malformed`);
    if (match[1] !== subscription) {
      throw new RequestError(status.INVALID_ARGUMENT, `receipt ${index} belongs to another subscription`);
    }
    return { messageId: match[2]!, attempt: Number(match[3]) };
  });
}
