// Limits per principal, through gateway processes on a private redis-server, with static tokens:
// the publish rate (messages and bytes) and open streams (Subscribe and PublishStream) at their edges, answered
// RESOURCE_EXHAUSTED with a retry hint; and a flooder over its rate does not slow another principal.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SubscribeRequest } from '../../generated/ts/relay/v1/SubscribeRequest.ts';
import type { SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import { TestPublishStream } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { connectAs, outcome, type SecureClient } from '../helpers/secure-client.ts';

const test = suite('security limits');
const dir = mkdtempSync(join(tmpdir(), 'relay-limits-'));
const token = (principal: string) => `token-of-${principal}-0123456789`;
const principals = ['operator', 'edge-messages', 'edge-bytes', 'stream-publisher', 'streamer', 'other-streamer', 'flooder', 'steady'];
const topic = `limits-${randomUUID()}`;
let redis: RedisServer;
let edge: GatewayProcess;
let flood: GatewayProcess;

test.before(async () => {
  redis = await startRedisServer();
  const tokensFile = join(dir, 'tokens.json');
  const permissionsFile = join(dir, 'permissions.json');
  writeFileSync(tokensFile, JSON.stringify({ tokens: principals.map((principal) => ({ principal, token: token(principal) })) }));
  writeFileSync(permissionsFile, JSON.stringify({ operator: { allow: { admin: ['*'] } }, '*': { allow: { publish: ['limits-*'], subscribe: ['limits-*'] } } }));
  const common = { REDIS_URL: redis.url, RELAY_TOKENS_FILE: tokensFile, RELAY_PERMISSIONS_FILE: permissionsFile };
  [edge, flood] = await Promise.all([
    startGateway({ ...common, RELAY_PUBLISH_MESSAGES_PER_SECOND: '3', RELAY_PUBLISH_BYTES_PER_SECOND: '3000', RELAY_MAX_STREAMS_PER_PRINCIPAL: '2' }),
    startGateway({ ...common, RELAY_PUBLISH_MESSAGES_PER_SECOND: '100' }),
  ]);
  const operator = connectAs(edge.address, { kind: 'plaintext' }, token('operator'));
  await operator.call(operator.admin, 'CreateTopic', { topic: { name: topic } });
  for (const name of ['a', 'b', 'c']) {
    await operator.call(operator.admin, 'CreateSubscription', { subscription: { name: `limits-${name}-${topic}`, topic, startPosition: 'START_POSITION_EARLIEST' } });
  }
  operator.close();
});

test.after(async () => {
  await Promise.all([edge?.kill(), flood?.kill()]);
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function publish(client: SecureClient, sizes: number[]) {
  return client.call(client.publisher, 'Publish', { topic, messages: sizes.map((size) => ({ data: Buffer.alloc(size, 1) })) });
}

function retryAfterMs(trailers: { get(key: string): unknown[] } | undefined): number | undefined {
  const [value] = trailers?.get('relay-retry-after-ms') ?? [];
  return value === undefined ? undefined : Number(value);
}

/**
 * Runs `fill` then `probe` on a full bucket: the probe must be refused, which the limit guarantees only
 * when it arrives within `windowMs` of the fill's start. On a machine too loaded for that, tries again.
 */
async function atEdge(windowMs: number, fill: () => Promise<{ code: number }>, probe: () => ReturnType<typeof outcome>) {
  for (let attempt = 1; ; attempt++) {
    await sleep(1100); // every bucket full again
    const started = performance.now();
    assert.is((await fill()).code, status.OK, 'one second of rate passes at once');
    const refused = await probe();
    if (refused.code === status.OK && performance.now() - started >= windowMs && attempt < 3) continue;
    assert.is(refused.code, status.RESOURCE_EXHAUSTED, refused.details);
    return refused;
  }
}

test('the message rate admits one second of messages, refuses the next with a retry hint, and admits it after the wait', async () => {
  const client = connectAs(edge.address, { kind: 'plaintext' }, token('edge-messages'));
  const refused = await atEdge(333, () => outcome(publish(client, [1, 1, 1])), () => outcome(publish(client, [1])));
  const wait = retryAfterMs(refused.trailers)!;
  assert.ok(wait > 0 && wait <= 334, `retry after ${wait} ms`);
  assert.ok(refused.trailers!.get('grpc-status-details-bin').length === 1, 'google.rpc.RetryInfo rides along');
  await sleep(wait + 5);
  assert.is((await outcome(publish(client, [1]))).code, status.OK);
  // A batch larger than one second's worth never passes, so it carries no retry hint.
  await sleep(1100);
  const tooLarge = await outcome(publish(client, [1, 1, 1, 1]));
  assert.is(tooLarge.code, status.RESOURCE_EXHAUSTED);
  assert.match(tooLarge.details, /smaller batches/);
  assert.is(retryAfterMs(tooLarge.trailers), undefined);
  client.close();
});

test('the byte rate admits one second of payload bytes, then refuses until enough has refilled', async () => {
  const client = connectAs(edge.address, { kind: 'plaintext' }, token('edge-bytes'));
  const refused = await atEdge(666, () => outcome(publish(client, [3000])), () => outcome(publish(client, [2000])));
  const wait = retryAfterMs(refused.trailers)!;
  assert.ok(wait > 0 && wait <= 667, `retry after ${wait} ms`);
  await sleep(wait + 5);
  assert.is((await outcome(publish(client, [2000]))).code, status.OK);
  assert.match((await outcome(publish(client, [3001]))).details, /smaller batches/);
  client.close();
});

test('PublishStream: every request passes the message rate; the one over it is answered RESOURCE_EXHAUSTED with its delay, and the stream carries on', async () => {
  const client = connectAs(edge.address, { kind: 'plaintext' }, token('stream-publisher'));
  const send = (stream: TestPublishStream) => stream.send({ topic, messages: [{ data: Buffer.alloc(1, 1) }] });
  for (let attempt = 1; ; attempt++) {
    await sleep(1100); // the bucket full again
    const stream = new TestPublishStream(client, client.metadata());
    const started = performance.now();
    const answers = await Promise.all([send(stream), send(stream), send(stream), send(stream)]);
    // The fourth is refused only if it arrives within a third of a second: on a machine too loaded for that, again.
    if (answers[3]!.statusCode === status.OK && performance.now() - started >= 333 && attempt < 3) {
      stream.call.end();
      continue;
    }
    assert.equal(answers.map((answer) => answer.statusCode), [status.OK, status.OK, status.OK, status.RESOURCE_EXHAUSTED]);
    const wait = answers[3]!.retryAfterMs;
    assert.ok(wait > 0 && wait <= 334, `retry after ${wait} ms`);
    assert.equal(answers[3]!.results, [], 'nothing of it stored');
    await sleep(wait + 5);
    assert.is((await send(stream)).statusCode, status.OK, 'the same stream publishes again after the wait');
    stream.call.end();
    assert.is(await stream.ended, status.OK);
    break;
  }
  client.close();
});

/** A Subscribe stream as a principal; resolves its first delivery or its error. */
function openStream(client: SecureClient, subscription: string) {
  const call: ClientDuplexStream<SubscribeRequest, SubscribeResponse__Output> = client.subscriber.Subscribe(client.metadata());
  const result = new Promise<{ delivered: boolean; error?: ServiceError }>((resolve) => {
    call.on('data', (response: SubscribeResponse__Output) => response.deliveries.length && resolve({ delivered: true }));
    call.on('error', (error: ServiceError) => resolve({ delivered: false, error }));
  });
  call.write({ subscription });
  return { call, result };
}

test('open streams are limited per principal at exactly the limit, a PublishStream counting as one; closing one makes room', async () => {
  const streamer = connectAs(edge.address, { kind: 'plaintext' }, token('streamer'));
  const publisher = connectAs(edge.address, { kind: 'plaintext' }, token('operator'));
  await sleep(1100);
  const a = openStream(streamer, `limits-a-${topic}`);
  const b = openStream(streamer, `limits-b-${topic}`);
  assert.ok((await a.result).delivered && (await b.result).delivered, 'two streams at the limit both deliver');
  const c = openStream(streamer, `limits-c-${topic}`);
  const third = await c.result;
  assert.is(third.error?.code, status.RESOURCE_EXHAUSTED);
  assert.ok(retryAfterMs(third.error!.metadata) !== undefined);
  // A PublishStream is a stream too: refused before its first request is answered.
  const publishing = new TestPublishStream(streamer, streamer.metadata());
  const refused = await Promise.race([
    publishing.ended,
    publishing.send({ topic, messages: [{ data: Buffer.from('x') }] }).then(() => 'answered'),
  ]);
  publishing.call.end();
  assert.is(refused, status.RESOURCE_EXHAUSTED);
  // Another principal is not affected.
  const other = connectAs(edge.address, { kind: 'plaintext' }, token('other-streamer'));
  const elsewhere = openStream(other, `limits-c-${topic}`);
  assert.ok((await elsewhere.result).delivered);
  elsewhere.call.cancel();
  a.call.cancel();
  // The gateway sees the cancel shortly; then there is room again.
  let again: { delivered: boolean; error?: ServiceError } = { delivered: false };
  for (let attempt = 0; attempt < 50 && !again.delivered; attempt++) {
    await sleep(100);
    const d = openStream(streamer, `limits-c-${topic}`);
    again = await d.result;
    if (!again.delivered) assert.is(again.error?.code, status.RESOURCE_EXHAUSTED);
    else d.call.cancel();
  }
  assert.ok(again.delivered, 'a stream opens once one of the two closed');
  b.call.cancel();
  for (const client of [streamer, publisher, other]) client.close();
});

test('with authentication off every caller is anonymous: it shares one rate, and the start-up log says so', async () => {
  const open = await startGateway({ RELAY_PUBLISH_MESSAGES_PER_SECOND: '2' });
  try {
    assert.match(open.output(), 'authentication is off');
    assert.match(open.output(), 'TLS is off');
    const first = connectAs(open.address, { kind: 'plaintext' });
    const second = connectAs(open.address, { kind: 'plaintext' });
    await first.call(first.admin, 'CreateTopic', { topic: { name: topic } });
    const publishOne = (client: SecureClient) => outcome(client.call(client.publisher, 'Publish', { topic, messages: [{ data: Buffer.from('x') }] }));
    assert.is((await publishOne(first)).code, status.OK);
    assert.is((await publishOne(second)).code, status.OK);
    const third = await publishOne(first);
    assert.is(third.code, status.RESOURCE_EXHAUSTED);
    assert.match(third.details, 'anonymous');
    first.close();
    second.close();
  } finally {
    await open.kill();
  }
});

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One message every 20 ms (50/s, under the 100/s limit) for `durationMs`; the latencies in ms. */
async function steadyLatencies(client: SecureClient, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const started = performance.now();
    const result = await outcome(publish(client, [100]));
    assert.is(result.code, status.OK, `the steady publisher was refused: ${result.details}`);
    latencies.push(performance.now() - started);
    await sleep(Math.max(0, 20 - (performance.now() - started)));
  }
  return latencies;
}

/** CPU seconds the process used so far (user + system; Linux clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The flooder tries 200 calls of 10 messages a second: 20 times its rate of 100 messages/s. */
const flooderCallsPerSecond = 200;

/** Starts the flooder (test/helpers/flooder.ts) in its own process; resolves once it floods, with its stop. */
async function startFlooder(): Promise<{ stop(): Promise<{ ok: number; exhausted: number; other: number }> }> {
  // Niced: on this shared machine the flooder's client-side work would otherwise take CPU from the
  // gateway and the steady publisher, which a flooder on another machine does not. The gateway's
  // own work for every flooding call (HTTP/2, decoding, the refusal) still counts in full.
  const child = spawn('nice', ['-n', '10', process.execPath, '--import', 'tsx', 'test/helpers/flooder.ts', flood.address, token('flooder'), topic, '4', String(flooderCallsPerSecond)], {
    cwd: new URL('../..', import.meta.url).pathname,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let printed = '';
  child.stdout!.on('data', (chunk) => (printed += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  while (!printed.startsWith('ready')) {
    if (child.exitCode !== null) throw new Error(`flooder exited with ${child.exitCode}`);
    await sleep(20);
  }
  return {
    async stop() {
      child.stdin!.end();
      const code = await exited;
      if (code !== 0) throw new Error(`flooder exited with ${code}`);
      return JSON.parse(printed.slice('ready'.length));
    },
  };
}

interface FloodMeasurement {
  soloP99: number;
  floodedP99: number;
  counts: { ok: number; exhausted: number; other: number };
}

/** Three rounds of a solo window then a flooded window (so drifting machine load hits both alike). */
async function measureFlood(steady: SecureClient): Promise<FloodMeasurement> {
  const solo: number[] = [];
  const flooded: number[] = [];
  const counts = { ok: 0, exhausted: 0, other: 0 };
  const gatewayCpu = { solo: 0, flooded: 0 };
  for (let round = 0; round < 3; round++) {
    let cpu = cpuSeconds(flood.pid);
    solo.push(...(await steadyLatencies(steady, 2000)));
    gatewayCpu.solo += cpuSeconds(flood.pid) - cpu;
    const flooder = await startFlooder();
    cpu = cpuSeconds(flood.pid);
    flooded.push(...(await steadyLatencies(steady, 2000)));
    gatewayCpu.flooded += cpuSeconds(flood.pid) - cpu;
    const result = await flooder.stop();
    counts.ok += result.ok;
    counts.exhausted += result.exhausted;
    counts.other += result.other;
  }
  const soloP99 = percentile(solo, 99);
  const floodedP99 = percentile(flooded, 99);
  console.log(
    `steady publisher p50/p99 ms: solo ${percentile(solo, 50).toFixed(2)} / ${soloP99.toFixed(2)} (${solo.length} samples), ` +
      `with the flooder ${percentile(flooded, 50).toFixed(2)} / ${floodedP99.toFixed(2)} (${flooded.length} samples), ratio ${(floodedP99 / soloP99).toFixed(2)}; ` +
      `flooder calls: ${counts.ok} admitted (100 messages/s at most), ${counts.exhausted} RESOURCE_EXHAUSTED, ${counts.other} other; ` +
      `gateway CPU ${(gatewayCpu.solo / 6).toFixed(2)} cores solo, ${(gatewayCpu.flooded / 6).toFixed(2)} with the flooder`,
  );
  return { soloP99, floodedP99, counts };
}

test('a flooder over its rate gets RESOURCE_EXHAUSTED while another principal\'s publish latency stays within 2x its solo p99', async () => {
  const steady = connectAs(flood.address, { kind: 'plaintext' }, token('steady'));
  await steadyLatencies(steady, 1000); // warm-up
  // Loosely: the machine is shared with other work, whose bursts land in either window; a measurement
  // is repeated (up to 3 times, each printed) before the p99 bound is called broken.
  let measured: FloodMeasurement;
  for (let attempt = 1; ; attempt++) {
    measured = await measureFlood(steady);
    const { counts } = measured;
    assert.ok(counts.exhausted > 10 * counts.ok, 'the flooder is mostly refused');
    assert.is(counts.other, 0);
    // 10 messages per admitted call at 100 messages/s: 10 calls a second, plus one second's burst per window.
    assert.ok(counts.ok <= 3 * (10 * 2.5 + 10) + 5, `${counts.ok} flooder calls admitted`);
    // 2x the solo p99, with 5 ms of slack for a scheduling hiccup.
    if (measured.floodedP99 <= 2 * measured.soloP99 + 5 || attempt === 3) break;
  }
  assert.ok(measured.floodedP99 <= 2 * measured.soloP99 + 5, `p99 with the flooder ${measured.floodedP99.toFixed(2)} ms vs solo ${measured.soloP99.toFixed(2)} ms`);
  steady.close();
});

test.run();
