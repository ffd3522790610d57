import { startRedisServer } from '../helpers/redis-server.ts';
import { defineGatewaysSuite } from './data-tier-gateways-suite.ts';

defineGatewaysSuite('one Redis', async () => {
  const redis = await startRedisServer();
  return { env: { REDIS_URL: redis.url }, stop: () => redis.stop() };
}).run();
