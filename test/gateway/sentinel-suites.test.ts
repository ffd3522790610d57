// The gateway's core and delivery-guarantee suites (real gRPC) on a store that reaches its primary
// through Sentinel: a primary, a replica and three Sentinels of this test's own for each suite. The
// guarantees run a second time on a store whose primary was SIGKILLed after it connected: the same
// client object carries on against the promoted replica.
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { startRedisSentinel } from '../helpers/redis-sentinel.ts';
import { defineGatewaySuite } from './gateway-suite.ts';
import { defineGuaranteesSuite } from './guarantees-suite.ts';

async function storeBehindSentinel(failOverFirst = false) {
  const sentinel = await startRedisSentinel();
  // The URL gives only credentials, TLS and db: its host is never dialled.
  const store = new RedisMessageStore({ url: 'redis://sentinel', sentinels: sentinel.sentinels, sentinelName: sentinel.name });
  if (failOverFirst) {
    await store.listTopics({ after: '', limit: 1 }); // connected to the first primary
    const primary = await sentinel.primary();
    await primary.kill();
    await sentinel.failedOver(primary);
  }
  return { store, cleanup: () => sentinel.stop() };
}

defineGatewaySuite('redis via sentinel', () => storeBehindSentinel()).run();
defineGuaranteesSuite('redis via sentinel', () => storeBehindSentinel()).run();
defineGuaranteesSuite('redis via sentinel after a failover', () => storeBehindSentinel(true)).run();
