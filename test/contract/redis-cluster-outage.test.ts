// The Redis store on a Cluster under concurrency and losing a master (no replicas): scripts on topics
// of every master in one tick all succeed; while a master is down calls answer unavailable (never
// internal, never hang), and everything works again once it is back.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { StoreError, type MessageStore } from '../../adapters/store.ts';
import { startRedisCluster } from '../helpers/redis-cluster.ts';

const test = suite('redis cluster outage');

/** The outcome of a call within a time limit: 'ok', a StoreError code, another error's name, or 'hang'. */
async function outcome(call: () => Promise<unknown>, limitMs = 15_000): Promise<string> {
  const timeout = sleep(limitMs).then(() => 'hang');
  const result = call().then(
    () => 'ok',
    (error: Error) => (error instanceof StoreError ? error.code : error.name),
  );
  return Promise.race([result, timeout]);
}

test('scripts on topics of every master sent in the same tick all succeed', async () => {
  const cluster = await startRedisCluster(3);
  const store: MessageStore = new RedisMessageStore({ url: cluster.url, clusterNodes: cluster.addresses });
  try {
    const settings = { dedupWindowMs: 60_000, retentionMs: 86_400_000, retentionMessages: 0, maxBacklogMessages: 0, maxBacklogAgeMs: 0 };
    const topics = Array.from({ length: 30 }, () => `t-${randomUUID()}`);
    await Promise.all(topics.map((name) => store.createTopic({ ...settings, name })));
    const message = { data: Buffer.from('x'), attributes: {}, orderingKey: '', idempotencyKey: 'k', traceparent: '', tracestate: '' };
    const results = await Promise.all(topics.map((name) => outcome(() => store.publish(name, [message]))));
    assert.equal(results, topics.map(() => 'ok'));
  } finally {
    await store.close();
    await cluster.stop();
  }
});

test('with a master SIGKILLed every call answers unavailable until it is back; then they work again', async () => {
  const cluster = await startRedisCluster(3, ['--appendonly', 'yes', '--appendfsync', 'always']);
  const store: MessageStore = new RedisMessageStore({ url: cluster.url, clusterNodes: cluster.addresses });
  try {
    const settings = { dedupWindowMs: 60_000, retentionMs: 86_400_000, retentionMessages: 0, maxBacklogMessages: 0, maxBacklogAgeMs: 0 };
    const topics = Array.from({ length: 12 }, () => `t-${randomUUID()}`);
    for (const name of topics) await store.createTopic({ ...settings, name });
    const message = { data: Buffer.from('x'), attributes: {}, orderingKey: '', idempotencyKey: '', traceparent: '', tracestate: '' };
    await cluster.nodes[1]!.kill();
    // At once (its connection is refused) and after the Cluster marks it failed (CLUSTERDOWN everywhere).
    const seen = new Set<string>();
    const deadline = Date.now() + 8_000;
    while (Date.now() < deadline) {
      for (const name of topics) seen.add(await outcome(() => store.publish(name, [message])));
      await sleep(200);
    }
    seen.delete('ok'); // topics on the other masters, before the Cluster is marked failed
    assert.equal([...seen], ['unavailable'], `only unavailable: ${[...seen]}`);
    await cluster.nodes[1]!.restart();
    const back = Date.now() + 30_000;
    for (;;) {
      const results = await Promise.all(topics.map((name) => outcome(() => store.publish(name, [message]))));
      if (results.every((result) => result === 'ok')) break;
      assert.ok(results.every((result) => result === 'ok' || result === 'unavailable'), `only ok or unavailable: ${results}`);
      assert.ok(Date.now() < back, `every topic takes publishes again: ${results}`);
      await sleep(200);
    }
  } finally {
    await store.close();
    await cluster.stop();
  }
});

test.run();
