import type { Delivery, MessageStore, Receipt, Settlement, SubscriptionConfig } from '../adapters/store.ts';
import type { Tracer } from './log.ts';
import { encodeReceipt } from './receipts.ts';
import type { SettlementOutcome } from './telemetry/names.ts';
import { traceDeliveries, untraced, type DeliveryTrace, type TraceFields } from './telemetry/tracing.ts';

/** Where a consumer stream's deliveries go: the gRPC call, seen through the little it needs. */
export interface DeliverySink {
  /**
   * Writes deliveries, each with the trace fields at its index in `handedTrace` (tracing on: its
   * delivery span's) instead of its message's; false when the transport buffers and `resume` will be
   * called on drain.
   */
  write(deliveries: readonly Delivery[], receipts: readonly string[], handedTrace?: readonly TraceFields[]): boolean;
  /** Ends the call with an error (subscription gone, store unreachable). */
  fail(error: unknown): void;
}

export interface FlowLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
}

interface Held {
  readonly receipt: Receipt;
  readonly bytes: number;
  /** When the lease ends; past it the message is no longer this stream's. */
  dueMs: number;
  /** Auto extension stops this long after delivery. */
  readonly extendUntilMs: number;
  /** The delivery's span (tracing on), ended when the hold ends. */
  readonly trace: DeliveryTrace | undefined;
}

/** One Subscribe stream as the dispatcher sees it: its flow limits and what it holds unsettled. */
export class ConsumerStream {
  readonly held = new Map<string, Held>();
  heldBytes = 0;
  writable = true;
  closed = false;

  constructor(
    readonly sink: DeliverySink,
    public limits: FlowLimits,
    /** When set, the gateway keeps extending each held lease, for at most this long after delivery. */
    readonly maxLeaseExtensionMs: number | undefined,
  ) {}

  /** While blocked, reconcile may look again from this instant, after this gap (doubling while it frees nothing). */
  reconcileAfterMs = 0;
  reconcileGapMs = minReconcileGapMs;

  /** No room for another delivery (a stream holding nothing always has room for one). */
  blocked(): boolean {
    const credit = this.credit();
    return credit.messages <= 0 || (credit.bytes <= 0 && this.held.size > 0);
  }

  /** Room for more deliveries. */
  credit(): { messages: number; bytes: number } {
    return { messages: this.limits.maxMessages - this.held.size, bytes: this.limits.maxBytes - this.heldBytes };
  }

  /** Ends a hold: being settled, superseded, lease passed or stream closed; its span is the caller's to end. */
  forget(receipt: string): Held | undefined {
    const held = this.held.get(receipt);
    if (held) {
      this.held.delete(receipt);
      this.heldBytes -= held.bytes;
    }
    return held;
  }
}

/** Most deliveries asked of the store at once. */
const maxReceive = 1000;
/** A blocked stream looks at its holds this soon, then ever more rarely while that frees nothing. */
const minReconcileGapMs = 100;
const maxReconcileGapMs = 10_000;

/**
 * Feeds the Subscribe streams of one subscription on this gateway. The gateway is one consumer of the
 * subscription in the store; the dispatcher leases messages for one stream at a time, round robin,
 * within that stream's flow control. It wakes on publish notifications, settlements, flow changes, the
 * earliest lease deadline and a slow poll (for redeliveries due to other gateways' consumers).
 */
export class Dispatcher {
  private readonly streams: ConsumerStream[] = [];
  private next = 0;
  /** receipt -> the stream holding it, so settlements on any call free that stream's credit. */
  private readonly holders = new Map<string, ConsumerStream>();
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly extender: NodeJS.Timeout;
  /** The store's earliest due redelivery, as of the last receive. */
  private nextDueMs: number | null = null;
  /**
   * The last receive left nothing behind, and since then nothing was published, released or fell
   * due: credit freed by settlements needs no receive until the store says there is news.
   */
  private drained = false;
  /** Counts refreshes, so that news arriving during a receive is not lost to its short answer. */
  private refreshes = 0;
  private readonly unwatch: () => void;

  readonly subscription: string;
  private readonly ackDeadlineMs: number;

  constructor(
    private readonly store: MessageStore,
    private readonly config: SubscriptionConfig,
    private readonly consumer: string,
    private readonly pollIntervalMs: number,
    /** No message is larger: a receive that came back short with this much byte credit left took all there was. */
    private readonly maxPayloadBytes: number,
    private readonly trace: Tracer,
  ) {
    this.subscription = config.name;
    this.ackDeadlineMs = config.ackDeadlineMs;
    this.unwatch = store.watch(config.topic, this.refresh);
    // Leases are renewed once half the deadline is left, checked four times per deadline: a renewal
    // goes out with at least a quarter of the deadline to spare;
    // holds whose lease passed unsettled here (settled elsewhere, or gone) are forgotten then.
    this.extender = setInterval(() => {
      this.forgetPassed(Date.now());
      void this.extendLeases();
    }, Math.max(100, this.ackDeadlineMs / 4));
    this.extender.unref();
  }

  get size(): number {
    return this.streams.length;
  }

