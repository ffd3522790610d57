// The contract suite against the Redis store reaching its primary through Sentinel: a primary, a
// replica and three Sentinels of this test's own (test/helpers/redis-sentinel.ts). Stores made for
// single tests share the setup; it stops when the last store is cleaned up.
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { startRedisSentinel, type RedisSentinelSetup } from '../helpers/redis-sentinel.ts';
import { defineStoreContract, storeOn } from './store-contract.ts';

let setup: Promise<RedisSentinelSetup> | undefined;
let stores = 0;

defineStoreContract('redis via sentinel', async (options = {}) => {
  setup ??= startRedisSentinel();
  const sentinel = await setup;
  stores++;
  // The URL gives only credentials, TLS and db: its host is never dialled.
  const store = new RedisMessageStore({
    url: 'redis://unused',
    sentinels: sentinel.sentinels,
    sentinelName: sentinel.name,
    finishedTransactionTtlMs: options.finishedTransactionTtlMs,
  });
  return storeOn(store, async () => {
    if (--stores === 0) {
      setup = undefined;
      await sentinel.stop();
    }
  });
});
