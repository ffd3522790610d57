// A subscription's messages as an async iterable over one Subscribe stream, reopened when it breaks.
// Flow control is the gateway's: it sends no more than maxOutstandingMessages/Bytes unsettled
// deliveries, so the local queue stays bounded. Leases are extended by the gateway while the stream
// is open (auto_extend_lease), so a slow handler is not redelivered behind its back.
import { status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SubscribeRequest } from '../../generated/ts/relay/v1/SubscribeRequest.ts';
import type { SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import { Message, type Settlement, type Settler } from './message.ts';
import type { Relay } from './relay.ts';
import { backoffMs, type RetryOptions } from './retry.ts';
import { startProcessSpan } from './tracing.ts';

export interface SubscriptionOptions {
  /** Most unsettled deliveries held at once. Default 1000. */
  readonly maxOutstandingMessages?: number;
  /** Most unsettled payload bytes held at once. Default 100 MiB. */
  readonly maxOutstandingBytes?: number;
  /** Let the gateway extend each delivery's lease while this client holds it. Default true. */
  readonly autoExtendLease?: boolean;
  /** How long auto extension keeps one delivery. Default the gateway's (10 min). */
  readonly maxLeaseExtensionMs?: number;
  /** Backoff between attempts to reopen a broken stream. Default 100 ms doubling to 2 s. */
  readonly reconnect?: RetryOptions;
}

export interface ProcessOptions {
  /** Handlers running at once. Default maxOutstandingMessages. */
  readonly concurrency?: number;
}

/** Stream errors after which reopening cannot help. */
const fatalCodes = new Set([status.NOT_FOUND, status.INVALID_ARGUMENT, status.PERMISSION_DENIED, status.UNAUTHENTICATED, status.FAILED_PRECONDITION, status.UNIMPLEMENTED]);

/** A google.protobuf.Duration of ms milliseconds (ack deadlines, backoffs, nack delays). */
export const duration = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: Math.round((ms % 1000) * 1e6) });

