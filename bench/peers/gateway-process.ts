// A gateway process of the benchmark's own: the command of `npm start` (package.json), with extra node
// flags if asked (--cpu-prof is not allowed in NODE_OPTIONS), built once per benchmark run, on a free
// loopback port. Like test/helpers/gateway.ts.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../test/helpers/redis-server.ts';

const root = new URL('../..', import.meta.url).pathname;
const startTimeoutMs = 20_000;

export interface GatewayProcess {
  readonly address: string;
  readonly pid: number;
  /** The last few KiB the process printed (its logs), for a failed run's message. */
  output(): string;
  /** SIGTERM (the gateway drains, and writes its profile if asked to), then waits for the exit. */
  stop(): Promise<void>;
}

let built = false;

/** `npm start`'s command, `node <flags> <script>`, as package.json has it. */
export const startCommand: string = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts.start;

/** node's arguments for `npm start`'s command, with `nodeArgs` before its own. */
function startArguments(nodeArgs: readonly string[]): string[] {
  const [program, ...args] = startCommand.split(' ');
  if (program !== 'node') throw new Error(`npm start runs ${JSON.stringify(startCommand)}; the benchmark expects node <flags> <script>`);
  return [...nodeArgs, ...args];
}

/** Builds dist/ (npm run build), once per benchmark run; startGatewayProcess calls it too. */
export function buildGateway(): void {
  if (built) return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

export async function startGatewayProcess(env: Readonly<Record<string, string>>, nodeArgs: readonly string[] = []): Promise<GatewayProcess> {
  buildGateway();
  const port = await freePort();
  const child = spawn(process.execPath, startArguments(nodeArgs), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', RELAY_LISTEN: `127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + startTimeoutMs;
  // The gateway logs `serving` (pino, info) once it listens.
  while (!output.includes('"msg":"serving"')) {
    if (child.exitCode !== null) throw new Error(`gateway exited (${child.exitCode}) before serving:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not serve within ${startTimeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
