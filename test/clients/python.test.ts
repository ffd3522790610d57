// The Python examples against a real gateway on a private Redis: the generated stubs, publish with
// idempotency keys, a Subscribe stream and acks (example.py); a nack and its redelivery (nack_example.py).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

interface ExampleSummary {
  topic: string;
  subscription: string;
  published: string[];
  received: string[];
  attempts: number[];
}

const test = suite<{ redis?: RedisServer; gateway?: GatewayProcess; setupError?: unknown }>('python client');

// uvu 0.5 swallows an error thrown by a before hook: keep it for the test to throw.
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

/** Runs one example; resolves with its one JSON line. */
async function runExample<T>(script: string, gateway: GatewayProcess): Promise<T> {
  let stdout: string;
  try {
    ({ stdout } = await run('/usr/bin/python3', [`clients/python/${script}`, '--address', gateway.address], {
      cwd: root,
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1' },
    }));
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${script} failed: ${error}\n${stdout}${stderr}\ngateway log:\n${gateway.output()}`);
  }
  const lines = stdout.trim().split('\n');
  assert.is(lines.length, 1, `one JSON line expected, got:\n${stdout}`);
  return JSON.parse(lines[0]!) as T;
}

test('the example publishes 3 messages and receives the same 3 on their first attempt', async ({ gateway, setupError }) => {
  if (setupError) throw setupError;
  const summary = await runExample<ExampleSummary>('example.py', gateway!);
  assert.match(summary.topic, /^example-[0-9a-f]{32}$/);
  assert.is(summary.subscription, `${summary.topic}-sub`);
  assert.is(summary.published.length, 3);
  assert.is(new Set(summary.published).size, 3);
  assert.equal([...summary.received].sort(), [...summary.published].sort());
  assert.equal(summary.attempts, [1, 1, 1]);
});

test('the nack example sees its nacked message again at attempt 2 for reason NACK, in flight with the nack reason, then acked', async ({ gateway, setupError }) => {
  if (setupError) throw setupError;
  const summary = await runExample<{
    message_id: string;
    attempts: number[];
    reasons: string[];
    redelivered: { state: string; delivery_attempts: number; last_error: string };
    state: string;
  }>('nack_example.py', gateway!);
  assert.ok(summary.message_id);
  assert.equal(summary.attempts, [1, 2]);
  assert.equal(summary.reasons, ['DELIVERY_REASON_FIRST', 'DELIVERY_REASON_NACK']);
  assert.equal(summary.redelivered, { state: 'MESSAGE_STATE_IN_FLIGHT', delivery_attempts: 2, last_error: 'the warehouse is not ready yet' });
  assert.is(summary.state, 'MESSAGE_STATE_ACKED');
});

test.run();
