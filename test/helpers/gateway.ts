import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './redis-server.ts';

const root = new URL('../..', import.meta.url).pathname;

/** A gateway process of the tests' own, on a free loopback port. */
export interface GatewayProcess {
  readonly address: string;
  readonly pid: number;
  /** Everything the process printed so far (structured logs). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | string>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<number | string>;
}

/** Starts `gateway/main.ts`; on the memory store unless env has REDIS_URL. Resolves once it serves. */
export async function startGateway(env: Record<string, string> = {}, args: string[] = []): Promise<GatewayProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', RELAY_LISTEN: `127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const deadline = Date.now() + 20_000;
  while (!output.includes('"msg":"serving"')) {
    if (child.exitCode !== null) throw new Error(`gateway exited (${child.exitCode}) before serving:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not start serving within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    exited,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}
