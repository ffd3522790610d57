// The TypeScript client (clients/typescript) against gateway processes on a private Redis: retries
// through a gateway restart, slow handlers, reconnects, settlements and transactions.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, duration as ms, type Relay } from '../../clients/typescript/index.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { freePort, startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { sleep, uniqueName } from '../helpers/client.ts';

interface Context {
  redis?: RedisServer;
  gateway?: GatewayProcess;
  listen?: string;
  relay?: Relay;
  setupError?: unknown;
}

const test = suite<Context>('typescript client');
const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

// uvu 0.5 swallows an error thrown by a before hook: keep it for the tests to throw.
test.before(async (context) => {
  try {
    context.redis = await startRedisServer(['--appendonly', 'yes']);
    context.listen = `127.0.0.1:${await freePort()}`;
    context.gateway = await startGateway({ REDIS_URL: context.redis.url, RELAY_LISTEN: context.listen });
    context.relay = connect({ address: context.listen });
  } catch (error) {
    context.setupError = error;
  }
});

test.after(async (context) => {
  await context.relay?.close();
  await context.gateway?.stop();
  await context.redis?.stop();
});

/** SIGKILLs the gateway and starts a new one on the same address after pauseMs. */
async function restartGateway(context: Context, pauseMs: number): Promise<void> {
  await context.gateway!.kill();
  await sleep(pauseMs);
  context.gateway = await startGateway({ REDIS_URL: context.redis!.url, RELAY_LISTEN: context.listen! });
}

async function topicAndSubscription(relay: Relay, subscription: Record<string, unknown> = {}) {
  const topic = uniqueName('topic');
  const name = uniqueName('sub');
  await relay.admin.createTopic({ topic: { name: topic } });
  await relay.admin.createSubscription({
    subscription: {
      name,
      topic,
      startPosition: 'START_POSITION_EARLIEST',
      retryPolicy: { minimumBackoff: ms(10), maximumBackoff: ms(100) },
      ...subscription,
    },
  });
  return { topic, subscription: name };
}

test('a publisher sends its batches over one PublishStream; a batch the gateway refuses fails alone, and the next goes out on the same stream', async (context) => {
  if (context.setupError) throw context.setupError;
  const relay = context.relay!;
  const { topic, subscription } = await topicAndSubscription(relay);
  const client = relay.publisherClient;
  const openStream = client.PublishStream.bind(client);
  let opened = 0;
  client.PublishStream = ((...args: Parameters<typeof openStream>) => {
    opened++;
    return openStream(...args);
  }) as typeof client.PublishStream;
  try {
    const publisher = relay.publisher(topic, { lingerMs: 1 });
    const first = await publisher.publish({ data: 'first' });
    const refused = await publisher.publish({ data: 'refused', orderingKey: 'k'.repeat(257) }).then(
      () => undefined,
      (error: { code: number }) => error.code,
    );
    assert.is(refused, 3, 'INVALID_ARGUMENT, not retried');
    const last = await Promise.all([publisher.publish({ data: 'second' }), publisher.publish({ data: 'third' })]);
    await publisher.close();
    assert.is(opened, 1, 'every batch on the one stream, the refused one included');
    const deliveries: string[] = [];
    for await (const message of relay.subscribe(subscription)) {
      deliveries.push(message.id);
      await message.ack();
      if (deliveries.length === 3) break;
    }
    assert.equal(deliveries, [first, ...last]);
  } finally {
    client.PublishStream = openStream;
  }
});

test('a publisher retried through a gateway restart delivers each message once', async (context) => {
  if (context.setupError) throw context.setupError;
  const relay = context.relay!;
  const { topic, subscription } = await topicAndSubscription(relay);
  const publisher = relay.publisher(topic, { maxMessages: 20, lingerMs: 2 });
  const total = 2000;
  const published: Promise<string>[] = [];
  let restart: Promise<void> | undefined;
  for (let i = 0; i < total; i++) {
    published.push(publisher.publish({ data: `message ${i}`, attributes: { index: String(i) } }));
    // Kill the gateway with batches in flight, then keep publishing into the outage.
    if (i === 600) restart = restartGateway(context, 300);
    if (i % 50 === 49) await sleep(5);
  }
  const ids = await Promise.all(published);
  await restart;
  assert.is(new Set(ids).size, total, 'every message has its own id');

  const seen = new Map<string, number>();
  const subscriber = relay.subscribe(subscription);
  const counting = subscriber.process((message) => {
    const index = message.attributes.index!;
    seen.set(index, (seen.get(index) ?? 0) + 1);
  });
  const deadline = Date.now() + 30_000;
  while (seen.size < total && Date.now() < deadline) await sleep(50);
  await sleep(500);
  await subscriber.close();
  await counting;
  assert.is(seen.size, total, 'every message arrives');
  assert.equal([...seen.entries()].filter(([, count]) => count > 1), [], 'none arrives twice');
});

