// The contract suite against the Redis store, on a private redis-server of this test's own.
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import { defineStoreContract, storeOn } from './store-contract.ts';

defineStoreContract('redis', async (options = {}) => {
  const redis = await startRedisServer();
  const store = new RedisMessageStore({ url: redis.url, finishedTransactionTtlMs: options.finishedTransactionTtlMs });
  return storeOn(store, () => redis.stop());
});
