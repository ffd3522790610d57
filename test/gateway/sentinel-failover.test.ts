// A gateway process on Redis behind Sentinel (primary, replica, three Sentinels of the test's own)
// while the primary is SIGKILLed mid-run: publishers and a subscriber see UNAVAILABLE for the length of
// the failover, retry (publishes with the same idempotency keys), and carry on against the promoted
// replica. Each test prints what was acknowledged against what was received.
import { status, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, publish, sleep, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startRedisSentinel, type RedisSentinelSetup } from '../helpers/redis-sentinel.ts';
import type { RedisServer } from '../helpers/redis-server.ts';

const test = suite('failover behind Sentinel');

const MESSAGES = 400;
const KILL_AT = 150;

interface RunReport {
  acknowledged: Map<string, number>;
  received: Set<string>;
  lost: string[];
  deliveries: number;
  errors: Map<string, number>;
  killedAtMs: number;
  outageMs: number;
}

/** The gateway's environment for a Sentinel setup: REDIS_URL's host is never dialled. */
function sentinelEnv(sentinel: RedisSentinelSetup, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: 'redis://sentinel',
    RELAY_REDIS_SENTINELS: sentinel.sentinels.join(','),
    RELAY_REDIS_SENTINEL_NAME: sentinel.name,
    RELAY_POLL_INTERVAL_MS: '200',
    ...extra,
  };
}

/** A subscriber that acks what it gets and opens a new stream whenever one ends. */
function keepSubscribing(client: Client, subscription: string, received: Set<string>, errors: Map<string, number>) {
  let stream: TestSubscriber | undefined;
  let deliveries = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      stream = new TestSubscriber(client, subscription, { maxOutstandingMessages: 100 });
      stream.onDeliveries = (batch) => {
        deliveries += batch.length;
        for (const delivery of batch) received.add(delivery.message!.data.toString());
        stream!.ack(batch.map((delivery) => delivery.receipt));
      };
      await stream.until(() => stopped || stream!.error !== undefined || stream!.ended, 600_000, 'stream end');
      if (stream.error && !stopped) count(errors, `subscribe ${status[stream.error.code]}`);
      if (!stopped) await sleep(100);
    }
  })();
  return {
    deliveries: () => deliveries,
    async stop() {
      stopped = true;
      stream?.cancel();
      await loop;
    },
  };
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Publishes MESSAGES messages one by one (each with its own idempotency key, retried until it is
 * confirmed), SIGKILLs the primary after KILL_AT, then waits until the subscriber has every confirmed
 * message or 30 s passed without a new one.
 */
async function runThroughFailover(sentinel: RedisSentinelSetup, gateway: GatewayProcess, afterFailover: (former: RedisServer) => Promise<void> = async () => {}): Promise<RunReport> {
  const client = connect(gateway.address);
  const errors = new Map<string, number>();
  const acknowledged = new Map<string, number>();
  const received = new Set<string>();
  let subscriber: ReturnType<typeof keepSubscribing> | undefined;
  try {
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{ ackDeadline: { seconds: 2 } }]);
    subscriber = keepSubscribing(client, subscriptions[0]!, received, errors);
    let killedAtMs = 0;
    let restoredAtMs = 0;
    let recovery: Promise<void> | undefined;
    for (let i = 0; i < MESSAGES; i++) {
      if (i === KILL_AT) {
        const primary = await sentinel.primary();
        await primary.kill();
        killedAtMs = Date.now();
        recovery = sentinel.failedOver(primary).then(() => afterFailover(primary));
      }
      const data = `m-${i}`;
      for (const deadline = Date.now() + 60_000; ; ) {
        const error = await publish(client, topic, [{ data: Buffer.from(data), idempotencyKey: `k-${i}` }]).then(
          () => undefined,
          (e: ServiceError) => e,
        );
        if (!error) break;
        count(errors, `publish ${status[error.code]}`);
        if (Date.now() > deadline) assert.unreachable(`message ${i} not confirmed within 60 s: ${error.message}`);
        await sleep(50);
      }
      acknowledged.set(data, Date.now());
      if (killedAtMs && !restoredAtMs) restoredAtMs = Date.now();
      await sleep(2);
    }
    await recovery;
    for (let last = received.size, quietSince = Date.now(); received.size < acknowledged.size && Date.now() - quietSince < 30_000; ) {
      await sleep(100);
      if (received.size !== last) [last, quietSince] = [received.size, Date.now()];
    }
    await subscriber.stop();
    const report = {
      acknowledged,
      received,
      lost: [...acknowledged.keys()].filter((data) => !received.has(data)),
      deliveries: subscriber.deliveries(),
      errors,
      killedAtMs,
      outageMs: restoredAtMs - killedAtMs,
    };
    console.log(
      `  acknowledged ${acknowledged.size}, received ${received.size} (${report.deliveries} deliveries), ` +
        `lost ${report.lost.length}${report.lost.length ? ` (${report.lost.join(' ')})` : ''}, ` +
        `publishes blocked ${report.outageMs} ms after the kill, errors seen: ${JSON.stringify(Object.fromEntries(errors))}`,
    );
    return report;
  } finally {
    await subscriber?.stop();
    client.close();
  }
}

