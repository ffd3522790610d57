// The Redis ACL the README gives the gateway: this file takes the `ACL SETUSER relay ...` line from
// README.md as it stands, applies it to a private redis-server, checks what that user is refused, runs
// a gateway process as that user, and then the whole store contract as that user.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { connect, publish, TestSubscriber, topicWithSubscriptions } from '../helpers/client.ts';
import { startGateway } from '../helpers/gateway.ts';
import { startRedisCluster } from '../helpers/redis-cluster.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { defineStoreContract, storeOn } from './store-contract.ts';

const PASSWORD = 'acl-test-password';
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const aclLine = /^ACL SETUSER relay .*$/m.exec(readme)?.[0];

/** redis-cli on the server, as the default user or as `relay`; answers what it printed. */
function cli(redis: RedisServer, user: 'default' | 'relay', ...args: string[]): string {
  const auth = user === 'relay' ? ['--user', 'relay', '--pass', PASSWORD, '--no-auth-warning'] : [];
  const run = spawnSync('redis-cli', ['-p', String(redis.port), ...auth, ...args], { encoding: 'utf8' });
  if (run.error) throw new Error(`cannot run redis-cli: ${run.error.message}`);
  return run.stdout + run.stderr;
}

/** Gives a server the README's relay user. */
function addAclUser(redis: RedisServer): void {
  assert.ok(aclLine, 'README.md has an `ACL SETUSER relay ...` line');
  const words = aclLine.split(/\s+/).map((word) => (word === '>CHANGE-ME' ? `>${PASSWORD}` : word));
  assert.ok(words.includes(`>${PASSWORD}`), 'the README line sets the password >CHANGE-ME');
  const answer = cli(redis, 'default', ...words);
  if (!answer.startsWith('OK')) throw new Error(`${aclLine} failed: ${answer}`);
}

/** A private redis-server with the README's relay user. */
async function serverWithAclUser(): Promise<RedisServer> {
  const redis = await startRedisServer();
  try {
    addAclUser(redis);
  } catch (error) {
    await redis.stop();
    throw error;
  }
  return redis;
}

const refused = suite<{ redis: RedisServer }>('the README ACL user');

refused.before(async (context) => {
  context.redis = await serverWithAclUser();
});

refused.after(({ redis }) => redis.stop());

refused('may use keys and channels under relay: only', ({ redis }) => {
  assert.match(cli(redis, 'relay', 'SET', 'relay:probe', '1'), /^OK/);
  assert.match(cli(redis, 'relay', 'PUBLISH', 'relay:{t}:ready', ''), /^0/);
  assert.match(cli(redis, 'relay', 'SET', 'other:probe', '1'), /NOPERM/);
  assert.match(cli(redis, 'relay', 'GET', 'probe'), /NOPERM/);
  assert.match(cli(redis, 'relay', 'PUBLISH', 'other', ''), /NOPERM/);
  assert.match(cli(redis, 'relay', 'EVAL', "return redis.call('GET', KEYS[1])", '1', 'other:probe'), /NOPERM/);
});

refused('may run no dangerous command, list no key names and manage no scripts', ({ redis }) => {
  const commands = [
    ['FLUSHALL'],
    ['FLUSHDB'],
    ['CONFIG', 'GET', 'appendonly'],
    ['KEYS', '*'],
    ['SCAN', '0'],
    ['RANDOMKEY'],
    ['SCRIPT', 'FLUSH'],
    ['FUNCTION', 'FLUSH'],
    ['ACL', 'LIST'],
    ['SHUTDOWN'],
    ['SAVE'],
    ['MIGRATE', '127.0.0.1', '1', 'relay:probe', '0', '1'],
    ['MONITOR'],
    ['CLIENT', 'LIST'],
    ['REPLICAOF', 'NO', 'ONE'],
    ['CLUSTER', 'RESET'],
    ['CLUSTER', 'FORGET', 'x'],
  ];
  for (const command of commands) {
    assert.match(cli(redis, 'relay', ...command), /NOPERM/, command.join(' '));
  }
  assert.match(cli(redis, 'default', 'DBSIZE'), /^1/, 'nothing was flushed: relay:probe is still there');
});

refused('a gateway process as that user publishes and delivers, and its durability check reads INFO instead of CONFIG', async ({ redis }) => {
  const gateway = await startGateway({ REDIS_URL: `redis://relay:${PASSWORD}@127.0.0.1:${redis.port}` });
  const client = connect(gateway.address);
  try {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{}], { maxBacklogMessages: 10 });
    const stream = new TestSubscriber(client, subscriptions[0]!);
    await publish(client, topic, [{ data: Buffer.from('as relay') }]);
    const [delivery] = await stream.take(1, 10_000);
    assert.is(delivery!.message!.data.toString(), 'as relay');
    stream.ack([delivery!.receipt]);
    stream.cancel();
    const deadline = Date.now() + 10_000;
    while (!gateway.output().includes('redis durability checked')) {
      assert.ok(Date.now() < deadline, `the durability check finished:\n${gateway.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    client.close();
    await gateway.stop();
  }
});

refused('on a Redis Cluster the same user publishes, receives, acks and dead-letters across slots', async () => {
  const cluster = await startRedisCluster(3);
  for (const node of cluster.nodes) addAclUser(node);
  const store = new RedisMessageStore({ url: `redis://relay:${PASSWORD}@127.0.0.1:1`, clusterNodes: cluster.addresses });
  try {
    const topic = { dedupWindowMs: 60_000, retentionMs: 86_400_000, retentionMessages: 0, maxBacklogMessages: 10, maxBacklogAgeMs: 60_000 };
    const subscription = { ackDeadlineMs: 10_000, startPosition: 'earliest', minBackoffMs: 100, maxBackoffMs: 1_000, ordering: true } as const;
    await store.createTopic({ ...topic, name: 'orders' });
    await store.createTopic({ ...topic, name: 'orders.dead' });
    await store.createSubscription({ ...subscription, name: 'billing', topic: 'orders', maxDeliveryAttempts: 5, deadLetterTopic: 'orders.dead' });
    await store.createSubscription({ ...subscription, name: 'billing.dead', topic: 'orders.dead', maxDeliveryAttempts: 0, deadLetterTopic: '' });
    const message = { attributes: {}, orderingKey: 'k', idempotencyKey: 'i', traceparent: '', tracestate: '' };
    await store.publish('orders', [{ ...message, data: Buffer.from('one') }]);
    const request = { consumer: 'c', maxMessages: 10, maxBytes: 1 << 20, allowOneOversized: true };
    const [delivery] = (await store.receive('billing', request)).deliveries;
    assert.equal(await store.reject('billing', [{ messageId: delivery!.message.id, attempt: 1 }], 'no'), ['ok']);
    const [dead] = (await store.receive('billing.dead', request)).deliveries;
    assert.is(dead!.message.data.toString(), 'one');
    assert.equal(await store.ack('billing.dead', [{ messageId: dead!.message.id, attempt: 1 }]), ['ok']);
    assert.is(await store.trim('orders'), 0);
  } finally {
    await store.close();
    await cluster.stop();
  }
});

refused.run();

defineStoreContract('redis as the README ACL user', async (options = {}) => {
  const redis = await serverWithAclUser();
  const store = new RedisMessageStore({
    url: `redis://relay:${PASSWORD}@127.0.0.1:${redis.port}`,
    finishedTransactionTtlMs: options.finishedTransactionTtlMs,
  });
  return storeOn(store, () => redis.stop());
});
