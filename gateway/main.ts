// The gateway process: `npm start`. Config from environment and flags (see gateway/config.ts).
// Tracing first, from the OTEL_* variables (see gateway/instrument.ts).
import './instrument.ts';
import { MemoryMessageStore } from '../adapters/memory/memory-store.ts';
import { checkDurability } from '../adapters/redis/durability.ts';
import { RedisMessageStore } from '../adapters/redis/redis-store.ts';
import type { MessageStore } from '../adapters/store.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { serve } from './server.ts';
import { shutdownTracing } from './telemetry/sdk.ts';

let config: Config;
try {
  config = loadConfig(process.env, process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const log = createLogger(config.logLevel);
let store: MessageStore;
if (config.redisUrl) {
  const connection = {
    url: config.redisUrl,
    clusterNodes: config.redisClusterNodes,
    sentinels: config.redisSentinels,
    sentinelName: config.redisSentinelName,
    tlsCaFile: config.redisTlsCaFile || undefined,
    tlsCertFile: config.redisTlsCertFile || undefined,
    tlsKeyFile: config.redisTlsKeyFile || undefined,
  };
  store = new RedisMessageStore({
    ...connection,
    waitReplicas: config.redisWaitReplicas,
    waitTimeoutMs: config.redisWaitTimeoutMs,
    finishedTransactionTtlMs: config.finishedTransactionTtlMs,
  });
  // In the background: a Redis that is down at start delays nothing (calls answer UNAVAILABLE meanwhile).
  checkDurability(connection).then(
    (report) => {
      for (const warning of report.warnings) log.warn(warning);
      log.info({ servers: report.servers }, 'redis durability checked');
    },
    (error: unknown) => log.warn({ err: error }, 'redis durability not checked'),
  );
} else {
  store = new MemoryMessageStore({ finishedTransactionTtlMs: config.finishedTransactionTtlMs });
  log.warn('no REDIS_URL: running on the embedded memory store; nothing survives a restart');
}

try {
  const gateway = await serve(config, store, log);
  log.info({ listen: config.listen, port: gateway.port, store: store.kind, gatewayId: config.gatewayId }, 'serving');
  const stop = (signal: string) => {
    log.info({ signal }, 'draining');
    gateway.close().then(
      async () => {
        // Last: the spans of the drain itself are exported too.
        await shutdownTracing();
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'drain failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // TLS certificate, tokens, JWKS and permissions are read again; connections and streams stay open.
  process.on('SIGHUP', () => gateway.reload());
} catch (error) {
  log.fatal({ err: error }, 'cannot serve');
  await store.close();
  process.exit(1);
}
