// Batch export of spans encoded to OTLP the moment they end (otlp-encoding.ts), in place of the SDK's
// BatchSpanProcessor and OTLP exporter: a queue of ended SpanImpl objects outlives the young
// generation and costs the gateway more in garbage collection than the encoding does. The batching
// rules and OTEL_BSP_* settings are the BatchSpanProcessor's; the transport is the SDK's own, so
// every OTEL_EXPORTER_OTLP_* variable works as with its exporters.
import { createRequire } from 'node:module';
import { context, diag, TraceFlags, type Exception } from '@opentelemetry/api';
import { ExportResultCode, getNumberFromEnv, globalErrorHandler, suppressTracing, type ExportResult } from '@opentelemetry/core';
import type { IOtlpExportDelegate } from '@opentelemetry/otlp-exporter-base';
import type { IExporterMetricsHelper, IExportTraceServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { EncodedSpanBatch } from './otlp-encoding.ts';

const require = createRequire(import.meta.url);

/** Where batches go: the SDK's OTLP export delegate, which serializes with batch.toRequest(). */
export type SpanBatchTransport = Pick<IOtlpExportDelegate<EncodedSpanBatch>, 'export' | 'shutdown'>;

/** Each setting defaults to its OTEL_BSP_* variable, then to the SDK's default. */
export interface OtlpBatchOptions {
  /** Spans per export request: OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 512. At most maxQueueSize. */
  readonly maxExportBatchSize?: number;
  /** Spans waiting for export beyond which new ones are dropped: OTEL_BSP_MAX_QUEUE_SIZE, 2048. */
  readonly maxQueueSize?: number;
  /** How long a batch collects spans, from its first: OTEL_BSP_SCHEDULE_DELAY, 5000 ms. */
  readonly scheduleDelayMs?: number;
  /** How long the next batch waits for one export to finish: OTEL_BSP_EXPORT_TIMEOUT, 30000 ms. */
  readonly exportTimeoutMs?: number;
}

/** A batch handed to the export chain; a flush waiting for it takes over reporting its failure. */
interface PendingExport {
  readonly done: Promise<void>;
  awaited: boolean;
}

/**
 * Encodes each sampled span as it ends into the open batch, and exports a batch when it holds
 * maxExportBatchSize spans or scheduleDelayMs after its first span, one export at a time.
 */
export class OtlpBatchSpanProcessor implements SpanProcessor {
  private readonly maxExportBatchSize: number;
  private readonly maxQueueSize: number;
  private readonly scheduleDelayMs: number;
  private readonly exportTimeoutMs: number;
  private open = new EncodedSpanBatch();
  /** Spans encoded and not yet handed to the transport, in the open batch and the sealed ones. */
  private queuedSpans = 0;
  /** Spans dropped since the last one queued (a full queue). */
  private droppedSpans = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Settles when the last sealed batch's export has: each export starts after the one before. */
  private lastExport: Promise<void> = Promise.resolve();
  private readonly pendingExports = new Set<PendingExport>();
  private shutdownOnce: Promise<void> | undefined;

  constructor(
    private readonly transport: SpanBatchTransport,
    options: OtlpBatchOptions = {},
  ) {
    this.maxQueueSize = options.maxQueueSize ?? getNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE') ?? 2048;
    this.maxExportBatchSize = options.maxExportBatchSize ?? getNumberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE') ?? 512;
    this.scheduleDelayMs = options.scheduleDelayMs ?? getNumberFromEnv('OTEL_BSP_SCHEDULE_DELAY') ?? 5000;
    this.exportTimeoutMs = options.exportTimeoutMs ?? getNumberFromEnv('OTEL_BSP_EXPORT_TIMEOUT') ?? 30000;
    if (this.maxExportBatchSize > this.maxQueueSize) {
      diag.warn('OtlpBatchSpanProcessor: maxExportBatchSize must be smaller or equal to maxQueueSize, setting maxExportBatchSize to match maxQueueSize');
      this.maxExportBatchSize = this.maxQueueSize;
    }
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.shutdownOnce) return;
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queuedSpans >= this.maxQueueSize) {
      if (this.droppedSpans === 0) diag.debug('maxQueueSize reached, dropping spans');
      this.droppedSpans++;
      return;
    }
    if (this.droppedSpans > 0) {
      diag.warn(`Dropped ${this.droppedSpans} spans because maxQueueSize reached`);
      this.droppedSpans = 0;
    }
    try {
      this.open.add(span);
    } catch (error) {
      // The batch stays whole (add leaves nothing of a span it could not encode); span.end() must not throw.
      globalErrorHandler(error as Exception);
      return;
    }
    this.queuedSpans++;
    if (this.open.spanCount >= this.maxExportBatchSize) this.seal();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.seal(), this.scheduleDelayMs);
      this.timer.unref();
    }
  }

  /** Exports every span ended so far; rejects when one of their exports failed. */
  forceFlush(): Promise<void> {
    return this.shutdownOnce ?? this.flush();
  }

  /** Flushes, then shuts the transport down (whether the flush succeeded or not). Later spans are ignored. */
  shutdown(): Promise<void> {
    this.shutdownOnce ??= this.flush().finally(() => this.transport.shutdown());
    return this.shutdownOnce;
  }

  private async flush(): Promise<void> {
    this.seal();
    const pending = [...this.pendingExports];
    for (const batch of pending) batch.awaited = true;
    await Promise.all(pending.map((batch) => batch.done));
  }

  /** Closes the open batch and queues its export behind the exports already queued. */
  private seal(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.open.spanCount === 0) return;
    const batch = this.open;
    this.open = new EncodedSpanBatch();
    const pending: PendingExport = { done: this.lastExport.then(() => this.exportBatch(batch)), awaited: false };
    this.pendingExports.add(pending);
    this.lastExport = pending.done.then(
      () => {
        this.pendingExports.delete(pending);
      },
      (error: unknown) => {
        this.pendingExports.delete(pending);
        if (!pending.awaited) globalErrorHandler(error as Exception);
      },
    );
  }

  /** Hands the batch to the transport; settles with the export, or rejects after exportTimeoutMs. */
  private exportBatch(batch: EncodedSpanBatch): Promise<void> {
    // As in the SDK, spans leave the queue when their export starts.
    this.queuedSpans -= batch.spanCount;
    return new Promise<void>((resolve, reject) => {
      // Gives up waiting, not the export: the next batch may start.
      const timer = setTimeout(() => reject(new Error(`span export timed out after ${this.exportTimeoutMs} ms`)), this.exportTimeoutMs);
      timer.unref();
      const send = () =>
        // The transport's own requests (gRPC is instrumented) must not make spans.
        context.with(suppressTracing(context.active()), () =>
          this.transport.export(batch, (result: ExportResult) => {
            clearTimeout(timer);
            if (result.code === ExportResultCode.SUCCESS) resolve();
            else reject(result.error ?? new Error('span export failed'));
          }),
        );
      const pendingResources = [...batch.resources()].filter((resource) => resource.asyncAttributesPending && resource.waitForAsyncAttributes);
      if (pendingResources.length === 0) send();
      else Promise.all(pendingResources.map((resource) => resource.waitForAsyncAttributes!())).then(send, reject);
    });
  }
}