test('a handler that runs 3× the ack deadline gets no redelivery', async (context) => {
  if (context.setupError) throw context.setupError;
  const relay = context.relay!;
  const { topic, subscription } = await topicAndSubscription(relay, { ackDeadline: ms(1000) });
  await relay.publisher(topic).publish({ data: 'slow' });
  const deliveries: number[] = [];
  const subscriber = relay.subscribe(subscription);
  const processing = subscriber.process(async (message) => {
    deliveries.push(message.deliveryAttempt);
    await sleep(3200);
  });
  const deadline = Date.now() + 10_000;
  while (deliveries.length === 0 && Date.now() < deadline) await sleep(20);
  // 3.2 s of handling, then 1.5 s more in which a redelivery would show.
  await sleep(4700);
  await subscriber.close();
  await processing;
  assert.equal(deliveries, [1]);
  const stats = await relay.admin.getSubscriptionStats({ subscription });
  assert.is(Number(stats.inFlight) + Number(stats.backlog), 0, 'the message was acked');
});

test('a subscription reconnects after its gateway is killed and restarted', async (context) => {
  if (context.setupError) throw context.setupError;
  const relay = context.relay!;
  const { topic, subscription } = await topicAndSubscription(relay);
  const acked = new Set<string>();
  const subscriber = relay.subscribe(subscription, { reconnect: { maxBackoffMs: 500 } });
  const consuming = subscriber.process((message) => void acked.add(message.data.toString()));
  const publisher = relay.publisher(topic);
  await Promise.all([0, 1, 2].map((i) => publisher.publish({ data: `before ${i}` })));
  const deadline = Date.now() + 10_000;
  while (acked.size < 3 && Date.now() < deadline) await sleep(20);
  assert.is(acked.size, 3, 'delivered before the restart');

  await restartGateway(context, 500);
  await Promise.all([0, 1, 2].map((i) => publisher.publish({ data: `after ${i}` })));
  const again = Date.now() + 15_000;
  while (acked.size < 6 && Date.now() < again) await sleep(50);
  await subscriber.close();
  await consuming;
  assert.equal([...acked].sort(), ['after 0', 'after 1', 'after 2', 'before 0', 'before 1', 'before 2']);
});

test('nack brings a message back at the next attempt; reject dead-letters it with its reason', async (context) => {
  if (context.setupError) throw context.setupError;
  const relay = context.relay!;
  const deadLetters = await topicAndSubscription(relay);
  const { topic, subscription } = await topicAndSubscription(relay, { deadLetterTopic: deadLetters.topic });
  await relay.publisher(topic).publish({ data: 'troubled', attributes: { ключ: 'значение' } });
  const attempts: number[] = [];
  for await (const message of relay.subscribe(subscription)) {
    attempts.push(message.deliveryAttempt);
    if (message.deliveryAttempt === 1) await message.nack(0, 'try again');
    else {
      await message.reject('poison');
      break;
    }
  }
  assert.equal(attempts, [1, 2]);
  for await (const dead of relay.subscribe(deadLetters.subscription)) {
    assert.is(dead.data.toString(), 'troubled');
    assert.equal(dead.attributes, { ключ: 'значение' });
    assert.is(dead.deadLetter?.reason, 'poison');
    assert.is(dead.deadLetter?.subscription, subscription);
    await dead.ack();
    break;
  }
});

test('relay.transaction publishes and acks as one; a callback that throws changes nothing', async (context) => {
  if (context.setupError) throw context.setupError;
  const relay = context.relay!;
  const input = await topicAndSubscription(relay);
  const output = await topicAndSubscription(relay);
  const publisher = relay.publisher(input.topic);
  await Promise.all(['a', 'b'].map((data) => publisher.publish({ data })));

  const inputs = relay.subscribe(input.subscription);
  const iterator = inputs[Symbol.asyncIterator]();
  const first = (await iterator.next()).value!;
  const thrown = await relay
    .transaction((tx) => {
      tx.publish(output.topic, { data: 'never' });
      tx.ack(first);
      throw new Error('changed my mind');
    })
    .then(() => undefined, (error: Error) => error.message);
  assert.is(thrown, 'changed my mind');
  const ids = await relay.transaction((tx) => {
    tx.publish(output.topic, { data: `${first.data} transformed`, attributes: { from: first.id } });
    tx.ack(first);
  });
  assert.is(ids.length, 1);
  const second = (await iterator.next()).value!;
  await second.ack();
  await inputs.close();

  const outputs: string[] = [];
  const reader = relay.subscribe(output.subscription);
  for await (const message of reader) {
    outputs.push(message.data.toString());
    await message.ack();
    if (outputs.length === 1) break;
  }
  assert.equal(outputs, [`${first.data} transformed`]);
  const stats = await relay.admin.getSubscriptionStats({ subscription: input.subscription });
  assert.is(Number(stats.inFlight) + Number(stats.backlog), 0, 'both inputs settled: one by the transaction, one by ack');
});

test('the quickstart example runs against a live gateway: a duplicate, an ack, a nack and its redelivery, a transaction', async (context) => {
  if (context.setupError) throw context.setupError;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'clients/typescript/examples/quickstart.ts', '--addr', context.listen!], {
    cwd: root,
    timeout: 60_000,
  });
  const [published, ...rest] = stdout.trim().split('\n');
  const [, first, again] = /^published (\S+) \(again: (\S+)\), \S+$/.exec(published!) ?? [];
  assert.ok(first, stdout);
  assert.is(again, first, 'the same idempotency key gives the same id');
  assert.equal(rest.slice(0, 3), ['received order 1, attempt 1 (FIRST)', 'received order 2, attempt 1 (FIRST)', 'received order 2, attempt 2 (NACK)']);
  assert.match(rest[3]!, /^committed invoice \S+$/);
  assert.is(rest[4], 'archived {"invoiceFor":2}');
});

test.run();
