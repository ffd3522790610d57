// The TypeScript client continues a message's trace: its Publish carries the caller's span, and the
// span process() runs each handler in is a child of that delivery's span, in the same trace.
import { memoryExporter as exporter } from '../helpers/trace-in-memory.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { connect, type Relay } from '../../clients/typescript/index.ts';
import { uniqueName } from '../helpers/client.ts';
import { startInProcess, type InProcessGateway } from '../helpers/in-process.ts';
import { parentId, spanId, traceId, traceparentSpanId } from '../helpers/tracing.ts';

const test = suite<{ running?: InProcessGateway; relay?: Relay }>('typescript client tracing');

test.before(async (context) => {
  context.running = await startInProcess({ store: new MemoryMessageStore(), cleanup: async () => {} });
  context.relay = connect({ address: `127.0.0.1:${context.running.gateway.port}` });
});
test.after(async ({ running, relay }) => {
  await relay?.close();
  await running?.stop();
});

test('the handler runs in a process span whose parent is the delivery span, in the publisher’s trace', async ({ relay }) => {
  const topic = uniqueName('topic');
  const subscription = uniqueName('sub');
  await relay!.admin.createTopic({ topic: { name: topic } });
  await relay!.admin.createSubscription({ subscription: { name: subscription, topic, startPosition: 'START_POSITION_EARLIEST' } });

  const publisherSpan = trace.getTracer('test').startSpan('checkout', { kind: SpanKind.PRODUCER });
  await context.with(trace.setSpan(context.active(), publisherSpan), () => relay!.publisher(topic).publish({ data: 'traced' }));
  publisherSpan.end();

  const subscriber = relay!.subscribe(subscription);
  let delivered = '';
  let handlerSpanId = '';
  await subscriber.process(async (message) => {
    delivered = message.traceparent;
    handlerSpanId = trace.getActiveSpan()!.spanContext().spanId;
    void subscriber.close();
  });

  const processSpan = exporter.getFinishedSpans().find((span) => span.name === `process ${subscription}`);
  assert.ok(processSpan, 'a process span was exported');
  assert.is(spanId(processSpan!), handlerSpanId, 'the handler ran inside it');
  assert.is(parentId(processSpan!), traceparentSpanId(delivered), 'its parent is the delivery span');
  assert.is(traceId(processSpan!), traceId(publisherSpan), 'in the publisher’s trace');
  assert.is(processSpan!.attributes['messaging.consumer.group.name'], subscription);
  // The gateway ends the delivery span once it has applied the ack.
  const deliverySpanOf = () => exporter.getFinishedSpans().find((span) => spanId(span) === traceparentSpanId(delivered));
  for (const deadline = Date.now() + 5000; !deliverySpanOf() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  const deliverySpan = deliverySpanOf();
  assert.ok(deliverySpan, 'the delivery span was exported by the gateway');
  assert.is(deliverySpan!.attributes['messaging.relay.settlement.outcome'], 'ack', 'ended by the ack process() sent');
});

test.run();
