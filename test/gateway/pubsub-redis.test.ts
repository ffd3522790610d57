import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import { defineGatewaySuite } from './gateway-suite.ts';

defineGatewaySuite('redis', async () => {
  const redis = await startRedisServer();
  const store = new RedisMessageStore({ url: redis.url });
  return { store, cleanup: () => redis.stop() };
}).run();
