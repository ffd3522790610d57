import type { Context } from '@opentelemetry/api';
import type { DeadLetterInfo__Output } from '../../generated/ts/relay/v1/DeadLetterInfo.ts';
import type { Delivery__Output } from '../../generated/ts/relay/v1/Delivery.ts';
import { deliveryContext } from './tracing.ts';

/** What a settlement does; see Message's methods. */
export type Settlement =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nack'; readonly delayMs: number | undefined; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string }
  | { readonly kind: 'extend'; readonly extensionMs: number };

/** Where a message's settlements go: the subscription that received it. */
export interface Settler {
  /** The subscription's name. */
  readonly name: string;
  settle(message: Message, settlement: Settlement): Promise<void>;
}

/** One delivery of a message. Settle it once: ack, nack or reject (extendLease as often as needed). */
export class Message {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
  readonly orderingKey: string;
  readonly publishTime: Date;
  /** 1 on first delivery, then one more each time it comes back. */
  readonly deliveryAttempt: number;
  /** Why this delivery happened: FIRST, NACK, LEASE_EXPIRED, CONSUMER_LOST, SEEK or REDRIVE. */
  readonly reason: string;
  readonly receipt: string;
  /** The subscription it was delivered on. */
  readonly subscription: string;
  /** Set on dead letters: where it came from and why. */
  readonly deadLetter: DeadLetterInfo__Output | null;
  readonly traceparent: string;
  readonly tracestate: string;
  private settledAs: 'ack' | 'nack' | 'reject' | 'transaction' | undefined;

  constructor(
    delivery: Delivery__Output,
    private readonly settler: Settler,
    /** Which stream delivered it; its receipt is only worth settling on that stream while it lasts. */
    readonly streamGeneration: number,
  ) {
    const message = delivery.message!;
    this.id = message.messageId;
    this.data = message.data;
    this.attributes = message.attributes;
    this.orderingKey = message.orderingKey;
    this.publishTime = new Date(Number(message.publishTime?.seconds ?? 0) * 1000 + (message.publishTime?.nanos ?? 0) / 1e6);
    this.deliveryAttempt = delivery.deliveryAttempt;
    this.reason = delivery.reason.replace(/^DELIVERY_REASON_/, '');
    this.receipt = delivery.receipt;
    this.subscription = settler.name;
    this.deadLetter = message.deadLetter;
    this.traceparent = message.traceparent;
    this.tracestate = message.tracestate;
  }

  /** Settled by ack, nack or reject (extendLease does not settle). */
  get settled(): boolean {
    return this.settledAs !== undefined;
  }

  /** Done with it: it is not delivered again. */
  ack(): Promise<void> {
    return this.settleOnce('ack', { kind: 'ack' });
  }

  /** Deliver it again after delayMs (default: the subscription's retry backoff); counts an attempt. */
  nack(delayMs?: number, reason = ''): Promise<void> {
    return this.settleOnce('nack', { kind: 'nack', delayMs, reason });
  }

  /** Dead-letter it now, whatever attempts remain. */
  reject(reason = ''): Promise<void> {
    return this.settleOnce('reject', { kind: 'reject', reason });
  }

  /** Keep it leased for extensionMs from now (the subscription extends leases by itself by default). */
  extendLease(extensionMs: number): Promise<void> {
    if (this.settled) return Promise.resolve();
    return this.settler.settle(this, { kind: 'extend', extensionMs });
  }

  /** The delivery span's context: start the processing span under it to continue the message's trace. */
  traceContext(): Context {
    return deliveryContext(this);
  }

  /** Marks it settled by other means (a committed transaction acked it). */
  settledBy(as: 'transaction'): void {
    this.settledAs = as;
  }

  private settleOnce(as: 'ack' | 'nack' | 'reject', settlement: Settlement): Promise<void> {
    if (this.settledAs) return Promise.resolve();
    this.settledAs = as;
    return this.settler.settle(this, settlement);
  }
}
