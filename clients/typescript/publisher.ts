// A batching publisher: messages wait up to lingerMs, or until maxMessages / maxBytes are reached,
// then go out as one request on the publisher's PublishStream. Every message gets an idempotency key
// (UUIDv7 unless the caller set one), so a batch retried after UNAVAILABLE or DEADLINE_EXCEEDED is
// stored once.
import { context, type Context } from '@opentelemetry/api';
import type { PublishMessage } from '../../generated/ts/relay/v1/PublishMessage.ts';
import { PublishStreamSender } from './publish-stream.ts';
import type { Relay } from './relay.ts';
import { withRetry, type RetryOptions } from './retry.ts';
import { traceFields } from './tracing.ts';
import { uuidv7 } from './uuid.ts';

export interface OutgoingMessage {
  /** The payload; a string is sent as UTF-8. Default empty. */
  readonly data?: Buffer | Uint8Array | string;
  readonly attributes?: Record<string, string>;
  /** Messages with the same key are delivered in publish order (on subscriptions with ordering on). */
  readonly orderingKey?: string;
  /** Stored once per topic within its dedup window. Default: a new UUIDv7. */
  readonly idempotencyKey?: string;
}

export interface PublisherOptions {
  /** Most messages per Publish. Default 100. */
  readonly maxMessages?: number;
  /** Most payload and attribute bytes per Publish. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Longest a message waits for its batch to fill. Default 5. */
  readonly lingerMs?: number;
  /** How a failed Publish is retried. Default the connection's. */
  readonly retry?: RetryOptions;
}

interface Waiting {
  readonly message: PublishMessage;
  resolve(messageId: string): void;
  reject(error: unknown): void;
}

interface Batch {
  readonly waiting: Waiting[];
  /** The first message's trace context, carried by the whole batch. */
  readonly context: Context;
  readonly ordered: boolean;
}

export class Publisher {
  private buffer: Waiting[] = [];
  private bufferBytes = 0;
  private bufferContext: Context | undefined;
  private linger: NodeJS.Timeout | undefined;
  private readonly sending = new Set<Promise<void>>();
  /** Batches with ordering keys go out one after another, so a retried batch cannot be overtaken. */
  private orderedTail: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxMessages: number;
  private readonly maxBytes: number;
  private readonly lingerMs: number;
  private readonly sender: PublishStreamSender;

  constructor(
    private readonly relay: Relay,
    readonly topic: string,
    private readonly options: PublisherOptions = {},
  ) {
    this.maxMessages = options.maxMessages ?? 100;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.lingerMs = options.lingerMs ?? 5;
    this.sender = new PublishStreamSender(relay.publisherClient, relay.callTimeoutMs);
  }

  /** Resolves with the message's id once it is stored (or with the first id, if it was a duplicate). */
  publish(message: OutgoingMessage): Promise<string> {
    if (this.closed) return Promise.reject(new Error('publisher is closed'));
    const outgoing: PublishMessage = {
      data: typeof message.data === 'string' ? Buffer.from(message.data) : message.data ?? Buffer.alloc(0),
      attributes: message.attributes ?? {},
      orderingKey: message.orderingKey ?? '',
      idempotencyKey: message.idempotencyKey || uuidv7(),
    };
    const bytes = sizeOf(outgoing);
    if (this.buffer.length && (this.buffer.length >= this.maxMessages || this.bufferBytes + bytes > this.maxBytes)) this.send();
    return new Promise<string>((resolve, reject) => {
      this.buffer.push({ message: outgoing, resolve, reject });
      this.bufferBytes += bytes;
      this.bufferContext ??= context.active();
      if (this.buffer.length >= this.maxMessages || this.bufferBytes >= this.maxBytes) this.send();
      else this.linger ??= setTimeout(() => this.send(), this.lingerMs);
    });
  }

  /** Sends what is buffered and waits until every publish so far has settled. */
  async flush(): Promise<void> {
    this.send();
    while (this.sending.size) await Promise.allSettled([...this.sending]);
  }

  /** Flushes, then refuses further publishes and ends the stream. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.sender.close();
  }

  private send(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    if (!this.buffer.length) return;
    const batch: Batch = {
      waiting: this.buffer,
      context: this.bufferContext ?? context.active(),
      ordered: this.buffer.some((waiting) => waiting.message.orderingKey),
    };
    this.buffer = [];
    this.bufferBytes = 0;
    this.bufferContext = undefined;
    const sent = batch.ordered ? (this.orderedTail = this.orderedTail.then(() => this.publishBatch(batch))) : this.publishBatch(batch);
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }

  /** Never rejects: each message's promise carries the outcome. */
  private async publishBatch(batch: Batch): Promise<void> {
    const request = { topic: this.topic, messages: batch.waiting.map((waiting) => waiting.message), ...traceFields(batch.context) };
    try {
      const response = await withRetry(() => this.sender.send(request), this.options.retry ?? this.relay.retry);
      batch.waiting.forEach((waiting, i) => waiting.resolve(response.results[i]!.messageId));
    } catch (error) {
      for (const waiting of batch.waiting) waiting.reject(error);
    }
  }
}

/** What a message adds to a Publish request, near enough for batching by bytes. */
function sizeOf(message: PublishMessage): number {
  let bytes = (message.data as Buffer).length + Buffer.byteLength(message.orderingKey ?? '') + Buffer.byteLength(message.idempotencyKey ?? '') + 16;
  for (const [key, value] of Object.entries(message.attributes ?? {})) bytes += Buffer.byteLength(key) + Buffer.byteLength(value) + 8;
  return bytes;
}
