// The OpenTelemetry SDK, set up from the standard OTEL_* variables only (gateway/instrument.ts calls
// startTracing before anything else runs). Without an OTLP endpoint, or with OTEL_SDK_DISABLED=true,
// nothing is loaded beyond the API: no provider, no instrumentation, no exporter.
import { createRequire } from 'node:module';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RelayIdGenerator } from './ids.ts';
import { OtlpBatchSpanProcessor, otlpTransport, type SpanBatchTransport } from './otlp-batch-processor.ts';
import { SyncContextManager } from './sync-context.ts';
import { useTracerProvider } from './tracing.ts';

const require = createRequire(import.meta.url);

/** A bad OTEL_* value; the gateway lists it like its own configuration errors and exits 2. */
export class TelemetryConfigError extends Error {
  constructor(problem: string) {
    super(`invalid configuration:\n  - ${problem}`);
    this.name = 'TelemetryConfigError';
  }
}

export interface TracingOptions {
  /** Replace the exporter the environment names (tests use an in-memory one). */
  readonly spanProcessors?: SpanProcessor[];
}

export interface TracingHandle {
  /** Flushes what is buffered and stops exporting. Idempotent. */
  shutdown(): Promise<void>;
}

let running: TracingHandle | undefined;

/** service.name: OTEL_SERVICE_NAME, else relay. */
export function serviceName(): string {
  return process.env.OTEL_SERVICE_NAME || 'relay';
}

/** The OTLP transport the environment asks for, or undefined when it names no endpoint. */
function transportFromEnvironment(env: NodeJS.ProcessEnv): SpanBatchTransport | undefined {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (exporters.includes('none')) return undefined;
  if (exporters.some((name) => name !== 'otlp')) {
    throw new TelemetryConfigError(`OTEL_TRACES_EXPORTER must be otlp or none, got ${JSON.stringify(env.OTEL_TRACES_EXPORTER)}`);
  }
  if (!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT && !env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf';
  // The transports read the endpoint, headers, timeout and compression from the same variables.
  if (protocol === 'grpc' || protocol === 'http/protobuf') return otlpTransport(protocol);
  throw new TelemetryConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL must be grpc or http/protobuf, got ${JSON.stringify(protocol)}`);
}

const diagLevels: Record<string, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * Sets tracing up once per process: a NodeTracerProvider (sampler from OTEL_TRACES_SAMPLER; spans
 * encoded to OTLP as they end and exported in batches tuned by OTEL_BSP_*, see
 * otlp-batch-processor.ts; the SDK's random ids, drawn more cheaply, see ids.ts), W3C propagation,
 * a synchronous context manager, and the gRPC and ioredis instrumentations. Answers undefined, and
 * leaves tracing off, when there is nothing to export to.
 */
export function startTracing(options: TracingOptions = {}): TracingHandle | undefined {
  if (running) return running;
  const env = process.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const transport = options.spanProcessors ? undefined : transportFromEnvironment(env);
  if (!options.spanProcessors && !transport) return undefined;
  diag.setLogger(new DiagConsoleLogger(), diagLevels[(env.OTEL_LOG_LEVEL ?? '').toLowerCase()] ?? DiagLogLevel.ERROR);
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const processors = options.spanProcessors ?? [new OtlpBatchSpanProcessor(transport!)];

  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'relay' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: processors, idGenerator: new RelayIdGenerator() });
  // W3C trace context propagation; the active context follows synchronous calls (see sync-context.ts).
  provider.register({ contextManager: new SyncContextManager() });
  instrument();
  useTracerProvider(provider);
  let stopped: Promise<void> | undefined;
  running = {
    shutdown: () => (stopped ??= provider.shutdown().catch((error: unknown) => diag.error('tracing shutdown failed', error))),
  };
  return running;
}

/** Longest the gateway waits at exit for its last spans to be exported. */
const flushTimeoutMs = 5000;

/** Flushes and stops tracing, if it runs; gives up after flushTimeoutMs (an unreachable collector). */
export async function shutdownTracing(): Promise<void> {
  if (!running) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([running.shutdown(), new Promise<void>((resolve) => (timer = setTimeout(resolve, flushTimeoutMs)))]);
  clearTimeout(timer);
}

/**
 * instrumentation-grpc (server spans, context from the call's metadata) and instrumentation-ioredis
 * (one span per Redis command inside a traced operation). Both patch the CommonJS modules, which the
 * ESM imports of the gateway share: requiring them here patches them whichever loads first.
 */
function instrument(): void {
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { GrpcInstrumentation } = require('@opentelemetry/instrumentation-grpc') as typeof import('@opentelemetry/instrumentation-grpc');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  registerInstrumentations({
    instrumentations: [
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch', 'ServerReflectionInfo'] }),
      // The command name only: arguments carry payloads.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  require('@grpc/grpc-js');
  require('ioredis');
}

