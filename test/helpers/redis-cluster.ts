import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startRedisServer, type RedisServer } from './redis-server.ts';

const run = promisify(execFile);

/** A private Redis Cluster of masters without replicas on loopback; tests kill only its servers, by PID. */
export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  /** host:port of every master, as RELAY_REDIS_CLUSTER_NODES takes them. */
  readonly addresses: readonly string[];
  /** redis:// URL of the first node (credentials and TLS would go here). */
  readonly url: string;
  /** Kills every node and removes their data directories. */
  stop(): Promise<void>;
}

/**
 * Starts `masters` redis-servers in cluster mode (Debian's redis-server), joins them with
 * `redis-cli --cluster create` and waits for cluster_state:ok on every node. Fails loudly when it cannot.
 */
export async function startRedisCluster(masters = 3, extraArgs: string[] = []): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      // The cluster bus port is given explicitly: port + 10000 may be taken or beyond 65535.
      const busPort = await freePort();
      nodes.push(
        await startRedisServer([
          '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf',
          '--cluster-port', String(busPort),
          '--cluster-node-timeout', '5000',
          ...extraArgs,
        ]),
      );
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 60_000 });
    await waitForClusterOk(nodes);
    return {
      nodes,
      addresses,
      url: nodes[0]!.url,
      async stop() {
        await Promise.all(nodes.map((node) => node.stop()));
      },
    };
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw new Error(`cannot start a Redis Cluster: ${(error as Error).message}`);
  }
}

async function waitForClusterOk(nodes: readonly RedisServer[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      nodes.map(async (node) => (await run('redis-cli', ['-p', String(node.port), 'cluster', 'info'])).stdout),
    );
    if (states.every((info) => info.includes('cluster_state:ok'))) return;
    if (Date.now() > deadline) throw new Error(`cluster_state did not become ok:\n${states.join('\n')}`);
    await sleep(100);
  }
}
