// A publisher's batches over one PublishStream: one HTTP/2 stream for all of them, where a unary
// Publish opens one per call. Each send settles with its own request's answer, or fails with an
// error shaped as a failed call's (code, details, metadata), so that withRetry treats both alike:
// the request's own status (RESOURCE_EXHAUSTED with its retry delay as relay-retry-after-ms), the
// stream's end (UNAVAILABLE when the gateway drains or goes away: the next send opens a new stream),
// or DEADLINE_EXCEEDED when an answer takes longer than the call timeout (the stream is cut then,
// and every request still waiting on it fails the same way, to be sent again).
import { Metadata, status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import type { PublisherServiceClient } from '../../generated/ts/relay/v1/PublisherService.ts';
import type { PublishStreamRequest } from '../../generated/ts/relay/v1/PublishStreamRequest.ts';
import type { PublishStreamResponse__Output } from '../../generated/ts/relay/v1/PublishStreamResponse.ts';
import { retryAfterKey } from './retry.ts';

type Stream = ClientDuplexStream<PublishStreamRequest, PublishStreamResponse__Output>;

interface Waiting {
  resolve(response: PublishStreamResponse__Output): void;
  reject(error: ServiceError): void;
  readonly timer: NodeJS.Timeout;
}

/** An error as a failed call rejects with. */
function callError(code: status, details: string, retryAfterMs = 0): ServiceError {
  const metadata = new Metadata();
  if (retryAfterMs > 0) metadata.set(retryAfterKey, String(retryAfterMs));
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

export class PublishStreamSender {
  private stream: Stream | undefined;
  /** The open stream's requests not answered yet, oldest first: answers come in request order. */
  private waiting: Waiting[] = [];

  constructor(
    private readonly client: PublisherServiceClient,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves with the request's results; rejects as a failed Publish call would. */
  send(request: PublishStreamRequest): Promise<PublishStreamResponse__Output> {
    const stream = (this.stream ??= this.open());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.cut(stream, callError(status.DEADLINE_EXCEEDED, `no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.waiting.push({ resolve, reject, timer });
      stream.write(request);
    });
  }

  /** Half-closes the stream; the gateway answers what it has, then ends it. */
  close(): void {
    this.stream?.end();
    this.stream = undefined;
  }

  private open(): Stream {
    const stream: Stream = this.client.PublishStream();
    stream.on('data', (response: PublishStreamResponse__Output) => {
      const waiting = this.waiting.shift();
      if (!waiting) return;
      clearTimeout(waiting.timer);
      if (response.statusCode === status.OK) waiting.resolve(response);
      else waiting.reject(callError(response.statusCode, response.statusMessage, response.retryAfterMs));
    });
    stream.on('error', (error: ServiceError) => this.fail(stream, error));
    // Ended without an error while requests still wait: they were not answered, and may be sent again.
    stream.on('status', () => this.fail(stream, callError(status.UNAVAILABLE, 'the publish stream ended')));
    return stream;
  }

  /** Gives up on a stream that takes too long to answer: every request waiting on it fails with `error`. */
  private cut(stream: Stream, error: ServiceError): void {
    this.fail(stream, error);
    stream.cancel();
  }

  private fail(stream: Stream, error: ServiceError): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    for (const waiting of this.waiting.splice(0)) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
  }
}
