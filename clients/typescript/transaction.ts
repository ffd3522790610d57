// relay.transaction(async tx => ...): publishes and acks staged by the callback are prepared, then
// committed as one. Prepare carries a client-chosen transaction id, so both calls are safe to retry.
import type { TransactionAck } from '../../generated/ts/relay/v1/TransactionAck.ts';
import type { TransactionMessage } from '../../generated/ts/relay/v1/TransactionMessage.ts';
import type { Message } from './message.ts';
import type { OutgoingMessage } from './publisher.ts';
import type { Relay } from './relay.ts';
import { withRetry, type RetryOptions } from './retry.ts';
import { duration } from './subscription.ts';
import { uuidv7 } from './uuid.ts';

export interface TransactionOptions {
  /** The gateway aborts the transaction if it is not committed this long after Prepare. Default the gateway's (60 s). */
  readonly timeoutMs?: number;
  /** Default a new UUIDv7. */
  readonly transactionId?: string;
  readonly retry?: RetryOptions;
}

/** What a transaction will do, staged by the callback of relay.transaction. */
export class Transaction {
  readonly messages: TransactionMessage[] = [];
  readonly acks: TransactionAck[] = [];
  readonly acked: Message[] = [];

  /** Publishes message to topic when the transaction commits. */
  publish(topic: string, message: OutgoingMessage): void {
    this.messages.push({
      topic,
      data: typeof message.data === 'string' ? Buffer.from(message.data) : message.data ?? Buffer.alloc(0),
      attributes: message.attributes ?? {},
      orderingKey: message.orderingKey ?? '',
      idempotencyKey: message.idempotencyKey || uuidv7(),
    });
  }

  /** Acks the delivery when the transaction commits (its lease is kept until then). */
  ack(message: Message): void {
    this.acks.push({ subscription: message.subscription, receipt: message.receipt });
    this.acked.push(message);
  }
}

export async function runTransaction(relay: Relay, fn: (tx: Transaction) => Promise<void> | void, options: TransactionOptions): Promise<string[]> {
  const tx = new Transaction();
  await fn(tx);
  const transactionId = options.transactionId ?? uuidv7();
  const retry = options.retry ?? relay.retry;
  const calls = relay.transactionCalls;
  await withRetry(
    () =>
      calls.prepare({
        transactionId,
        messages: tx.messages,
        acks: tx.acks,
        ...(options.timeoutMs === undefined ? {} : { timeout: duration(options.timeoutMs) }),
      }),
    retry,
  );
  // A Commit that fails is not followed by Abort: its answer may have been lost after it committed.
  // Left uncommitted, the transaction expires at its timeout, and its acks' deliveries come back.
  const { messageIds } = await withRetry(() => calls.commit({ transactionId }), retry);
  for (const message of tx.acked) message.settledBy('transaction');
  return messageIds;
}
