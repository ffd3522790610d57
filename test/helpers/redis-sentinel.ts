// A primary, one replica and three Sentinels of the tests' own, all on free loopback ports: Debian's
// redis-server, Sentinels started as `redis-server <file> --sentinel` on config files in a temp dir
// (a Sentinel rewrites its file as it learns). Short timeouts, so a failover takes seconds.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort, startRedisServer, type RedisServer } from './redis-server.ts';

const run = promisify(execFile);

/** The name the Sentinels monitor the primary under (REDIS_SENTINEL_NAME). */
export const SENTINEL_NAME = 'relay-primary';
/** Sentinel down-after-milliseconds: how long the primary is silent before a Sentinel calls it down. */
export const DOWN_AFTER_MS = 1000;
const FAILOVER_TIMEOUT_MS = 3000;

export interface RedisSentinelSetup {
  /** host:port of each Sentinel (REDIS_SENTINELS). */
  readonly sentinels: readonly string[];
  readonly name: string;
  /** The data servers; which of them is the primary changes with a failover. */
  readonly servers: readonly RedisServer[];
  /** The server the Sentinels name as primary now. */
  primary(): Promise<RedisServer>;
  /** A server other than the primary (there is exactly one). */
  replica(): Promise<RedisServer>;
  /** Resolves once the Sentinels name a primary other than `former`, and it accepts writes. */
  failedOver(former: RedisServer, timeoutMs?: number): Promise<RedisServer>;
  /** Kills every process of the setup (by PID) and removes its files. */
  stop(): Promise<void>;
}

/** Runs redis-cli against a loopback port and returns its raw output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
  return stdout.trim();
}

/** Starts primary, replica and three Sentinels; resolves once the Sentinels know all of them. */
export async function startRedisSentinel(): Promise<RedisSentinelSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-sentinel-'));
  const servers: RedisServer[] = [];
  const sentinels: ChildProcess[] = [];
  const sentinelPorts: number[] = [];
  const stop = async () => {
    await Promise.all(sentinels.map((child) => killChild(child)));
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Either may become the primary; a full sync starts at once (Redis waits 5 s by default for more replicas).
    const data = ['--appendonly', 'yes', '--repl-diskless-sync-delay', '0'];
    const first = await startRedisServer(data);
    servers.push(first);
    servers.push(await startRedisServer([...data, '--replicaof', '127.0.0.1', String(first.port)]));
    await until(async () => /master_link_status:up/.test(await redisCli(servers[1]!.port, 'INFO', 'replication')), 'the replica to sync');

    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const file = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${first.port} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_NAME} ${DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${SENTINEL_NAME} ${FAILOVER_TIMEOUT_MS}`,
          `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
          '',
        ].join('\n'),
      );
      const child = spawn('redis-server', [file, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      sentinels.push(child);
      sentinelPorts.push(port);
      await until(async () => {
        if (child.exitCode !== null) throw new SetupFailed(`sentinel on ${port} exited (${child.exitCode}):\n${output}`);
        return (await redisCli(port, 'PING').catch(() => '')) === 'PONG';
      }, `the sentinel on ${port} to answer`);
    }
    // A failover needs each Sentinel to know the replica and a majority of the others (hello messages, every 2 s).
    for (const port of sentinelPorts) {
      await until(async () => {
        const replicas = await redisCli(port, 'SENTINEL', 'REPLICAS', SENTINEL_NAME);
        const others = await redisCli(port, 'SENTINEL', 'SENTINELS', SENTINEL_NAME);
        return replicas.includes(String(servers[1]!.port)) && sentinelPorts.every((other) => other === port || others.includes(String(other)));
      }, `the sentinel on ${port} to know the replica and the other sentinels`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const primary = async () => {
    const [, port] = (await redisCli(sentinelPorts[0]!, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME)).split('\n');
    const server = servers.find((candidate) => String(candidate.port) === port);
    if (!server) throw new Error(`the sentinels name an unknown primary: port ${port}`);
    return server;
  };
  return {
    sentinels: sentinelPorts.map((port) => `127.0.0.1:${port}`),
    name: SENTINEL_NAME,
    servers,
    primary,
    async replica() {
      const current = await primary();
      return servers.find((server) => server !== current)!;
    },
    async failedOver(former, timeoutMs = 30_000) {
      let promoted: RedisServer | undefined;
      await until(
        async () => {
          const current = await primary();
          if (current === former) return false;
          promoted = current;
          return /role:master/.test(await redisCli(current.port, 'INFO', 'replication'));
        },
        `a failover away from port ${former.port}`,
        timeoutMs,
      );
      return promoted!;
    },
    stop,
  };
}

class SetupFailed extends Error {}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A command failing is "not yet"; only a process that died ends the wait early.
    if (await condition().catch((error) => (error instanceof SetupFailed ? Promise.reject(error) : false))) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}
