// The Go examples (clients/go/examples/*) against a real gateway on a private Redis, each run the way
// its README says: `clients/go/go.sh run ./examples/NAME --addr HOST:PORT`, offline, on Debian's Go
// packages. Each prints one JSON line that says what it saw.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

const test = suite<{ redis?: RedisServer; gateway?: GatewayProcess; setupError?: unknown }>('go client');

// uvu 0.5 swallows an error thrown by a before hook: keep it for the tests to throw.
test.before(async (context) => {
  try {
    context.redis = await startRedisServer();
    context.gateway = await startGateway({ REDIS_URL: context.redis.url });
  } catch (error) {
    context.setupError = error;
  }
});

test.after(async (context) => {
  await context.gateway?.stop();
  await context.redis?.stop();
});

/** Runs one example with `go run`; resolves with its JSON line. The build cache outlives the run. */
async function goRun<T>(example: string, gateway: GatewayProcess): Promise<T> {
  const cache = join(tmpdir(), 'relay-go-cache');
  mkdirSync(cache, { recursive: true });
  try {
    const { stdout } = await run('clients/go/go.sh', ['run', `./examples/${example}`, '--addr', gateway.address], {
      cwd: root,
      timeout: 600_000,
      env: { PATH: process.env.PATH ?? '', TMPDIR: tmpdir(), GOCACHE: cache },
    });
    const lines = stdout.trim().split('\n');
    assert.is(lines.length, 1, `one JSON line expected, got:\n${stdout}`);
    return JSON.parse(lines[0]!) as T;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${example} failed (Debian's golang-go and Go gRPC packages are needed: .ci/run): ${error}\n${stdout}${stderr}\ngateway log:\n${gateway.output()}`);
  }
}

test('publish-subscribe publishes 3 messages with idempotency keys and receives and acks the same 3 on their first attempt', async ({ gateway, setupError }) => {
  if (setupError) throw setupError;
  const summary = await goRun<{ topic: string; subscription: string; published: string[]; received: string[]; attempts: number[] }>(
    'publish-subscribe',
    gateway!,
  );
  assert.match(summary.topic, /^example-[0-9a-f]{32}$/);
  assert.is(summary.subscription, `${summary.topic}-sub`);
  assert.is(new Set(summary.published).size, 3);
  assert.equal([...summary.received].sort(), [...summary.published].sort());
  assert.equal(summary.attempts, [1, 1, 1]);
});

test('nack-redelivery sees its nacked message again at attempt 2 for reason NACK, in flight with the nack reason, then acked', async ({ gateway, setupError }) => {
  if (setupError) throw setupError;
  const summary = await goRun<{
    message_id: string;
    attempts: number[];
    reasons: string[];
    redelivered: { state: string; delivery_attempts: number; last_error: string };
    state: string;
  }>('nack-redelivery', gateway!);
  assert.ok(summary.message_id);
  assert.equal(summary.attempts, [1, 2]);
  assert.equal(summary.reasons, ['DELIVERY_REASON_FIRST', 'DELIVERY_REASON_NACK']);
  assert.equal(summary.redelivered, { state: 'MESSAGE_STATE_IN_FLIGHT', delivery_attempts: 2, last_error: 'the warehouse is not ready yet' });
  assert.is(summary.state, 'MESSAGE_STATE_ACKED');
});

test('transaction turns each of 3 inputs into one output, committed with its ack', async ({ gateway, setupError }) => {
  if (setupError) throw setupError;
  const summary = await goRun<{ inputs: string[]; outputs: string[]; from: string[] }>('transaction', gateway!);
  assert.is(summary.inputs.length, 3);
  assert.is(new Set(summary.outputs).size, 3);
  assert.equal(summary.from, [...summary.inputs].sort());
});

test.run();
