import { once } from 'node:events';
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { Delivery, DeliveryReason, MessageStore, Receipt, Settlement } from '../adapters/store.ts';
import type { DeliveryReason as DeliveryReasonName } from '../generated/ts/relay/v1/DeliveryReason.ts';
import type { FlowControl__Output } from '../generated/ts/relay/v1/FlowControl.ts';
import type { SettlementResult } from '../generated/ts/relay/v1/SettlementResult.ts';
import type { SubscribeRequest__Output } from '../generated/ts/relay/v1/SubscribeRequest.ts';
import type { SubscribeResponse } from '../generated/ts/relay/v1/SubscribeResponse.ts';
import type { SubscriberServiceHandlers } from '../generated/ts/relay/v1/SubscriberService.ts';
import type { Duration__Output } from '../generated/ts/google/protobuf/Duration.ts';
import { toReceivedMessage, toTimestamp, unary, type GatewayContext } from './context.ts';
import { Dispatcher, type FlowLimits } from './dispatcher.ts';
import { tracer } from './log.ts';
import { decodeReceipts } from './receipts.ts';
import { RequestError, toServiceError } from './status.ts';
import type { GatewayMetrics, SettlementVerb } from './telemetry/metrics.ts';
import { untraced, type TraceFields } from './telemetry/tracing.ts';
import { checkName, checkReason, checkReceiptCount, durationMs } from './validation.ts';

const defaultLimits: FlowLimits = { maxMessages: 1000, maxBytes: 100 * 1024 * 1024 };
const maxLeaseMs = 600_000;
const defaultMaxLeaseExtensionMs = 600_000;

type SubscribeCall = ServerDuplexStream<SubscribeRequest__Output, SubscribeResponse>;

/** Applies flow control to limits: fields that are set replace them and must be at least 1. */
function applyFlowControl(limits: FlowLimits, flow: FlowControl__Output | null): FlowLimits {
  if (!flow) return limits;
  const read = (value: string | undefined, field: string, current: number) => {
    if (value === undefined) return current;
    const number = Number(value);
    if (!(number >= 1)) throw new RequestError(status.INVALID_ARGUMENT, `flow_control.${field} must be at least 1`);
    return number;
  };
  return {
    maxMessages: read(flow.maxOutstandingMessages, 'max_outstanding_messages', limits.maxMessages),
    maxBytes: read(flow.maxOutstandingBytes, 'max_outstanding_bytes', limits.maxBytes),
  };
}

const settlementResult: Record<Settlement, SettlementResult> = {
  ok: 'SETTLEMENT_RESULT_OK',
  'invalid-receipt': 'SETTLEMENT_RESULT_INVALID_RECEIPT',
};

/**
 * The settlement verbs, shared by the unary RPCs and the Subscribe stream. Each settles on the store
 * and tells this gateway's dispatcher, which frees the credit of whichever stream held the receipts.
 */
class Settlements {
  constructor(
    private readonly store: MessageStore,
    private readonly dispatchers: Map<string, Dispatcher>,
    private readonly maxReceipts: number,
    private readonly metrics: GatewayMetrics | undefined,
  ) {}

  ack(subscription: string, receipts: readonly string[]): Promise<Settlement[]> {
    return this.settle(subscription, 'ack', receipts, (decoded) => this.store.ack(subscription, decoded));
  }

  nack(subscription: string, receipts: readonly string[], delay: Duration__Output | null, reason: string): Promise<Settlement[]> {
    const delayMs = delay ? durationMs(delay, 'nack delay', 0, maxLeaseMs) : undefined;
    const checkedReason = checkReason(reason);
    return this.settle(subscription, 'nack', receipts, (decoded) => this.store.nack(subscription, decoded, delayMs, checkedReason));
  }

  reject(subscription: string, receipts: readonly string[], reason: string): Promise<Settlement[]> {
    const checkedReason = checkReason(reason);
    return this.settle(subscription, 'reject', receipts, (decoded) => this.store.reject(subscription, decoded, checkedReason));
  }

