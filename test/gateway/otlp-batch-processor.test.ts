// The gateway's span export (gateway/telemetry/otlp-batch-processor.ts) through the SDK's real OTLP
// transports (HTTP and gRPC) to receivers on loopback: when batches leave (full, or after the
// schedule delay), what is dropped when the queue is full, forceFlush and shutdown, one export at a
// time and its timeout, that unsampled spans never leave, and that ended spans are not kept alive.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { diag, DiagLogLevel, SamplingDecision, type Sampler } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { OtlpBatchSpanProcessor, otlpTransport, type OtlpBatchOptions } from '../../gateway/telemetry/otlp-batch-processor.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

/** Never reached by these tests unless a behaviour under test is broken. */
const longDelayMs = 60_000;

// A full collection on demand, for the test of what the processor keeps alive.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const warnings: string[] = [];
diag.setLogger(
  { error: () => {}, warn: (message) => warnings.push(message), info: () => {}, debug: () => {}, verbose: () => {} },
  DiagLogLevel.WARN,
);

/** Spans of the tracer go to a processor exporting over OTLP/HTTP to `endpoint`. */
function tracing(endpoint: string, options: OtlpBatchOptions, sampler?: Sampler) {
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  const transport = otlpTransport('http/protobuf');
  const processor = new OtlpBatchSpanProcessor(transport, options);
  const provider = new BasicTracerProvider({ spanProcessors: [processor], sampler });
  const tracer = provider.getTracer('relay-test');
  const end = (...names: string[]) => {
    for (const name of names) tracer.startSpan(name).end();
  };
  return { processor, transport, tracer, end };
}

const names = (receiver: OtlpReceiver) => receiver.spans.map((span) => span.name);
const spanNames = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const test = suite<{ receiver?: OtlpReceiver }>('OTLP batch export');

test.before.each(async (context) => {
  warnings.length = 0;
  context.receiver = await startOtlpReceiver();
});
test.after.each(async (context) => {
  await context.receiver?.close();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
});

test('a batch that fills up is exported at once, in one request, without waiting for the delay', async ({ receiver }) => {
  const { end, processor } = tracing(receiver!.endpoint, { maxExportBatchSize: 4, scheduleDelayMs: longDelayMs });
  end(...spanNames('full-', 9));
  await receiver!.until((spans) => spans.length === 8, 5_000, 'two full batches');
  await sleep(100);
  assert.is(receiver!.contentTypes.length, 2, 'two requests of four spans');
  assert.equal(names(receiver!), spanNames('full-', 8));
  await processor.shutdown();
  assert.equal(names(receiver!), spanNames('full-', 9), 'the ninth went at shutdown');
});

test('a batch that does not fill up is exported once the schedule delay has passed since its first span', async ({ receiver }) => {
  const { end, processor } = tracing(receiver!.endpoint, { maxExportBatchSize: 100, scheduleDelayMs: 800 });
  const started = Date.now();
  end('first');
  await sleep(100);
  end('second');
  await sleep(100);
  assert.is(receiver!.spans.length, 0, 'nothing before the delay');
  await receiver!.until((spans) => spans.length === 2, 5_000, 'the delayed batch');
  assert.ok(Date.now() - started >= 800, `exported after ${Date.now() - started} ms`);
  assert.equal(names(receiver!), ['first', 'second']);
  assert.is(receiver!.contentTypes.length, 1);
  await processor.shutdown();
});

test('OTEL_BSP_MAX_EXPORT_BATCH_SIZE and OTEL_BSP_SCHEDULE_DELAY set the batch size and the delay', async ({ receiver }) => {
  process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE = '3';
  process.env.OTEL_BSP_SCHEDULE_DELAY = String(longDelayMs);
  try {
    const { end, processor } = tracing(receiver!.endpoint, {});
    end(...spanNames('env-', 4));
    await receiver!.until((spans) => spans.length === 3, 5_000, 'a batch of three');
    await sleep(100);
    assert.equal(names(receiver!), spanNames('env-', 3));
    await processor.shutdown();
  } finally {
    delete process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE;
    delete process.env.OTEL_BSP_SCHEDULE_DELAY;
  }
});

test('spans beyond OTEL_BSP_MAX_QUEUE_SIZE waiting for export are dropped, and counted in one warning', async ({ receiver }) => {
  const { end, processor } = tracing(receiver!.endpoint, { maxQueueSize: 4, maxExportBatchSize: 2, scheduleDelayMs: longDelayMs });
  // Ended in one go: the first four fill the queue before any export can start.
  end(...spanNames('queued-', 4), ...spanNames('dropped-', 6));
  await processor.forceFlush();
  assert.equal(warnings, [], 'no warning while spans are being dropped');
  end('after');
  await processor.forceFlush();
  assert.equal(names(receiver!), [...spanNames('queued-', 4), 'after']);
  assert.equal(warnings, ['Dropped 6 spans because maxQueueSize reached']);
  await processor.shutdown();
});

test('forceFlush exports every pending span, in batches, and resolves once they are received', async ({ receiver }) => {
  const { end, processor } = tracing(receiver!.endpoint, { maxExportBatchSize: 3, scheduleDelayMs: longDelayMs });
  end(...spanNames('pending-', 2));
  await processor.forceFlush();
  assert.equal(names(receiver!), spanNames('pending-', 2));
  end(...spanNames('more-', 7));
  await processor.forceFlush();
  assert.equal(names(receiver!), [...spanNames('pending-', 2), ...spanNames('more-', 7)]);
  assert.is(receiver!.contentTypes.length, 4, 'one request for the first flush, then 3 + 3 + 1');
  await processor.shutdown();
});