  /** Deliveries held unsettled by this subscription's streams on this gateway. */
  get held(): number {
    return this.streams.reduce((sum, stream) => sum + stream.held.size, 0);
  }

  attach(sink: DeliverySink, limits: FlowLimits, maxLeaseExtensionMs?: number): ConsumerStream {
    const stream = new ConsumerStream(sink, limits, maxLeaseExtensionMs);
    this.streams.push(stream);
    this.wake();
    return stream;
  }

  /** Detaches a closed stream and releases what it held for immediate redelivery. */
  async detach(stream: ConsumerStream): Promise<void> {
    stream.closed = true;
    const index = this.streams.indexOf(stream);
    if (index >= 0) this.streams.splice(index, 1);
    const holds = [...stream.held.keys()].map((receipt) => this.forget(receipt)!);
    holds.forEach((held) => held.trace?.end('stream_closed'));
    await this.release(holds.map((held) => held.receipt));
  }

  /**
   * Forgets receipts the consumer is settling, wherever they are held, and looks for more work at once:
   * flow control counts what the consumer holds, so the next deliveries need not wait for the store
   * to apply the settlement. Returns the function to call with the store's answer: it ends the
   * deliveries' spans with `outcome` (`expired` for a superseded receipt, or when the store failed and
   * the lease decides), and looks again when the settlement may have made a message deliverable (a
   * nack's redelivery, the next message of an ordering key).
   */
  settling(receipts: readonly string[]): (outcome: SettlementOutcome, results?: readonly Settlement[]) => void {
    const holds = receipts.map((receipt) => this.forget(receipt));
    this.wakeSoon();
    return (outcome, results) => {
      holds.forEach((held, i) => held?.trace?.end(results?.[i] === 'invalid-receipt' ? 'expired' : outcome));
      if (outcome === 'nack' || this.config.ordering) this.refresh();
    };
  }

  /** Forgets receipts superseded elsewhere (their spans end `expired`). */
  superseded(receipts: readonly string[]): void {
    this.settling(receipts)('expired');
  }

  /** Records a lease extension of a receipt held here. */
  extended(receipt: string, dueMs: number): void {
    const held = this.holders.get(receipt)?.held.get(receipt);
    if (held) held.dueMs = dueMs;
  }

  /** Stops everything; the dispatcher is not used again. */
  dispose(): void {
    this.unwatch();
    clearTimeout(this.timer);
    clearInterval(this.extender);
  }

  wake = (): void => {
    void untraced(() => this.pump());
  };

  /** Wakes the pump to receive: the store may have something new (a publish, a redelivery due). */
  private readonly refresh = (): void => {
    this.refreshes++;
    this.drained = false;
    this.wake();
  };

  private wakeScheduled = false;