/** The request is the batch's own encoding; responses are read by the SDK's trace serializer. */
function batchSerializer(): ISerializer<EncodedSpanBatch, IExportTraceServiceResponse> {
  const { ProtobufTraceSerializer } = require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
  return { serializeRequest: (batch) => batch.toRequest(), deserializeResponse: ProtobufTraceSerializer.deserializeResponse };
}

const spanCounter: IExporterMetricsHelper<EncodedSpanBatch> = { name: 'span', countItems: (batch) => batch.spanCount };

/**
 * The SDK's OTLP trace transport for `protocol`, set up as its OTLPTraceExporter sets it up: the
 * endpoint, headers, timeout, compression and certificates come from the OTEL_EXPORTER_OTLP_* variables.
 */
export function otlpTransport(protocol: 'grpc' | 'http/protobuf'): SpanBatchTransport {
  if (protocol === 'grpc') {
    const { convertLegacyOtlpGrpcOptions, createOtlpGrpcExportDelegate } = require('@opentelemetry/otlp-grpc-exporter-base') as typeof import('@opentelemetry/otlp-grpc-exporter-base');
    return createOtlpGrpcExportDelegate(
      convertLegacyOtlpGrpcOptions({}, 'TRACES'),
      batchSerializer(),
      'otlp_grpc_span_exporter',
      spanCounter,
      undefined,
      'TraceExportService',
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    );
  }
  const { convertLegacyHttpOptions, createOtlpHttpExportDelegate } = require('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
  return createOtlpHttpExportDelegate(
    convertLegacyHttpOptions({}, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
    batchSerializer(),
    'otlp_http_span_exporter',
    spanCounter,
    undefined,
  );
}
