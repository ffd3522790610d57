// What Redis promises to keep, read once at start: a gateway confirms a publish once Redis has it, so
// Redis's own persistence and eviction settings decide what a confirmed message can still lose.
import { Cluster } from 'ioredis';
import { createRedisClient, type RedisClient, type RedisConnectionOptions } from './connection.ts';

/** One server's settings that bear on durability; `unknown` when the server would not tell. */
export interface DurabilitySettings {
  /** host:port of the server (each primary of a Cluster is read on its own). */
  readonly server: string;
  /** `yes` or `no`. */
  readonly appendonly: string;
  /** `always`, `everysec` or `no`; `unknown` when read from INFO (which does not show it). */
  readonly appendfsync: string;
  /** `noeviction` is the only policy that never drops a stored message. */
  readonly maxmemoryPolicy: string;
  /** CONFIG GET, or INFO when CONFIG is refused (an ACL without it, a renamed command). */
  readonly source: 'config' | 'info';
}

export interface DurabilityReport {
  readonly servers: readonly DurabilitySettings[];
  /** One sentence per risk found, for the gateway's log; empty when nothing can be lost this way. */
  readonly warnings: readonly string[];
}

/** Opens a connection of its own, reads every primary's settings and closes it again. */
export async function checkDurability(options: RedisConnectionOptions): Promise<DurabilityReport> {
  const client = createRedisClient(options, 'commands');
  client.on('error', () => {});
  try {
    const servers = await readDurability(client);
    return { servers, warnings: servers.flatMap(durabilityWarnings) };
  } finally {
    await client.quit().catch(() => client.disconnect());
  }
}

/** The settings of the server a client talks to, or of every primary of a Cluster. */
export async function readDurability(client: RedisClient): Promise<DurabilitySettings[]> {
  if (client instanceof Cluster) {
    await client.ping(); // the node list is known once a command went through
    return Promise.all(client.nodes('master').map((node) => readServer(node, `${node.options.host}:${node.options.port}`)));
  }
  const settings = await readServer(client, `${client.options.host}:${client.options.port}`);
  // Through Sentinel the options name no server: say which primary the Sentinels gave.
  if (!client.options.sentinels?.length) return [settings];
  return [{ ...settings, server: `${client.stream.remoteAddress}:${client.stream.remotePort} (primary ${client.options.name} by Sentinel)` }];
}

export function durabilityWarnings(settings: DurabilitySettings): string[] {
  const warnings: string[] = [];
  const on = `Redis ${settings.server}`;
  if (settings.appendonly !== 'yes') {
    warnings.push(`${on} has appendonly ${settings.appendonly}: a restart loses every message written since the last snapshot`);
  } else if (settings.appendfsync === 'no') {
    warnings.push(`${on} has appendfsync no: a crash of its machine loses what the OS had not yet flushed (often 30 s)`);
  }
  if (settings.maxmemoryPolicy !== 'noeviction') {
    warnings.push(`${on} has maxmemory-policy ${settings.maxmemoryPolicy}: under memory pressure it deletes keys, stored messages among them (use noeviction)`);
  }
  return warnings;
}

async function readServer(client: RedisClient, server: string): Promise<DurabilitySettings> {
  try {
    const reply = (await client.call('CONFIG', 'GET', 'appendonly', 'appendfsync', 'maxmemory-policy')) as string[];
    const config = new Map<string, string>();
    for (let i = 0; i < reply.length; i += 2) config.set(reply[i]!, reply[i + 1]!);
    return {
      server,
      appendonly: config.get('appendonly') ?? 'unknown',
      appendfsync: config.get('appendfsync') ?? 'unknown',
      maxmemoryPolicy: config.get('maxmemory-policy') ?? 'unknown',
      source: 'config',
    };
  } catch (error) {
    // Refused (NOPERM, unknown command): INFO tells all but appendfsync. Anything else is an outage.
    if ((error as Error).name !== 'ReplyError') throw error;
  }
  const info = new Map<string, string>();
  for (const section of ['persistence', 'memory']) {
    for (const line of ((await client.info(section)) as string).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) info.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  const aof = info.get('aof_enabled');
  return {
    server,
    appendonly: aof === '1' ? 'yes' : aof === '0' ? 'no' : 'unknown',
    appendfsync: 'unknown',
    maxmemoryPolicy: info.get('maxmemory_policy') ?? 'unknown',
    source: 'info',
  };
}