/** The only errors a client sees across a failover are UNAVAILABLE (safe to retry). */
function assertOnlyUnavailable(report: RunReport): void {
  assert.ok(report.errors.get('publish UNAVAILABLE'), 'publishers saw UNAVAILABLE while the primary was gone');
  for (const [what] of report.errors) assert.match(what, / UNAVAILABLE$/, `unexpected ${what}`);
}

test('without WAIT: clients see UNAVAILABLE during the failover and carry on; only the last moment before the kill can be lost', async () => {
  const sentinel = await startRedisSentinel();
  const gateway = await startGateway(sentinelEnv(sentinel)).catch(async (error) => {
    await sentinel.stop();
    throw error;
  });
  try {
    const report = await runThroughFailover(sentinel, gateway);
    assertOnlyUnavailable(report);
    assert.is(report.acknowledged.size, MESSAGES, 'every message was confirmed in the end');
    // Asynchronous replication: a publish confirmed by the old primary may not have reached the
    // replica before the kill. Anything older than a second before it had (loopback replication
    // takes well under a millisecond); losing that would be a bug, not the failover.
    for (const data of report.lost) {
      const confirmedAt = report.acknowledged.get(data)!;
      assert.ok(confirmedAt > report.killedAtMs - 1000, `${data}, confirmed ${report.killedAtMs - confirmedAt} ms before the kill, was lost`);
    }
    const afterFailover = [...report.acknowledged].filter(([, at]) => at > report.killedAtMs).map(([data]) => data);
    assert.ok(afterFailover.length >= MESSAGES - KILL_AT);
    assert.equal(afterFailover.filter((data) => !report.received.has(data)), [], 'everything confirmed after the failover arrives');
  } finally {
    await gateway.kill();
    await sentinel.stop();
  }
});

test('with WAIT for one replica: nothing confirmed is lost; publishes wait until the old primary is back as a replica', async () => {
  const sentinel = await startRedisSentinel();
  const gateway = await startGateway(sentinelEnv(sentinel, { RELAY_REDIS_WAIT_REPLICAS: '1', RELAY_REDIS_WAIT_TIMEOUT_MS: '500' })).catch(
    async (error) => {
      await sentinel.stop();
      throw error;
    },
  );
  try {
    // After the failover the promoted replica has no replica of its own: WAIT cannot succeed until
    // the old primary restarts and the Sentinels make it a replica of the new one.
    const report = await runThroughFailover(sentinel, gateway, (former) => former.restart());
    assertOnlyUnavailable(report);
    assert.is(report.acknowledged.size, MESSAGES, 'every message was confirmed in the end');
    assert.equal(report.lost, [], 'a publish confirmed after WAIT is on the replica that is promoted');
  } finally {
    await gateway.kill();
    await sentinel.stop();
  }
});

test.run();
