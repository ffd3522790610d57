// `npm run bench [-- --quick] [--runs N] [--only ...] [--profile]`: Relay beside raw Redis Streams,
// RabbitMQ and NATS JetStream on this machine. Tables go to stdout (Markdown), progress to stderr,
// everything measured to bench/results/<time>/<scenario>.json. Never part of `npm test`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeMachine } from './machine.ts';
import { parseOptions, type ScenarioId } from './options.ts';
import { startCommand } from './peers/gateway-process.ts';
import { natsSpec } from './peers/nats-jetstream.ts';
import { rabbitmqSpec } from './peers/rabbitmq.ts';
import { redisStreamsSpec } from './peers/redis-streams.ts';
import { relaySpec } from './peers/relay.ts';
import { profileRelay } from './profile.ts';
import { backlog } from './scenarios/backlog.ts';
import type { ScenarioContext, ScenarioOutput } from './scenarios/common.ts';
import { comparison } from './scenarios/comparison.ts';
import { fanOut } from './scenarios/fan-out.ts';
import { idempotencyMemory } from './scenarios/idempotency-memory.ts';
import { largePayloads } from './scenarios/large-payloads.ts';
import { openStreams } from './scenarios/open-streams.ts';
import { ratiosTable, targetsTable, type Results } from './summary.ts';
import { printTable, type Table } from './table.ts';

const options = parseOptions(process.argv.slice(2));
const startedAt = performance.now();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDirectory = join(new URL('.', import.meta.url).pathname, 'results', `${stamp}${options.quick ? '-quick' : ''}`);
mkdirSync(resultsDirectory, { recursive: true });

const context: ScenarioContext = {
  options,
  progress: (line) => process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}\n`),
};

function commandVersion(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    return 'not found';
  }
}

const machine = describeMachine();
const software = {
  node: machine.node,
  redisServer: commandVersion('redis-server', ['--version']),
  relayCommit: commandVersion('git', ['rev-parse', '--short', 'HEAD']),
};
console.log(`## Relay benchmarks${options.quick ? ' (--quick: one run each, smaller counts)' : ''}

Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}; ${software.redisServer}; Relay at ${software.relayCommit}.
Load average at start: ${machine.loadAverage.join(' ')}.
Everything shares these ${machine.cores} cores: the load generator (this process: every publisher and consumer), the gateway
process (${startCommand}, as npm start runs it), its private redis-server, the private redis-server of raw Redis Streams, and
the machine's RabbitMQ and NATS services (idle unless under test). Each table shows who used how much CPU.
`);

const specs = [relaySpec('everysec'), relaySpec('always'), redisStreamsSpec('everysec'), redisStreamsSpec('always'), rabbitmqSpec, natsSpec].filter(
  (spec) => options.systems.length === 0 || options.systems.some((prefix) => spec.name.toLowerCase().startsWith(prefix)),
);
const results: Results = {};
/** Each scenario, keeping the data the summary needs. */
const scenarios: Record<ScenarioId, () => Promise<ScenarioOutput<unknown>>> = {
  comparison: async () => keep(await comparison(specs, context), (data) => (results.comparison = data)),
  // Fan-out on the everysec systems: the target is Relay's own gain, the peers show theirs beside it.
  'fan-out': async () => keep(await fanOut(specs.filter((spec) => !spec.name.endsWith('(always)')), context), (data) => (results.fanOut = data)),
  'large-payloads': () => largePayloads(context),
  'open-streams': async () => keep(await openStreams(context), (data) => (results.openStreams = data)),
  backlog: async () => keep(await backlog(context), (data) => (results.backlog = data)),
  'idempotency-memory': async () => keep(await idempotencyMemory(context), (data) => (results.idempotency = data)),
  profile: () => profileRelay(context, join(resultsDirectory, 'profile')),
};

function keep<Data>(output: ScenarioOutput<Data>, store: (data: Data) => void): ScenarioOutput<Data> {
  store(output.data);
  return output;
}

const allTables: Table[] = [];
const show = (table: Table) => {
  printTable(table);
  allTables.push(table);
};

async function run(id: ScenarioId): Promise<void> {
  context.progress(`scenario ${id}`);
  const output = await scenarios[id]();
  output.tables.forEach(show);
  writeFileSync(join(resultsDirectory, `${id}.json`), JSON.stringify({ machine, software, sizes: options.sizes, ...output }, null, 2));
}

for (const id of options.scenarios) if (id !== 'profile') await run(id);
if (results.comparison) show(ratiosTable(results.comparison));
const targets = targetsTable(results);
if (targets.rows.length) show(targets);
writeFileSync(join(resultsDirectory, 'summary.json'), JSON.stringify({ machine, software, sizes: options.sizes, tables: allTables }, null, 2));
// Last: the profiler slows the gateway down, and its figures are not part of the comparison.
if (options.scenarios.includes('profile')) await run('profile');

context.progress(`done in ${((performance.now() - startedAt) / 1000).toFixed(0)} s; results in ${resultsDirectory}`);
