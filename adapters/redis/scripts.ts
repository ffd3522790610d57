import { readFileSync, readdirSync } from 'node:fs';
import type { RedisClient } from './connection.ts';

const directory = new URL('./scripts/', import.meta.url);

/** The scripts in scripts/*.lua, by file name without extension. */
export type ScriptName =
  | 'publish'
  | 'receive'
  | 'ack'
  | 'nack'
  | 'extend-lease'
  | 'in-flight'
  | 'reject'
  | 'seek'
  | 'stats'
  | 'inspect'
  | 'trim'
  | 'redrive'
  | 'forward-dead-letters'
  | 'prepare'
  | 'commit'
  | 'abort'
  | 'create-topic'
  | 'delete-topic'
  | 'create-subscription'
  | 'delete-subscription';

type ScriptArgument = string | number | Buffer;
type ScriptCall = (keyCount: number, ...args: ScriptArgument[]) => Promise<unknown>;

/**
 * A script's source with each `-- @include lib/<file>.lua` line replaced by that file (itself expanded),
 * each library at most once.
 */
export function scriptSource(file: string, included = new Set<string>()): string {
  return readFileSync(new URL(file, directory), 'utf8').replace(/^-- @include (lib\/[\w-]+\.lua)$/gm, (_, library: string) => {
    if (included.has(library)) return '';
    included.add(library);
    return scriptSource(library, included);
  });
}

/**
 * Registers every script on a connection. ioredis calls each by SHA (EVALSHA) and loads it once
 * when Redis answers NOSCRIPT, e.g. after a restart.
 */
export function registerScripts(redis: RedisClient): void {
  for (const file of scriptFiles()) redis.defineCommand(commandName(file.slice(0, -4)), { lua: scriptSource(file) });
}

function scriptFiles(): string[] {
  return readdirSync(directory).filter((file) => file.endsWith('.lua'));
}

/** Runs a script; with `binary`, bulk replies come back as Buffers (payloads stay bytes). */
export function runScript(
  redis: RedisClient,
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArgument[],
  binary = false,
): Promise<unknown[]> {
  const command = commandName(name) + (binary ? 'Buffer' : '');
  const call = (redis as unknown as Record<string, ScriptCall>)[command];
  return call.call(redis, keys.length, ...keys, ...args) as Promise<unknown[]>;
}

function commandName(script: string): string {
  return 'relay_' + script.replace(/-/g, '_');
}