  /**
   * Frees the holds as the settlement goes to the store, then ends their delivery spans with the verb
   * and counts what was settled; when the store fails, the leases decide (spans end `expired`).
   */
  private async settle(subscription: string, verb: SettlementVerb, receipts: readonly string[], apply: (decoded: Receipt[]) => Promise<Settlement[]>) {
    const decoded = this.decode(subscription, receipts);
    const done = this.dispatchers.get(subscription)?.settling(receipts);
    let results: Settlement[];
    try {
      results = await apply(decoded);
    } catch (error) {
      done?.('expired');
      throw error;
    }
    done?.(verb, results);
    this.metrics?.settled(subscription, verb, decoded, results);
    return results;
  }

  async extendLease(subscription: string, receipts: readonly string[], extension: Duration__Output | null): Promise<Settlement[]> {
    if (!extension) throw new RequestError(status.INVALID_ARGUMENT, 'extension is required');
    const leaseMs = durationMs(extension, 'extension', 1000, maxLeaseMs);
    const results = await this.store.extendLease(subscription, this.decode(subscription, receipts), leaseMs);
    const dispatcher = this.dispatchers.get(subscription);
    const dueMs = Date.now() + leaseMs;
    results.forEach((result, i) => {
      if (result === 'ok') dispatcher?.extended(receipts[i]!, dueMs);
      else dispatcher?.superseded([receipts[i]!]);
    });
    return results;
  }

  private decode(subscription: string, receipts: readonly string[]): Receipt[] {
    checkReceiptCount(receipts, this.maxReceipts);
    return decodeReceipts(subscription, receipts);
  }
}

const deliveryReason: Record<DeliveryReason, DeliveryReasonName> = {
  first: 'DELIVERY_REASON_FIRST',
  nack: 'DELIVERY_REASON_NACK',
  'lease-expired': 'DELIVERY_REASON_LEASE_EXPIRED',
  'consumer-lost': 'DELIVERY_REASON_CONSUMER_LOST',
  seek: 'DELIVERY_REASON_SEEK',
  redrive: 'DELIVERY_REASON_REDRIVE',
};

/**
 * A batch of deliveries as the Subscribe stream writes it, each with the trace fields at its index in
 * `handedTrace` if given (exported for the encoder's tests).
 */
export function toResponse(deliveries: readonly Delivery[], receipts: readonly string[], handedTrace?: readonly TraceFields[]): SubscribeResponse {
  return {
    deliveries: deliveries.map(({ message, attempt, reason, leaseDeadlineMs }, i) => ({
      message: toReceivedMessage(message, handedTrace?.[i]),
      receipt: receipts[i],
      deliveryAttempt: attempt,
      leaseDeadline: toTimestamp(leaseDeadlineMs),
      reason: deliveryReason[reason],
    })),
  };
}

export interface SubscriberService {
  readonly handlers: SubscriberServiceHandlers;
  /** Ends every open stream with UNAVAILABLE and releases what they held. */
  drain(): Promise<void>;
  /** Subscription name -> deliveries its streams on this gateway hold unsettled (subscriptions with open streams). */
  holding(): Map<string, number>;
}