export class Subscription implements AsyncIterable<Message>, Settler {
  private call: ClientDuplexStream<SubscribeRequest, SubscribeResponse__Output> | undefined;
  private generation = 0;
  private reconnects = 0;
  private reopen: NodeJS.Timeout | undefined;
  private readonly queue: Message[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Handlers process() is running. */
  private readonly running = new Set<Promise<void>>();
  private ended: Promise<void> = Promise.resolve();
  /** Settlements waiting for the next write to the stream, one request per kind and argument. */
  private outbox = new Map<string, { request: SubscribeRequest; done: (() => void)[] }>();
  private flushing = false;

  constructor(
    private readonly relay: Relay,
    readonly name: string,
    private readonly options: SubscriptionOptions = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<Message> {
    if (!this.call && !this.closed) this.open();
    try {
      for (;;) {
        const message = this.queue.shift();
        if (message) yield message;
        else if (this.failure) throw this.failure;
        else if (this.closed) return;
        else await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      await this.close();
    }
  }

  /**
   * Runs handler for each message, at most `concurrency` at once, each inside a process span that
   * continues the message's trace. A message the handler leaves unsettled is acked when it returns
   * and nacked when it throws. Resolves when the subscription is closed.
   */
  async process(handler: (message: Message) => Promise<void> | void, options: ProcessOptions = {}): Promise<void> {
    const limit = options.concurrency ?? this.options.maxOutstandingMessages ?? 1000;
    const running = this.running;
    for await (const message of this) {
      // Started on the next microtask, once counted: a handler that calls close() is waited for.
      const run = Promise.resolve().then(() => this.handle(message, handler));
      running.add(run);
      void run.finally(() => running.delete(run));
      if (running.size >= limit) await Promise.race(running);
    }
    await Promise.all(running);
  }

  /**
   * Stops taking messages, waits for the handlers process() is running (their settlements go out),
   * then ends the stream: what this client still holds unsettled goes back to the subscription at
   * once. Idempotent. From inside a handler, call it without awaiting it.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    clearTimeout(this.reopen);
    this.notify();
    return (this.closing = (async () => {
      await Promise.allSettled([...this.running]);
      this.flush();
      this.call?.end();
      await this.ended;
    })());
  }

  /** Settles on the stream that delivered the message while it lasts, else by a unary call. */
  settle(message: Message, settlement: Settlement): Promise<void> {
    if (message.streamGeneration !== this.generation || !this.call) return this.settleByCall(message.receipt, settlement);
    const key = settlement.kind === 'ack' ? 'ack' : `${settlement.kind}:${JSON.stringify(settlement)}`;
    let entry = this.outbox.get(key);
    if (!entry) this.outbox.set(key, (entry = { request: streamRequest(settlement), done: [] }));
    receiptsOf(entry.request, settlement).push(message.receipt);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
    return new Promise((resolve) => entry.done.push(resolve));
  }

  private async handle(message: Message, handler: (message: Message) => Promise<void> | void): Promise<void> {
    const span = startProcessSpan(this.name, message, message.traceContext());
    try {
      await context.with(trace.setSpan(message.traceContext(), span), () => handler(message));
      if (!message.settled) await message.ack();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      if (!message.settled) await message.nack(undefined, String((error as Error).message ?? error).slice(0, 1024));
    } finally {
      span.end();
    }
  }

  private open(): void {
    const generation = ++this.generation;
    const call = this.relay.subscriberClient.subscribe();
    this.call = call;
    const { maxOutstandingMessages = 1000, maxOutstandingBytes = 100 * 1024 * 1024, autoExtendLease = true, maxLeaseExtensionMs } = this.options;
    call.write({
      subscription: this.name,
      flowControl: { maxOutstandingMessages, maxOutstandingBytes },
      autoExtendLease,
      ...(maxLeaseExtensionMs === undefined ? {} : { maxLeaseExtension: duration(maxLeaseExtensionMs) }),
    });
    let finished!: () => void;
    this.ended = new Promise((resolve) => (finished = resolve));
    call.on('data', (response: SubscribeResponse__Output) => {
      this.reconnects = 0;
      for (const delivery of response.deliveries) this.queue.push(new Message(delivery, this, generation));
      this.notify();
    });
    // 'end' follows a clean finish; 'error' replaces it. Either way the stream is over.
    let over = false;
    const done = (error: ServiceError | undefined) => {
      if (over) return;
      over = true;
      finished();
      this.broken(generation, error);
    };
    call.on('error', (error: ServiceError) => done(error));
    call.on('end', () => done(undefined));
  }

  private broken(generation: number, error: ServiceError | undefined): void {
    if (generation !== this.generation) return;
    this.call = undefined;
    // The gateway released what that stream held: those deliveries come again on the next stream.
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.streamGeneration === generation) this.queue.splice(i, 1);
    for (const entry of this.outbox.values()) for (const done of entry.done) done();
    this.outbox.clear();
    if (this.closed) return this.notify();
    if (error && fatalCodes.has(error.code)) {
      this.failure = error;
      return this.notify();
    }
    const reconnect = { initialBackoffMs: 100, maxBackoffMs: 2000, ...this.options.reconnect };
    this.reopen = setTimeout(() => this.open(), backoffMs(this.reconnects++, reconnect));
  }

  private flush(): void {
    this.flushing = false;
    const call = this.call;
    for (const { request, done } of this.outbox.values()) {
      call?.write(request);
      for (const resolve of done) resolve();
    }
    this.outbox.clear();
  }

  private async settleByCall(receipt: string, settlement: Settlement): Promise<void> {
    const calls = this.relay.subscriberCalls;
    const base = { subscription: this.name, receipts: [receipt] };
    // The answer may be INVALID_RECEIPT: the delivery went back when its stream ended. Nothing to do.
    if (settlement.kind === 'ack') await calls.ack(base);
    else if (settlement.kind === 'nack') await calls.nack({ ...base, reason: settlement.reason, ...(settlement.delayMs === undefined ? {} : { delay: duration(settlement.delayMs) }) });
    else if (settlement.kind === 'reject') await calls.reject({ ...base, reason: settlement.reason });
    else await calls.extendLease({ ...base, extension: duration(settlement.extensionMs) });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function streamRequest(settlement: Settlement): SubscribeRequest {
  switch (settlement.kind) {
    case 'ack':
      return { ackReceipts: [] };
    case 'nack':
      return { nackReceipts: [], nackReason: settlement.reason, ...(settlement.delayMs === undefined ? {} : { nackDelay: duration(settlement.delayMs) }) };
    case 'reject':
      return { rejectReceipts: [], rejectReason: settlement.reason };
    case 'extend':
      return { extendReceipts: [], extension: duration(settlement.extensionMs) };
  }
}

function receiptsOf(request: SubscribeRequest, settlement: Settlement): string[] {
  return (settlement.kind === 'ack' ? request.ackReceipts : settlement.kind === 'nack' ? request.nackReceipts : settlement.kind === 'reject' ? request.rejectReceipts : request.extendReceipts)!;
}
