// The gateway as a process: how it starts, stops, and what happens to deliveries when it dies.
import { credentials, loadPackageDefinition, status, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { spawn, spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, sleep, TestPublishStream, TestSubscriber, uniqueName, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { freePort, startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const root = new URL('../..', import.meta.url).pathname;
const test = suite<{ redis: RedisServer }>('gateway process');
const started: GatewayProcess[] = [];
const clients: Client[] = [];

test.before(async (context) => {
  context.redis = await startRedisServer();
});

test.after.each(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(started.splice(0).map((gateway) => gateway.kill()));
});

test.after(async ({ redis }) => {
  await redis.stop();
});

async function gateway(env: Record<string, string> = {}) {
  const process = await startGateway({ RELAY_POLL_INTERVAL_MS: '100', ...env });
  started.push(process);
  const client = connect(process.address);
  clients.push(client);
  return { process, client };
}

async function topicAndSubscription(client: Client, ackDeadlineSeconds: number, count: number) {
  const topic = uniqueName('topic');
  const subscription = uniqueName('sub');
  await client.call(client.admin, 'CreateTopic', { topic: { name: topic } });
  await client.call(client.admin, 'CreateSubscription', {
    subscription: {
      name: subscription,
      topic,
      ackDeadline: { seconds: ackDeadlineSeconds },
      startPosition: 'START_POSITION_EARLIEST',
      retryPolicy: { minimumBackoff: { nanos: 100_000_000 } },
    },
  });
  const messages = Array.from({ length: count }, (_, i) => ({ data: Buffer.from(`m${i}`) }));
  const published = await client.call<{ results: { messageId: string }[] }>(client.publisher, 'Publish', { topic, messages });
  return { subscription, ids: published.results.map((r) => r.messageId).sort() };
}

test('npm start without REDIS_URL serves on the memory store and says so', async () => {
  const port = await freePort();
  const child = spawn('npm', ['start', '--silent', '--', '--listen', `127.0.0.1:${port}`], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  try {
    const deadline = Date.now() + 20_000;
    while (!output.includes('"msg":"serving"') && Date.now() < deadline) await sleep(50);
    assert.match(output, /"store":"memory"/);
    assert.match(output, /memory store; nothing survives a restart/);
    const client = connect(`127.0.0.1:${port}`);
    clients.push(client);
    await client.call(client.admin, 'CreateTopic', { topic: { name: uniqueName('topic') } });
  } finally {
    // npm runs the gateway as a child: end the whole group we started, by its PID.
    process.kill(-child.pid!, 'SIGKILL');
  }
});

test('with REDIS_URL it serves on Redis', async ({ redis }) => {
  const { process } = await gateway({ REDIS_URL: redis.url });
  assert.match(process.output(), /"store":"redis"/);
  assert.not.match(process.output(), /memory store/);
});

test('a bad configuration lists every problem at once and exits 2', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/main.ts', '--ack-deadline-ms', '5', '--nope'], {
    cwd: root,
    env: { PATH: process.env.PATH, REDIS_URL: 'http://x', RELAY_LISTEN: 'nowhere' },
    encoding: 'utf8',
  });
  assert.is(result.status, 2);
  for (const problem of ['RELAY_ACK_DEADLINE_MS', 'unknown flag --nope', 'REDIS_URL', 'RELAY_LISTEN']) {
    assert.ok(result.stderr.includes(problem), `names ${problem}:\n${result.stderr}`);
  }
});