test('shutdown exports what is pending, then shuts the transport down and ignores later spans', async ({ receiver }) => {
  const { end, processor, transport } = tracing(receiver!.endpoint, { maxExportBatchSize: 4, scheduleDelayMs: longDelayMs });
  let exports = 0;
  const exportBatch = transport.export.bind(transport);
  transport.export = (batch, done) => {
    exports++;
    exportBatch(batch, done);
  };
  let receivedAtTransportShutdown = -1;
  const shutdownTransport = transport.shutdown.bind(transport);
  transport.shutdown = () => {
    receivedAtTransportShutdown = receiver!.spans.length;
    return shutdownTransport();
  };
  end(...spanNames('last-', 3));
  await processor.shutdown();
  assert.equal(names(receiver!), spanNames('last-', 3));
  assert.is(receivedAtTransportShutdown, 3, 'the transport shut down after the flush');
  // A full batch, were they not ignored.
  end(...spanNames('too-late-', 4));
  await processor.forceFlush();
  await sleep(50);
  assert.is(exports, 1);
  assert.equal(names(receiver!), spanNames('last-', 3));
});

test('spans recorded but not sampled are not exported', async ({ receiver }) => {
  const recordOnlyUnsampled: Sampler = {
    shouldSample: (_context, _traceId, name) => ({ decision: name.startsWith('unsampled') ? SamplingDecision.RECORD : SamplingDecision.RECORD_AND_SAMPLED }),
    toString: () => 'records every span, samples some',
  };
  const { end, processor } = tracing(receiver!.endpoint, { maxExportBatchSize: 2, scheduleDelayMs: longDelayMs }, recordOnlyUnsampled);
  end('sampled-1', 'unsampled-1', 'unsampled-2', 'sampled-2', 'unsampled-3');
  await processor.forceFlush();
  assert.equal(names(receiver!), ['sampled-1', 'sampled-2']);
  assert.is(receiver!.contentTypes.length, 1, 'the two sampled spans made one full batch');
  await processor.shutdown();
});

/** An OTLP/HTTP endpoint that answers each request after `delayMs`, or never for the requests `hang` picks. */
async function slowReceiver(delayMs: number, hang: (request: number) => boolean = () => false) {
  let inFlight = 0;
  let mostInFlight = 0;
  let requests = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const number = ++requests;
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    request.resume();
    if (hang(number)) return;
    setTimeout(() => {
      inFlight--;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    }, delayMs);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests: () => requests,
    mostInFlight: () => mostInFlight,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

test('one export is in flight at a time: the next batch waits for the answer to the last', async () => {
  const slow = await slowReceiver(100);
  try {
    const { end, processor } = tracing(slow.endpoint, { maxExportBatchSize: 2, scheduleDelayMs: longDelayMs });
    end(...spanNames('serial-', 6));
    await processor.forceFlush();
    assert.is(slow.requests(), 3);
    assert.is(slow.mostInFlight(), 1);
    await processor.shutdown();
  } finally {
    slow.close();
  }
});

test('an export still unanswered after OTEL_BSP_EXPORT_TIMEOUT no longer holds back the next batch', async () => {
  const slow = await slowReceiver(0, (request) => request === 1);
  // The transport's own deadline, well after the processor's.
  process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '2000';
  try {
    const { end, processor } = tracing(slow.endpoint, { maxExportBatchSize: 1, scheduleDelayMs: longDelayMs, exportTimeoutMs: 300 });
    const started = Date.now();
    end('unanswered', 'next');
    const flushed = await processor.forceFlush().then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    assert.match(flushed, /timed out after 300 ms/);
    await eventually(() => slow.requests() === 2, 1_500, 'the second batch, before the transport gives up on the first');
    assert.ok(Date.now() - started < 2000, `second request after ${Date.now() - started} ms`);
    await processor.shutdown();
  } finally {
    delete process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
    slow.close();
  }
});

test('the gRPC transport delivers batches to an OTLP/gRPC receiver', async () => {
  const definition = loadSync(new URL('../fixtures/otlp-trace.proto', import.meta.url).pathname, { longs: String, defaults: true });
  const { TraceService } = (grpc.loadPackageDefinition(definition) as any).opentelemetry.proto.collector.trace.v1;
  const received: string[] = [];
  const server = new grpc.Server();
  server.addService(TraceService.service, {
    Export(call: grpc.ServerUnaryCall<any, unknown>, callback: grpc.sendUnaryData<unknown>) {
      for (const resourceSpans of call.request.resourceSpans) {
        for (const scopeSpans of resourceSpans.scopeSpans) received.push(...scopeSpans.spans.map((span: { name: string }) => span.name));
      }
      callback(null, {});
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
  try {
    const processor = new OtlpBatchSpanProcessor(otlpTransport('grpc'), { maxExportBatchSize: 2, scheduleDelayMs: longDelayMs });
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('relay-test');
    for (const name of spanNames('grpc-', 3)) tracer.startSpan(name).end();
    await processor.shutdown();
    assert.equal(received, spanNames('grpc-', 3));
  } finally {
    server.forceShutdown();
  }
});

test('an ended span is not kept until its batch leaves: only its encoding is', async ({ receiver }) => {
  const { processor, tracer } = tracing(receiver!.endpoint, { maxExportBatchSize: 100, scheduleDelayMs: longDelayMs });
  const ended = (() => {
    const span = tracer.startSpan('short-lived');
    span.end();
    return new WeakRef(span);
  })();
  // A WeakRef holds its target until the current job ends.
  await sleep(0);
  collectGarbage();
  assert.is(ended.deref(), undefined, 'the span was collected');
  await processor.forceFlush();
  assert.equal(names(receiver!), ['short-lived']);
  await processor.shutdown();
});

test.run();
