import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import { defineTransactionsSuite } from './transactions-suite.ts';

defineTransactionsSuite('redis', async () => {
  const redis = await startRedisServer();
  return { store: new RedisMessageStore({ url: redis.url }), cleanup: () => redis.stop() };
}).run();