test('health and reflection answer', async () => {
  const { process } = await gateway();
  const health = loadPackageDefinition(loadSync(`${root}node_modules/grpc-health-check/proto/health/v1/health.proto`, { enums: String })) as GrpcObject;
  const Health = ((health.grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject;
  const healthClient = new (Health.Health as ServiceClientConstructor)(process.address, credentials.createInsecure());
  const answer = await new Promise<{ status: string }>((resolve, reject) =>
    healthClient.Check({ service: 'relay.v1.PublisherService' }, (error: Error | null, response: { status: string }) =>
      error ? reject(error) : resolve(response),
    ),
  );
  assert.is(answer.status, 'SERVING');
  healthClient.close();

  const reflection = loadPackageDefinition(
    loadSync(`${root}node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto`),
  ) as GrpcObject;
  const Reflection = ((reflection.grpc as GrpcObject).reflection as GrpcObject).v1 as GrpcObject;
  const reflectionClient = new (Reflection.ServerReflection as ServiceClientConstructor)(process.address, credentials.createInsecure());
  const call = reflectionClient.ServerReflectionInfo();
  const services = await new Promise<string[]>((resolve, reject) => {
    call.on('data', (response: { listServicesResponse: { service: { name: string }[] } }) => {
      resolve(response.listServicesResponse.service.map((service) => service.name));
      call.end();
    });
    call.on('error', reject);
    call.write({ listServices: '' });
  });
  reflectionClient.close();
  for (const name of ['relay.v1.PublisherService', 'relay.v1.SubscriberService', 'relay.v1.AdminService', 'relay.v1.TransactionService']) {
    assert.ok(services.includes(name), `reflection lists ${name}: ${services}`);
  }
});

test('SIGKILL a gateway holding unsettled deliveries: the other redelivers every one within lease + poll + 1 s', async ({ redis }) => {
  const a = await gateway({ REDIS_URL: redis.url });
  const b = await gateway({ REDIS_URL: redis.url });
  const { subscription, ids } = await topicAndSubscription(a.client, 2, 50);
  const holder = new TestSubscriber(a.client, subscription);
  await holder.take(50);
  const survivor = new TestSubscriber(b.client, subscription);
  await sleep(300);
  assert.is(survivor.deliveries.length, 0, 'nothing redelivered while the lease runs');
  const killedAt = Date.now();
  assert.is(await a.process.kill(), 'SIGKILL');
  const redelivered = await survivor.take(50, 10_000);
  const waited = Date.now() - killedAt;
  assert.equal(redelivered.map((d) => d.message!.messageId).sort(), ids, 'none lost');
  assert.ok(redelivered.every((d) => d.deliveryAttempt === 2));
  survivor.ack(redelivered.map((d) => d.receipt));
  // Lease 2 s + poll interval 0.1 s + 1 s, with 1 s of slack for a loaded machine.
  console.log(`redelivered all 50 ${waited} ms after the SIGKILL`);
  assert.ok(waited < 2000 + 100 + 1000 + 1000, `redelivered ${waited} ms after the kill`);
  survivor.cancel();
});

test('SIGTERM with open streams: exit 0 within the grace period, unsettled deliveries redelivered at once', async ({ redis }) => {
  const a = await gateway({ REDIS_URL: redis.url, RELAY_DRAIN_TIMEOUT_MS: '3000' });
  const b = await gateway({ REDIS_URL: redis.url });
  const { subscription, ids } = await topicAndSubscription(a.client, 60, 20);
  const holder = new TestSubscriber(a.client, subscription);
  await holder.take(20);
  const survivor = new TestSubscriber(b.client, subscription);
  await sleep(200);
  const stoppedAt = Date.now();
  assert.is(await a.process.stop(), 0, 'exit code 0');
  assert.ok(Date.now() - stoppedAt < 3000, 'within the grace period');
  await holder.until(() => holder.error !== undefined || holder.ended, 2000, 'stream end');
  assert.is(holder.error?.code, status.UNAVAILABLE, 'the stream ends with UNAVAILABLE, so clients reconnect');
  const redelivered = await survivor.take(20, 5000);
  assert.equal(redelivered.map((d) => d.message!.messageId).sort(), ids, 'long before the 60 s lease');
  survivor.cancel();
});

test('SIGTERM with an open PublishStream: what it sent is answered, then it ends UNAVAILABLE and the gateway exits at once', async ({ redis }) => {
  const { process, client } = await gateway({ REDIS_URL: redis.url, RELAY_DRAIN_TIMEOUT_MS: '5000' });
  const topic = uniqueName('topic');
  await client.call(client.admin, 'CreateTopic', { topic: { name: topic } });
  const stream = new TestPublishStream(client);
  const answered = await stream.send({ topic, messages: [{ data: Buffer.from('before') }] });
  assert.is(answered.statusCode, status.OK);
  const stoppedAt = Date.now();
  assert.is(await process.stop(), 0, 'exit code 0');
  assert.ok(Date.now() - stoppedAt < 2500, 'the drain does not wait for the publisher to close its stream');
  assert.is(await stream.ended, status.UNAVAILABLE, 'the stream ends with UNAVAILABLE, so the publisher reconnects');
});

test.run();