export function subscriberService(context: GatewayContext): SubscriberService {
  const { store, config, log } = context;
  const dispatchers = new Map<string, Dispatcher>();
  const settlements = new Settlements(store, dispatchers, config.maxBatchMessages, context.metrics);
  const traceStream = tracer(log, config.trace, 'stream');
  const traceStore = tracer(log, config.trace, 'store');
  const open = new Set<() => Promise<void>>();

  async function subscribe(call: SubscribeCall): Promise<void> {
    let ended = false;
    let detach: () => Promise<void> = async () => {};
    /** Ends the call (OK, or with the error's status), then releases what the stream held. */
    const close = async (error?: unknown) => {
      if (!ended) {
        ended = true;
        open.delete(drainOne);
        if (error === undefined) call.end();
        else call.emit('error', toServiceError(error, log));
      }
      await detach();
    };
    const drainOne = () => close(new RequestError(status.UNAVAILABLE, 'gateway is draining; reconnect'));
    open.add(drainOne);
    call.on('error', () => {});
    call.on('cancelled', () => void close());

    try {
      if (context.draining()) throw new RequestError(status.UNAVAILABLE, 'gateway is draining; reconnect');
      const [first] = (await Promise.race([once(call, 'data'), once(call, 'end').then(() => [undefined])])) as [
        SubscribeRequest__Output | undefined,
      ];
      if (!first) return void close();
      // Hold further requests until their handler is in place.
      call.pause();
      const name = checkName('subscription', first.subscription);
      let limits = applyFlowControl(defaultLimits, first.flowControl);
      const maxLeaseExtensionMs = first.autoExtendLease
        ? first.maxLeaseExtension
          ? durationMs(first.maxLeaseExtension, 'max_lease_extension', 1000, 3_600_000)
          : defaultMaxLeaseExtensionMs
        : undefined;
      const subscription = await store.getSubscription(name);
      if (ended) return;

      let dispatcher = dispatchers.get(name);
      if (!dispatcher) {
        // Outside this call's trace: the dispatcher's own store calls belong to no RPC.
        dispatcher = untraced(() => new Dispatcher(store, subscription, config.gatewayId, config.pollIntervalMs, config.maxPayloadBytes, traceStore));
        dispatchers.set(name, dispatcher);
      }
      const owner = dispatcher;
      const sink = {
        write: (deliveries: readonly Delivery[], receipts: readonly string[], handedTrace?: readonly TraceFields[]) => {
          context.metrics?.deliveredBatch(name, deliveries);
          return call.write(toResponse(deliveries, receipts, handedTrace));
        },
        fail: (error: unknown) => void close(error),
      };
      const stream = owner.attach(sink, limits, maxLeaseExtensionMs);
      let detached: Promise<void> | undefined;
      detach = () => {
        detached ??= owner.detach(stream).finally(() => {
          if (owner.size === 0 && dispatchers.get(name) === owner) {
            owner.dispose();
            dispatchers.delete(name);
          }
        });
        return detached;
      };
      traceStream(() => ({ subscription: name, ...limits }), 'stream opened');
      call.on('drain', () => owner.resume(stream));
      call.on('end', () => void close());
      call.on('data', (request: SubscribeRequest__Output) => {
        try {
          if (request.flowControl) {
            limits = applyFlowControl(limits, request.flowControl);
            stream.limits = limits;
            owner.wake();
          }
          settle(call, name, request).catch(close);
        } catch (error) {
          void close(error);
        }
      });
      call.resume();
      await settle(call, name, first);
    } catch (error) {
      await close(error);
    }
  }

  /** Settlements sent on the stream; superseded receipts are reported back on it. */
  async function settle(call: SubscribeCall, name: string, request: SubscribeRequest__Output): Promise<void> {
    const invalid: string[] = [];
    const collect = (receipts: readonly string[]) => (results: Settlement[]) =>
      results.forEach((result, i) => result === 'invalid-receipt' && invalid.push(receipts[i]!));
    await Promise.all([
      request.ackReceipts.length && settlements.ack(name, request.ackReceipts).then(collect(request.ackReceipts)),
      request.nackReceipts.length &&
        settlements.nack(name, request.nackReceipts, request.nackDelay, request.nackReason).then(collect(request.nackReceipts)),
      request.rejectReceipts.length &&
        settlements.reject(name, request.rejectReceipts, request.rejectReason).then(collect(request.rejectReceipts)),
      request.extendReceipts.length &&
        settlements.extendLease(name, request.extendReceipts, request.extension).then(collect(request.extendReceipts)),
    ]);
    if (invalid.length > 0) call.write({ invalidReceipts: invalid });
  }

  const results = (settled: Settlement[]) => ({ results: settled.map((result) => settlementResult[result]) });

  return {
    handlers: {
      Subscribe: (call) => void subscribe(call),
      Ack: unary(context, async (request) =>
        results(await settlements.ack(checkName('subscription', request.subscription), request.receipts)),
      ),
      Nack: unary(context, async (request) =>
        results(await settlements.nack(checkName('subscription', request.subscription), request.receipts, request.delay, request.reason)),
      ),
      ExtendLease: unary(context, async (request) =>
        results(await settlements.extendLease(checkName('subscription', request.subscription), request.receipts, request.extension)),
      ),
      Reject: unary(context, async (request) =>
        results(await settlements.reject(checkName('subscription', request.subscription), request.receipts, request.reason)),
      ),
    },
    async drain() {
      await Promise.all([...open].map((finish) => finish()));
    },
    holding() {
      return new Map([...dispatchers].map(([name, dispatcher]) => [name, dispatcher.held]));
    },
  };
}
