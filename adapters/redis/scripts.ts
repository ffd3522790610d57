import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command } from 'ioredis';
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

interface Script {
  readonly source: string;
  readonly sha: string;
  /** The connections (sockets) it was sent to in full, and has not been found missing on since. */
  readonly loadedOn: WeakSet<object>;
}

const scripts = new Map<ScriptName, Script>();

function script(name: ScriptName): Script {
  let known = scripts.get(name);
  if (known === undefined) {
    const source = scriptSource(`${name}.lua`);
    known = { source, sha: createHash('sha1').update(source).digest('hex'), loadedOn: new WeakSet() };
    scripts.set(name, known);
  }
  return known;
}

/**
 * A script call as ioredis's Script makes one (EVALSHA; EVAL with the source the first time on a
 * connection, and again after NOSCRIPT), written by encodeCommand: ioredis's own writer makes a
 * string or a buffer per argument, and with a publish's eight arguments per message it took more
 * of the gateway's CPU than the rest of the publish. ioredis sees the keys (a cluster routes by
 * them); the other arguments only this writer does.
 */
class ScriptCommand extends Command {
  constructor(
    private readonly script: Script,
    keys: readonly string[],
    private readonly values: readonly ScriptArgument[],
    binary: boolean,
  ) {
    super('evalsha', [script.sha, keys.length, ...keys], { replyEncoding: binary ? null : 'utf8' });
  }

  override toWritable(socket: object): Buffer {
    const { script } = this;
    const reject = this.reject;
    this.reject = (error: Error) => {
      if (error.message.includes('NOSCRIPT')) script.loadedOn.delete(socket);
      reject.call(this, error);
    };
    if (!script.loadedOn.has(socket)) {
      script.loadedOn.add(socket);
      this.name = 'eval';
      this.args[0] = script.source;
    } else if (this.name === 'eval') {
      this.name = 'evalsha';
      this.args[0] = script.sha;
    }
    return encodeCommand(this.name, this.args as ScriptArgument[], this.values);
  }
}

/** Runs a script; with `binary`, bulk replies come back as Buffers (payloads stay bytes). */
export function runScript(
  redis: RedisClient,
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArgument[],
  binary = false,
): Promise<unknown[]> {
  const send = () => redis.sendCommand(new ScriptCommand(script(name), keys, args, binary)) as Promise<unknown[]>;
  // Redis lost its scripts (a restart, SCRIPT FLUSH): the second command sends the source again.
  return send().catch((error: Error) => {
    if (!error.message.includes('NOSCRIPT')) throw error;
    return send();
  });
}

/**
 * A command in RESP, as ioredis writes it (an array of bulk strings: strings in UTF-8, numbers in
 * decimal), its arguments given in parts, in one buffer: sized first, then written in place.
 */
export function encodeCommand(name: string, ...parts: (readonly ScriptArgument[])[]): Buffer {
  // Indexed loops: for-of here was left unoptimized and made an iterator result per argument.
  let size = 16 + 3 * name.length;
  let count = 1;
  for (let p = 0; p < parts.length; p++) {
    const args = parts[p]!;
    count += args.length;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      size += 16 + (typeof arg === 'string' ? 3 * arg.length : typeof arg === 'number' ? 24 : arg.length);
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = writeHead(out, 0, 42, count);
  at = writeBulk(out, at, name);
  for (let p = 0; p < parts.length; p++) {
    const args = parts[p]!;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      at = writeBulk(out, at, typeof arg === 'number' ? String(arg) : arg);
    }
  }
  return out.subarray(0, at);
}

/** A bulk string: `$<length>\r\n<bytes>\r\n`. Strings are written first and their length put before them. */
function writeBulk(out: Buffer, at: number, arg: string | Buffer): number {
  if (typeof arg !== 'string') {
    at = writeHead(out, at, 36, arg.length);
    at += arg.copy(out, at);
  } else {
    // A length of UTF-8 bytes has at most this many digits for the room it was given (3 per unit).
    const digits = decimalDigits(3 * arg.length);
    const written = arg.length === 0 ? 0 : out.write(arg, at + digits + 3);
    const end = writeHead(out, at, 36, written);
    if (end !== at + digits + 3) out.copyWithin(end, at + digits + 3, at + digits + 3 + written);
    at = end + written;
  }
  out[at++] = 13;
  out[at++] = 10;
  return at;
}

/** `<type><decimal>\r\n`, answering where it ends. */
function writeHead(out: Buffer, at: number, type: number, value: number): number {
  out[at++] = type;
  const digits = decimalDigits(value);
  for (let i = digits - 1, rest = value; i >= 0; i--, rest = Math.floor(rest / 10)) out[at + i] = 48 + (rest % 10);
  at += digits;
  out[at++] = 13;
  out[at++] = 10;
  return at;
}

function decimalDigits(value: number): number {
  let digits = 1;
  while (value >= 10 ** digits) digits++;
  return digits;
}
