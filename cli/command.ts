// What a command is, how its command line is read, and how its help is written. One shape for every
// command, so that `--help`, `--json`, `--addr` and error handling work the same everywhere.
import { parseArgs } from 'node:util';
import { parseDuration } from './format.ts';
import { UsageError } from './usage-error.ts';

export { UsageError };

/** One flag of a command: a boolean switch or a string value (repeatable when `multiple`). */
export interface Flag {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder of the value in help, e.g. DURATION. */
  readonly value?: string;
  /** A boolean that also has a `--no-` form, shown in help. */
  readonly negatable?: boolean;
  readonly description: string;
}

export type Flags = Readonly<Record<string, Flag>>;

export interface Command {
  /** Words after `relay`, e.g. `topics create`. */
  readonly path: string;
  readonly summary: string;
  /** Positional arguments as shown in the usage line, e.g. `TOPIC [DATA|-|@file]`. */
  readonly args: string;
  /** How many positional arguments it takes. */
  readonly positionals: readonly [min: number, max: number];
  readonly flags: Flags;
  /** Longer help: what it does, examples. */
  readonly details?: string;
  /** Takes its command line as it is (no flag parsing besides --help), e.g. `serve` hands it to the gateway. */
  readonly passthrough?: boolean;
  run(input: Input): Promise<void>;
}


/** Flags every command takes. */
export const globalFlags = {
  addr: { type: 'string', value: 'HOST:PORT', description: 'gateway address (env RELAY_ADDR; default localhost:50051)' },
  json: { type: 'boolean', description: 'machine-readable output: one JSON document (JSON lines for sub)' },
  token: { type: 'string', value: 'TOKEN', description: 'bearer token sent as authorization metadata (env RELAY_TOKEN)' },
  tls: { type: 'boolean', description: 'connect with TLS (implied by --tls-ca, --tls-cert)' },
  'tls-ca': { type: 'string', value: 'FILE', description: 'PEM certificates to trust instead of the system roots' },
  'tls-cert': { type: 'string', value: 'FILE', description: 'PEM client certificate, for mutual TLS (with --tls-key)' },
  'tls-key': { type: 'string', value: 'FILE', description: 'PEM private key of --tls-cert' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
} as const satisfies Flags;

type Value = string | boolean | (string | boolean)[] | undefined;

/** A parsed command line with typed accessors; each accessor reports a bad value as a UsageError. */
export class Input {
  constructor(
    readonly positionals: readonly string[],
    private readonly values: Readonly<Record<string, Value>>,
    readonly env: NodeJS.ProcessEnv,
    /** The raw words after the command path (for passthrough commands). */
    readonly rest: readonly string[] = [],
  ) {}

  get json(): boolean {
    return this.values.json === true;
  }

  /** Writes the result: `document` as JSON with --json, else the text for people. */
  print(document: unknown, human: () => string): void {
    process.stdout.write(this.json ? JSON.stringify(document, null, 2) + '\n' : human());
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  strings(name: string): string[] {
    const value = this.values[name];
    return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  }

  boolean(name: string): boolean | undefined {
    const value = this.values[name];
    return typeof value === 'boolean' ? value : undefined;
  }

  /** A whole number within [min, max]. */
  integer(name: string, min: number, max: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  }

  /** A duration with units (500ms, 30s, 10m, 2h, 7d, 1h30m) as milliseconds. */
  durationMs(name: string): number | undefined {
    const text = this.string(name);
    return text === undefined ? undefined : parseDuration(text, `--${name}`);
  }

  /** `NAME=VALUE` pairs of a repeatable flag, in order, split at the first `=`; `shape` names them in errors. */
  pairList(name: string, shape = 'KEY=VALUE'): [string, string][] {
    return this.strings(name).map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--${name} takes ${shape}, got ${JSON.stringify(pair)}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    });
  }

  /** `KEY=VALUE` pairs of a repeatable flag as a map (a repeated key keeps its last value). */
  pairs(name: string): Record<string, string> {
    return Object.fromEntries(this.pairList(name));
  }
}

/** Reads `words` (what follows the command path) against the command's and the global flags. */
export function parseInput(command: Command, words: readonly string[], env: NodeJS.ProcessEnv): Input {
  if (command.passthrough) {
    const help = words.includes('--help') || words.includes('-h');
    return new Input([], { help, json: words.includes('--json') }, env, words.filter((word) => word !== '--json'));
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...words],
      options: { ...globalFlags, ...command.flags },
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  const values = parsed.values as Record<string, Value>;
  const [min, max] = command.positionals;
  if (!values.help) {
    if (parsed.positionals.length < min) throw new UsageError(`missing argument: relay ${command.path} ${command.args}`);
    if (parsed.positionals.length > max) {
      throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[max])}: relay ${command.path} ${command.args}`);
    }
  }
  return new Input(parsed.positionals, values, env, words);
}

function flagLines(flags: Flags): string[] {
  const rows = Object.entries(flags).map(([name, flag]) => {
    const short = flag.short ? `-${flag.short}, ` : '';
    const negated = flag.negatable ? ` | --no-${name}` : '';
    const value = flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : '';
    const repeat = flag.multiple ? ' (repeatable)' : '';
    return [`${short}--${name}${value}${negated}`, flag.description + repeat];
  });
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}

export function commandHelp(command: Command): string {
  const usage = ['Usage: relay', command.path, command.args, Object.keys(command.flags).length ? '[flags]' : ''].filter(Boolean).join(' ');
  const lines = [usage, '', command.summary];
  if (command.details) lines.push('', command.details.trimEnd());
  if (Object.keys(command.flags).length) lines.push('', 'Flags:', ...flagLines(command.flags));
  if (!command.passthrough) lines.push('', 'Global flags:', ...flagLines(globalFlags));
  return lines.join('\n') + '\n';
}