  /**
   * Wakes the pump once the input already read is handled: settlements read together count once, and
   * a half-close right behind the last acks ends the stream before it draws deliveries it would only
   * release (an attempt more each).
   */
  private wakeSoon(): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.wake();
    });
  }

  private forget(receipt: string): Held | undefined {
    const stream = this.holders.get(receipt);
    if (!stream) return undefined;
    this.holders.delete(receipt);
    return stream.forget(receipt);
  }

  /** Forgets a hold that ended without a settlement here; its span ends `expired`. */
  private expire(receipt: string): void {
    this.forget(receipt)?.trace?.end('expired');
  }

  /** Forgets holds whose lease passed: the message is due elsewhere (or was settled on another gateway). */
  private forgetPassed(now: number): void {
    for (const stream of this.streams) {
      for (const [receipt, held] of stream.held) if (held.dueMs <= now) this.expire(receipt);
    }
  }

  /**
   * Frees the credit of a blocked stream whose holds ended elsewhere: leases that passed (the message
   * is due again), and deliveries settled through another gateway (a unary call behind a load
   * balancer, a transaction), which the store no longer has in flight. A stream blocked by a slow
   * consumer looks ever more rarely (up to every maxReconcileGapMs), so that it costs Redis little.
   */
  private async reconcile(now: number): Promise<void> {
    for (const stream of this.streams) {
      if (!stream.blocked() || now < stream.reconcileAfterMs) continue;
      const before = stream.held.size;
      for (const [receipt, held] of stream.held) if (held.dueMs <= now) this.expire(receipt);
      const holds = [...stream.held];
      for (let i = 0; i < holds.length; i += maxReceive) {
        const batch = holds.slice(i, i + maxReceive);
        const flags = await this.store.inFlight(this.subscription, batch.map(([, held]) => held.receipt));
        flags.forEach((inFlight, j) => inFlight || this.expire(batch[j]![0]));
      }
      stream.reconcileGapMs = stream.held.size < before ? minReconcileGapMs : Math.min(stream.reconcileGapMs * 2, maxReconcileGapMs);
      stream.reconcileAfterMs = now + stream.reconcileGapMs;
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        await this.reconcile(Date.now());
        for (let stream = this.nextReady(); stream && !this.drained; stream = this.nextReady()) {
          const credit = stream.credit();
          const maxMessages = Math.min(credit.messages, maxReceive);
          const refreshes = this.refreshes;
          const result = await this.store.receive(this.subscription, {
            consumer: this.consumer,
            maxMessages,
            maxBytes: credit.bytes,
            allowOneOversized: stream.held.size === 0,
          });
          this.nextDueMs = result.nextDueMs;
          // Fewer than asked for, and not for want of byte credit: the store had no more (unless news came meanwhile).
          const bytes = result.deliveries.reduce((sum, delivery) => sum + delivery.message.data.length, 0);
          const short = result.deliveries.length < maxMessages && credit.bytes - bytes >= this.maxPayloadBytes;
          if (short && refreshes === this.refreshes) this.drained = true;
          if (result.deliveries.length === 0) break;
          this.trace(() => ({ subscription: this.subscription, count: result.deliveries.length }), 'leased');
          this.hand(stream, result.deliveries);
        }
      } while (this.again);
    } catch (error) {
      // The subscription is gone or the store unreachable: every stream ends; clients reconnect.
      this.drained = false;
      for (const stream of [...this.streams]) stream.sink.fail(error);
    } finally {
      this.pumping = false;
      this.schedule();
    }
  }

  private hand(stream: ConsumerStream, deliveries: Delivery[]): void {
    const traces = traceDeliveries(this.config, deliveries);
    if (stream.closed) {
      // The stream went away while the store leased these: hand them straight back.
      for (const trace of traces ?? []) trace.end('stream_closed');
      void this.release(deliveries.map(({ message, attempt }) => ({ messageId: message.id, attempt })));
      return;
    }
    const receipts = deliveries.map((delivery, i) => {
      const receipt = encodeReceipt(this.subscription, delivery.message.id, delivery.attempt);
      const bytes = delivery.message.data.length;
      stream.held.set(receipt, {
        receipt: { messageId: delivery.message.id, attempt: delivery.attempt },
        bytes,
        dueMs: delivery.leaseDeadlineMs,
        extendUntilMs: Date.now() + (stream.maxLeaseExtensionMs ?? 0),
        trace: traces?.[i],
      });
      stream.heldBytes += bytes;
      this.holders.set(receipt, stream);
      return receipt;
    });
    // With tracing on, each delivery carries its delivery span's context instead of the stored one.
    if (!stream.sink.write(deliveries, receipts, traces)) stream.writable = false;
  }

  /** Called by the stream when its transport drained. */
  resume(stream: ConsumerStream): void {
    stream.writable = true;
    this.wake();
  }

  private nextReady(): ConsumerStream | undefined {
    for (let tried = 0; tried < this.streams.length; tried++) {
      const stream = this.streams[this.next++ % this.streams.length]!;
      if (stream.writable && !stream.closed && !stream.blocked()) return stream;
    }
    return undefined;
  }

  /**
   * Wakes at the earliest due redelivery, and at least every poll interval while streams are open. A
   * due time already past means flow control holds it back: a settlement wakes the pump then.
   */
  private schedule(): void {
    clearTimeout(this.timer);
    if (this.streams.length === 0) return;
    const now = Date.now();
    const untilDue = this.nextDueMs === null ? Infinity : this.nextDueMs - now + 1;
    // A blocked stream is reconciled when its gap is over: its credit may have been freed elsewhere.
    let poll = this.pollIntervalMs;
    for (const stream of this.streams) if (stream.blocked()) poll = Math.min(poll, Math.max(1, stream.reconcileAfterMs - now));
    this.timer = setTimeout(this.refresh, untilDue > 0 ? Math.min(poll, untilDue) : poll);
    this.timer.unref();
  }

  /** Server-side lease extension: renews held leases of auto-extending streams nearing their end. */
  private async extendLeases(): Promise<void> {
    const now = Date.now();
    const renewing: string[] = [];
    for (const stream of this.streams) {
      if (stream.maxLeaseExtensionMs === undefined) continue;
      for (const [receipt, held] of stream.held) {
        if (held.dueMs - now < this.ackDeadlineMs / 2 && held.dueMs > now && now < held.extendUntilMs) renewing.push(receipt);
      }
    }
    for (let i = 0; i < renewing.length; i += maxReceive) {
      const batch = renewing.slice(i, i + maxReceive);
      const holds = batch.map((receipt) => this.holders.get(receipt)?.held.get(receipt)).filter((held) => held !== undefined);
      try {
        const dueMs = Date.now() + this.ackDeadlineMs;
        const results = await this.store.extendLease(this.subscription, holds.map((held) => held.receipt), this.ackDeadlineMs);
        results.forEach((result, j) => {
          if (result === 'ok') holds[j]!.dueMs = dueMs;
        });
      } catch (error) {
        this.trace(() => ({ subscription: this.subscription, error: String(error) }), 'lease extension failed');
      }
    }
  }

  private async release(receipts: Receipt[]): Promise<void> {
    for (let i = 0; i < receipts.length; i += maxReceive) {
      try {
        await this.store.release(this.subscription, receipts.slice(i, i + maxReceive));
      } catch (error) {
        // Unreleased deliveries still come back when their lease ends.
        this.trace(() => ({ subscription: this.subscription, error: String(error) }), 'release failed');
      }
    }
  }
}
