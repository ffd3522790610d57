// The private redis-server that Relay and raw Redis Streams each run on: AOF on, one fsync policy.
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.ts';

export type Fsync = 'everysec' | 'always';

/**
 * Starts a redis-server of the benchmark's own (killed and its directory removed by stop()).
 * Automatic AOF rewrites are off, so a background rewrite never lands in the middle of a measurement.
 */
export function startPrivateRedis(fsync: Fsync): Promise<RedisServer> {
  return startRedisServer(['--appendonly', 'yes', '--appendfsync', fsync, '--auto-aof-rewrite-percentage', '0']);
}

/** INFO memory's used_memory of a Redis, in bytes. */
export async function usedMemory(url: string): Promise<number> {
  const redis = new Redis(url);
  try {
    return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))![1]);
  } finally {
    redis.disconnect();
  }
}

export interface CommandStat {
  readonly command: string;
  readonly calls: number;
  readonly usec: number;
}

/** INFO commandstats: calls and microseconds per command (commands run by scripts count too). */
export async function commandStats(url: string): Promise<CommandStat[]> {
  const redis = new Redis(url);
  try {
    const info = await redis.info('commandstats');
    return [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)].map(([, command, calls, usec]) => ({
      command: command!,
      calls: Number(calls),
      usec: Number(usec),
    }));
  } finally {
    redis.disconnect();
  }
}

/** CONFIG RESETSTAT: commandstats start from zero. */
export async function resetStats(url: string): Promise<void> {
  const redis = new Redis(url);
  try {
    await redis.config('RESETSTAT');
  } finally {
    redis.disconnect();
  }
}

export type { RedisServer };
