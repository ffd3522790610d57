// The settings of Sentinel and WAIT are checked at start like every other: each problem named, at
// the edges of each range.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../../gateway/config.ts';

const test = suite('sentinel and WAIT settings');

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const redis = { REDIS_URL: 'redis://:secret@sentinel/2' };

test('Sentinels and a name are read as lists and names; the defaults are off', () => {
  const config = loadConfig({ ...redis, RELAY_REDIS_SENTINELS: 'a:26379, 127.0.0.1:26380,[::1]:26381', RELAY_REDIS_SENTINEL_NAME: 'orders-primary' });
  assert.equal(config.redisSentinels, ['a:26379', '127.0.0.1:26380', '[::1]:26381']);
  assert.is(config.redisSentinelName, 'orders-primary');
  const defaults = loadConfig(redis);
  assert.equal(defaults.redisSentinels, []);
  assert.is(defaults.redisSentinelName, 'mymaster');
  assert.is(defaults.redisWaitReplicas, 0);
  assert.is(defaults.redisWaitTimeoutMs, 1000);
});

test('a Sentinel that is not host:port is named', () => {
  assert.equal(problems({ ...redis, RELAY_REDIS_SENTINELS: 'a:26379,b' }), ['RELAY_REDIS_SENTINELS: "b" is not host:port']);
});

test('Sentinels need REDIS_URL, and exclude a Cluster', () => {
  assert.equal(problems({ RELAY_REDIS_SENTINELS: 'a:26379' }), ['RELAY_REDIS_SENTINELS needs REDIS_URL']);
  assert.equal(problems({ ...redis, RELAY_REDIS_SENTINELS: 'a:26379', RELAY_REDIS_CLUSTER_NODES: 'b:6379' }), [
    'RELAY_REDIS_SENTINELS and RELAY_REDIS_CLUSTER_NODES exclude each other',
  ]);
});

test('a Sentinel name outside [a-zA-Z0-9._-]{1,100} is refused', () => {
  assert.equal(problems({ ...redis, RELAY_REDIS_SENTINEL_NAME: 'x'.repeat(100) }), []);
  assert.equal(problems({ ...redis, RELAY_REDIS_SENTINEL_NAME: 'x'.repeat(101) }).length, 1);
  assert.equal(problems({ ...redis, RELAY_REDIS_SENTINEL_NAME: 'my master' }).length, 1);
});

test('WAIT replicas go from 0 to 100 and the timeout from 1 ms to 60 s', () => {
  assert.is(loadConfig({ ...redis, RELAY_REDIS_WAIT_REPLICAS: '100' }).redisWaitReplicas, 100);
  assert.equal(problems({ ...redis, RELAY_REDIS_WAIT_REPLICAS: '101' }), ['RELAY_REDIS_WAIT_REPLICAS must be an integer from 0 to 100, got "101"']);
  assert.equal(problems({ ...redis, RELAY_REDIS_WAIT_REPLICAS: '-1' }).length, 1);
  assert.is(loadConfig({ ...redis, RELAY_REDIS_WAIT_TIMEOUT_MS: '1' }).redisWaitTimeoutMs, 1);
  assert.is(loadConfig({ ...redis, RELAY_REDIS_WAIT_TIMEOUT_MS: '60000' }).redisWaitTimeoutMs, 60_000);
  assert.equal(problems({ ...redis, RELAY_REDIS_WAIT_TIMEOUT_MS: '0' }), ['RELAY_REDIS_WAIT_TIMEOUT_MS must be an integer from 1 to 60000, got "0"']);
  assert.equal(problems({ ...redis, RELAY_REDIS_WAIT_TIMEOUT_MS: '60001' }).length, 1);
});

test('the flags of the same names work too', () => {
  const config = loadConfig(redis, ['--redis-wait-replicas', '2', '--redis-wait-timeout-ms=250', '--redis-sentinels', 'a:1']);
  assert.is(config.redisWaitReplicas, 2);
  assert.is(config.redisWaitTimeoutMs, 250);
  assert.equal(config.redisSentinels, ['a:1']);
});

test.run();
