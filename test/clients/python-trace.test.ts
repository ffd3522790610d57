// A Python subscriber continues the trace (clients/python/trace_example.py): the gateway process and
// the Python script both export to one OTLP/HTTP receiver on loopback (the gateway as protobuf, Python
// as JSON), and the Python process span must be the child of the gateway's delivery span.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

interface Summary {
  topic: string;
  subscription: string;
  message_id: string;
  trace_id: string;
  publisher_span_id: string;
  delivered_traceparent: string;
  process_span_id: string;
  process_parent_span_id: string;
  exported: boolean;
}

const test = suite<{ redis?: RedisServer; receiver?: OtlpReceiver; gateway?: GatewayProcess; setupError?: unknown }>('python trace');

// uvu 0.5 swallows an error thrown by a before hook: keep it for the test to throw.
test.before(async (context) => {
  try {
    context.redis = await startRedisServer();
    context.receiver = await startOtlpReceiver();
    context.gateway = await startGateway({
      REDIS_URL: context.redis.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: context.receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  } catch (error) {
    context.setupError = error;
  }
});

test.after(async (context) => {
  await context.gateway?.stop();
  await context.receiver?.close();
  await context.redis?.stop();
});

test("the Python subscriber's process span is the child of the gateway's delivery span, in the publisher's trace", async ({
  gateway,
  receiver,
  setupError,
}) => {
  if (setupError) throw setupError;
  let stdout: string;
  try {
    ({ stdout } = await run('/usr/bin/python3', ['clients/python/trace_example.py', '--address', gateway!.address], {
      cwd: root,
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1', OTEL_EXPORTER_OTLP_ENDPOINT: receiver!.endpoint },
    }));
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    assert.unreachable(`trace_example.py failed: ${error}\n${stdout}${stderr}\ngateway log:\n${gateway!.output()}`);
    return;
  }
  const summary = JSON.parse(stdout.trim()) as Summary;
  assert.ok(summary.exported, 'the script exported its spans');

  const inTrace = (spans: ReceivedSpan[]) => spans.filter((span) => span.traceId === summary.trace_id);
  const find = (spans: ReceivedSpan[], name: string) => inTrace(spans).filter((span) => span.name === name);
  await receiver!.until(
    (spans) =>
      find(spans, `process ${summary.topic}`).length === 1 &&
      find(spans, `deliver ${summary.topic}`).some((span) => span.attributes['messaging.relay.settlement.outcome'] === 'ack'),
    10_000,
    'the process span and the settled delivery span',
  );
  const spans = inTrace(receiver!.spans);
  const [processSpan] = find(spans, `process ${summary.topic}`);
  const [delivery] = find(spans, `deliver ${summary.topic}`);
  const [publishSpan] = find(spans, `publish ${summary.topic}`);
  assert.is(processSpan!.service, 'relay-python-example');
  assert.is(delivery!.service, 'relay');
  assert.is(processSpan!.spanId, summary.process_span_id);
  assert.is(processSpan!.parentSpanId, delivery!.spanId, "the process span's parent is the delivery span");
  assert.is(summary.delivered_traceparent, `00-${summary.trace_id}-${delivery!.spanId}-01`, 'Python received the delivery span context');
  assert.is(delivery!.parentSpanId, publishSpan!.spanId);
  assert.is(delivery!.attributes['messaging.message.id'], summary.message_id);
  // publish descends from the Python publisher's span through the Publish RPC's server span.
  const rpc = spans.find((span) => span.spanId === publishSpan!.parentSpanId);
  assert.is(rpc?.name, 'grpc.relay.v1.PublisherService/Publish');
  assert.is(rpc?.parentSpanId, summary.publisher_span_id);
  assert.ok(find(spans, 'publisher').length === 1, "the Python publisher's own span arrived too");
  // The Ack carried the process span's context: the gateway's Ack RPC span is its child.
  await receiver!.until(
    (all) => inTrace(all).some((span) => span.name === 'grpc.relay.v1.SubscriberService/Ack' && span.parentSpanId === summary.process_span_id),
    10_000,
    'the Ack RPC span under the process span',
  );
});

test.run();
