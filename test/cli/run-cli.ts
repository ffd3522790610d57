// Runs bin/relay as a child process, the way a person or a script does, and collects what it printed.
import { spawn } from 'node:child_process';

export const root = new URL('../..', import.meta.url).pathname;
export const bin = `${root}bin/relay`;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as raw bytes. */
  readonly bytes: Buffer;
}

export interface CliOptions {
  /** Environment besides PATH and HOME (nothing else of the test's environment leaks in). */
  readonly env?: Record<string, string>;
  /** Written to stdin, which is then closed. */
  readonly input?: string | Buffer;
  readonly cwd?: string;
  /** SIGKILL after this long and fail (generous: the machine is shared). */
  readonly timeoutMs?: number;
  /** The executable and arguments before `args` (default: node bin/relay). */
  readonly command?: readonly string[];
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const [file, ...prefix] = options.command ?? [process.execPath, bin];
  const child = spawn(file!, [...prefix, ...args], {
    cwd: options.cwd ?? root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${Buffer.concat(out)}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const bytes = Buffer.concat(out);
      resolve({ code, stdout: bytes.toString('utf8'), stderr, bytes });
    });
  });
}

/** Runs a command that must succeed; fails with everything it printed otherwise. */
export async function ok(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const result = await runCli(args, options);
  if (result.code !== 0) throw new Error(`relay ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

/** Runs a command with --json that must succeed, and parses its one JSON document. */
export async function json<T = any>(args: readonly string[], options: CliOptions = {}): Promise<T> {
  const { stdout } = await ok([...args, '--json'], options);
  return JSON.parse(stdout) as T;
}

/** Runs `relay sub ... --json` and parses its JSON lines. */
export async function jsonLines<T = any>(args: readonly string[], options: CliOptions = {}): Promise<T[]> {
  const { stdout } = await ok([...args, '--json'], options);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
