// At start the gateway reads Redis's persistence and eviction settings and warns about what they can
// lose; a private redis-server per case, started with exactly the settings under test.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDurability } from '../../adapters/redis/durability.ts';
import { startGateway } from '../helpers/gateway.ts';
import { startRedisCluster } from '../helpers/redis-cluster.ts';
import { startRedisSentinel } from '../helpers/redis-sentinel.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const test = suite('durability checks at start');

const durable = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'];
const servers: RedisServer[] = [];
async function redisWith(args: string[]): Promise<RedisServer> {
  const redis = await startRedisServer(args);
  servers.push(redis);
  return redis;
}

test.after(async () => {
  await Promise.all(servers.map((redis) => redis.stop()));
});

test('appendonly yes with noeviction gives no warning', async () => {
  const redis = await redisWith(durable);
  const report = await checkDurability({ url: redis.url });
  assert.equal(report.warnings, []);
  assert.equal(report.servers, [
    { server: `127.0.0.1:${redis.port}`, appendonly: 'yes', appendfsync: 'everysec', maxmemoryPolicy: 'noeviction', source: 'config' },
  ]);
});

test('appendonly no is warned about', async () => {
  const redis = await redisWith(['--appendonly', 'no', '--maxmemory-policy', 'noeviction']);
  const { warnings } = await checkDurability({ url: redis.url });
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /appendonly no/);
});

test('appendfsync no is warned about', async () => {
  const redis = await redisWith(['--appendonly', 'yes', '--appendfsync', 'no', '--maxmemory-policy', 'noeviction']);
  const { warnings } = await checkDurability({ url: redis.url });
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /appendfsync no/);
});

test('an evicting maxmemory-policy is warned about', async () => {
  const redis = await redisWith(['--appendonly', 'yes', '--maxmemory-policy', 'allkeys-lru']);
  const { warnings } = await checkDurability({ url: redis.url });
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /maxmemory-policy allkeys-lru/);
});

test('without the CONFIG command the settings are read from INFO', async () => {
  const redis = await redisWith(['--appendonly', 'no', '--maxmemory-policy', 'volatile-lru', '--rename-command', 'CONFIG', '""']);
  const report = await checkDurability({ url: redis.url });
  assert.equal(report.servers, [
    { server: `127.0.0.1:${redis.port}`, appendonly: 'no', appendfsync: 'unknown', maxmemoryPolicy: 'volatile-lru', source: 'info' },
  ]);
  assert.is(report.warnings.length, 2);
});

test('on a Redis Cluster every master is read, and each is warned about', async () => {
  const cluster = await startRedisCluster(3, ['--appendonly', 'no', '--maxmemory-policy', 'noeviction']);
  try {
    const report = await checkDurability({ url: cluster.url, clusterNodes: cluster.addresses });
    assert.equal(report.servers.map((server) => server.server).sort(), [...cluster.addresses].sort());
    assert.is(report.warnings.length, 3);
    for (const warning of report.warnings) assert.match(warning, /appendonly no/);
  } finally {
    await cluster.stop();
  }
});

test('through Sentinel the primary the Sentinels name is read', async () => {
  const sentinel = await startRedisSentinel();
  try {
    const report = await checkDurability({ url: 'redis://sentinel', sentinels: sentinel.sentinels, sentinelName: sentinel.name });
    const primary = await sentinel.primary();
    assert.equal(report.servers, [
      {
        server: `127.0.0.1:${primary.port} (primary ${sentinel.name} by Sentinel)`,
        appendonly: 'yes',
        appendfsync: 'everysec',
        maxmemoryPolicy: 'noeviction',
        source: 'config',
      },
    ]);
    assert.equal(report.warnings, []);
  } finally {
    await sentinel.stop();
  }
});

/** Starts a gateway on the server, waits until it has checked, and answers the warnings about Redis it logged. */
async function durabilityWarningsLogged(redis: RedisServer): Promise<string[]> {
  const gateway = await startGateway({ REDIS_URL: redis.url });
  try {
    const deadline = Date.now() + 20_000;
    while (!gateway.output().includes('"msg":"redis durability checked"')) {
      if (Date.now() > deadline) assert.unreachable(`the gateway did not check durability:\n${gateway.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await gateway.stop();
  }
  return gateway
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; msg: string })
    .filter((line) => line.level === 'warn' && line.msg.startsWith('Redis '))
    .map((line) => line.msg);
}

test('a gateway on a Redis with appendonly no logs a warning at start', async () => {
  const warnings = await durabilityWarningsLogged(await redisWith(['--appendonly', 'no', '--maxmemory-policy', 'noeviction']));
  assert.is(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warnings[0]!, /appendonly no: a restart loses every message/);
});

test('a gateway on a Redis with appendonly yes and noeviction logs no warning', async () => {
  assert.equal(await durabilityWarningsLogged(await redisWith(durable)), []);
});

test.run();
