// Raw Redis Streams through ioredis: the ceiling a gateway on Redis can approach. Per message one
// script (SET NX PX + XADD, by SHA) on an auto-pipelined connection; each consumer reads with a
// blocking XREADGROUP on a connection of its own and acks with XACK on a shared auto-pipelined one.
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { ProcessRef } from '../machine.ts';
import { startPrivateRedis, type Fsync, type RedisServer } from './private-redis.ts';
import { uniqueSuffix, type BenchTopic, type Consumer, type ConsumerHandler, type PublishItem, type Target, type TargetSpec } from './target.ts';

const publishScript = readFileSync(new URL('./redis-publish.lua', import.meta.url), 'utf8');
/** The idempotency window, as Relay's default. */
const dedupWindowMs = 120_000;
/** How long one XREADGROUP blocks; bounds how long closing a consumer takes. */
const blockMs = 100;

type PublishCommand = (stream: string, key: string, data: Buffer, windowMs: number) => Promise<string | null>;

export function redisStreamsSpec(fsync: Fsync): TargetSpec {
  return {
    name: `Redis Streams (${fsync})`,
    description:
      `raw Redis Streams via ioredis 5 (auto-pipelining; Lua SET NX PX + XADD per message by EVALSHA; XREADGROUP; XACK) ` +
      `on a private redis-server 7 with appendonly yes, appendfsync ${fsync}`,
    start: () => RedisStreamsTarget.start(fsync),
  };
}

export class RedisStreamsTarget implements Target {
  readonly name: string;
  readonly processes: ProcessRef[];
  private readonly commands: Redis;
  private readonly publishCommand: PublishCommand;

  private constructor(
    fsync: Fsync,
    private readonly server: RedisServer,
  ) {
    this.name = `Redis Streams (${fsync})`;
    this.processes = [{ role: 'redis-server', pid: server.pid }];
    this.commands = new Redis(server.url, { enableAutoPipelining: true });
    this.commands.defineCommand('benchPublish', { numberOfKeys: 2, lua: publishScript });
    const command = (this.commands as unknown as Record<string, PublishCommand>).benchPublish!;
    this.publishCommand = command.bind(this.commands);
  }

  static async start(fsync: Fsync): Promise<RedisStreamsTarget> {
    return new RedisStreamsTarget(fsync, await startPrivateRedis(fsync));
  }

  async createTopic(subscriptions: number): Promise<BenchTopic> {
    const name = `bench-${uniqueSuffix()}`;
    const stream = `${name}:stream`;
    const groups = Array.from({ length: subscriptions }, (_, i) => `s${i}`);
    for (const group of groups) await this.commands.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
    return {
      name,
      publish: async (items: readonly PublishItem[]) => {
        await Promise.all(items.map((item) => this.publishCommand(stream, `${name}:idem:${item.key}`, item.data, dedupWindowMs)));
      },
      consume: async (subscription, prefetch, handler) => this.consume(stream, groups[subscription]!, prefetch, handler),
      delete: async () => {
        await this.commands.del(stream);
      },
    };
  }

  private async consume(stream: string, group: string, prefetch: number, handler: ConsumerHandler): Promise<Consumer> {
    const reader = new Redis(this.server.url);
    const consumer = `c-${uniqueSuffix()}`;
    let closing = false;
    const loop = (async () => {
      while (!closing) {
        const reply = (await reader.callBuffer('XREADGROUP', 'GROUP', group, consumer, 'COUNT', prefetch, 'BLOCK', blockMs, 'STREAMS', stream, '>')) as
          | [Buffer, [Buffer, Buffer[]][]][]
          | null;
        if (!reply) continue;
        const entries = reply[0]![1];
        const ids: Buffer[] = [];
        for (const [id, fields] of entries) {
          handler.onMessage(fields[1]!);
          ids.push(id);
        }
        if (ids.length === 0) continue;
        this.commands.xack(stream, group, ...ids).catch((error: Error) => handler.onError(error));
        handler.onAcked(ids.length);
      }
    })().catch((error: Error) => {
      if (!closing) handler.onError(error);
    });
    return {
      close: async () => {
        closing = true;
        await loop;
        reader.disconnect();
      },
    };
  }

  async close(): Promise<void> {
    await this.commands.quit().catch(() => this.commands.disconnect());
    await this.server.stop();
  }
}
