// The OTLP/HTTP sink of `npm run bench:tracing`, in a process of its own as a collector would be: in
// the load generator's process, receiving the export (about 800 B per traced message) doubled that
// process's garbage collection (803 against 377 ms per 100,000 messages, under the profiler), CPU
// the 2 cores then lacked for the gateway. It keeps each request's body and decodes the bodies only
// when asked (between runs), to count the spans.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { loadSync } from '@grpc/proto-loader';

export interface OtlpSink {
  readonly endpoint: string;
  readonly pid: number;
  /** Spans received since the last call (decoded now, in the sink's process). */
  spans(): Promise<number>;
  close(): Promise<void>;
}

/** What the sink process answers over IPC: its port once it listens, then one span count per request. */
type SinkMessage = { readonly port: number } | { readonly spans: number };

async function reply(child: ChildProcess): Promise<SinkMessage> {
  // The listener that loses the race is removed.
  const settled = new AbortController();
  const { signal } = settled;
  try {
    const [message] = (await Promise.race([once(child, 'message', { signal }), once(child, 'exit', { signal }).then(() => [undefined])])) as [
      SinkMessage | undefined,
    ];
    if (message === undefined) throw new Error(`the OTLP sink exited (${child.exitCode ?? child.signalCode})`);
    return message;
  } finally {
    settled.abort();
  }
}

/** Starts the sink process (this module, run through tsx) and waits until it listens. */
export async function startOtlpSink(): Promise<OtlpSink> {
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await reply(child);
  if (!('port' in ready)) throw new Error('the OTLP sink answered before listening');
  return {
    endpoint: `http://127.0.0.1:${ready.port}`,
    pid: child.pid!,
    async spans() {
      child.send('spans');
      const answer = await reply(child);
      if (!('spans' in answer)) throw new Error('the OTLP sink answered out of turn');
      return answer.spans;
    },
    async close() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

/** The sink process: serves until its parent disconnects. */
async function serve(): Promise<void> {
  const bodies: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const definition = loadSync(new URL('../../test/fixtures/otlp-trace.proto', import.meta.url).pathname);
  const decode = (definition['opentelemetry.proto.collector.trace.v1.TraceService'] as Record<string, { requestDeserialize(b: Buffer): unknown }>)
    .Export!.requestDeserialize;
  process.on('message', () => {
    let spans = 0;
    for (const body of bodies.splice(0)) {
      const request = decode(body) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
      for (const resource of request.resourceSpans) for (const scope of resource.scopeSpans) spans += scope.spans.length;
    }
    process.send!({ spans } satisfies SinkMessage);
  });
  process.on('disconnect', () => server.close(() => process.exit(0)));
  process.send!({ port: (server.address() as { port: number }).port } satisfies SinkMessage);
}

if (process.argv.includes('--serve')) await serve();
