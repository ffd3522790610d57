// The Python consume-transform-produce example (clients/python/transaction_example.py) against a real
// gateway on a private Redis: Prepare with a client-chosen id, Commit (twice), outputs and acks.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startGateway } from '../helpers/gateway.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const test = suite('python transaction client');

test('each input yields one output, committed with its ack in one transaction', async () => {
  const redis = await startRedisServer();
  const gateway = await startGateway({ REDIS_URL: redis.url });
  try {
    const { stdout } = await run('/usr/bin/python3', ['clients/python/transaction_example.py', '--address', gateway.address], {
      cwd: root,
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1' },
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`transaction_example.py failed: ${error}\n${error.stdout}${error.stderr}\ngateway log:\n${gateway.output()}`);
    });
    const summary = JSON.parse(stdout.trim()) as { inputs: string[]; outputs: string[]; from: string[] };
    assert.is(summary.inputs.length, 3);
    assert.is(summary.outputs.length, 3);
    assert.equal(summary.from, [...summary.inputs].sort());
  } finally {
    await gateway.stop();
    await redis.stop();
  }
});

test.run();
