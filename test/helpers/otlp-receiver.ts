// A tiny OTLP/HTTP trace receiver on loopback, as a collector would be: POST /v1/traces with
// protobuf (ExportTraceServiceRequest, decoded with test/fixtures/otlp-trace.proto) or JSON bodies.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { loadSync } from '@grpc/proto-loader';

/** One received span, ids in lowercase hex, attributes flattened to plain values. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  /** The resource's service.name. */
  readonly service: string;
}

export interface OtlpReceiver {
  /** http://127.0.0.1:<port>: what OTEL_EXPORTER_OTLP_ENDPOINT should say. */
  readonly endpoint: string;
  readonly spans: ReceivedSpan[];
  /** Content types of the requests received, in order. */
  readonly contentTypes: string[];
  /** Resolves once predicate holds over the spans received, or rejects after timeoutMs. */
  until(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

const definition = loadSync(new URL('../fixtures/otlp-trace.proto', import.meta.url).pathname, { longs: String, defaults: true, oneofs: true });
const exportMethod = (definition['opentelemetry.proto.collector.trace.v1.TraceService'] as Record<string, { requestDeserialize(data: Buffer): unknown }>)
  .Export!;

type Value = Record<string, unknown>;

/** AnyValue (protobuf as decoded by proto-loader, or OTLP JSON) as a plain value. */
function plain(value: Value | undefined): unknown {
  if (!value) return undefined;
  const key = (value.value as string | undefined) ?? Object.keys(value).find((name) => name.endsWith('Value') || name.endsWith('_value'));
  if (!key) return undefined;
  const raw = value[key];
  if (key === 'intValue' || key === 'int_value') return Number(raw);
  if (key === 'arrayValue' || key === 'array_value') return ((raw as { values?: Value[] }).values ?? []).map(plain);
  return raw;
}

const hex = (id: unknown): string => (Buffer.isBuffer(id) ? id.toString('hex') : typeof id === 'string' ? id.toLowerCase() : '');

function flatten(request: Value): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  const list = (value: unknown) => (Array.isArray(value) ? (value as Value[]) : []);
  for (const resourceSpans of list(request.resourceSpans ?? request.resource_spans)) {
    const attributesOf = (holder: Value | undefined) =>
      Object.fromEntries(list(holder?.attributes).map((kv) => [kv.key as string, plain(kv.value as Value)]));
    const service = String(attributesOf(resourceSpans.resource as Value)['service.name'] ?? '');
    for (const scopeSpans of list(resourceSpans.scopeSpans ?? resourceSpans.scope_spans)) {
      for (const span of list(scopeSpans.spans)) {
        spans.push({
          traceId: hex(span.traceId ?? span.trace_id),
          spanId: hex(span.spanId ?? span.span_id),
          parentSpanId: hex(span.parentSpanId ?? span.parent_span_id),
          name: span.name as string,
          kind: Number(span.kind ?? 0),
          attributes: attributesOf(span),
          service,
        });
      }
    }
  }
  return spans;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    body(request).then(
      (data) => {
        const type = request.headers['content-type'] ?? '';
        contentTypes.push(type);
        const decoded = type.startsWith('application/json')
          ? (JSON.parse(data.toString()) as Value)
          : (exportMethod.requestDeserialize(data) as Value);
        spans.push(...flatten(decoded));
        if (type.startsWith('application/json')) response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      },
      () => response.writeHead(400).end(),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    async until(predicate, timeoutMs = 10_000, what = 'spans') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(spans)) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what}; received:\n${spans.map((span) => `${span.name} ${span.spanId} <- ${span.parentSpanId}`).join('\n')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
