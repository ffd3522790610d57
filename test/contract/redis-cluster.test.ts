// The contract suite against the Redis store on a private 3-master Redis Cluster of this test's own.
// Transactions cannot run there (one script over several slots; README, "Transactions"): the suite
// checks their documented answer, unimplemented, instead.
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { startRedisCluster } from '../helpers/redis-cluster.ts';
import { defineStoreContract, storeOn } from './store-contract.ts';

defineStoreContract('redis cluster', async (options = {}) => {
  const cluster = await startRedisCluster(3);
  const store = new RedisMessageStore({
    url: cluster.url,
    clusterNodes: cluster.addresses,
    finishedTransactionTtlMs: options.finishedTransactionTtlMs,
  });
  return storeOn(store, () => cluster.stop());
}, { transactions: 'unimplemented' });
