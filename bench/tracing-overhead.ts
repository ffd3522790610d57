// `npm run bench:tracing [-- --quick] [--runs N] [--profile]`: what tracing costs. The standard end-to-end load
// (bench/scenarios/common.ts) on a Relay gateway process with tracing off (no OTEL_* variables) and on
// (always-on sampler, batch export over OTLP/HTTP protobuf to a sink process that reads and counts
// what arrives: bench/peers/otlp-sink.ts, its CPU shown as `otlp sink`), and on with a tenth
// sampled; interleaved run by run so that background noise hits every variant alike. `--profile`
// instead profiles the gateway once per tracing off and on, and shows where tracing's CPU goes.
// Never part of `npm test`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from './peers/gateway-process.ts';
import { startOtlpSink } from './peers/otlp-sink.ts';
import { startPrivateRedis, type Fsync, type RedisServer } from './peers/private-redis.ts';
import { RelayTarget } from './peers/relay.ts';
import { fullSizes, quickSizes } from './options.ts';
import { profiledRun, profileTimes, type ProfileTimes } from './profile.ts';
import { describeShape, standardShape, withTopic } from './scenarios/common.ts';
import { formatCount, median } from './stats.ts';
import { printTable } from './table.ts';
import { measureThroughput } from './workload.ts';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const profile = argv.includes('--profile');
const runsFlag = argv.indexOf('--runs');
const sizes = quick ? quickSizes : fullSizes;
const runs = runsFlag >= 0 ? Number(argv[runsFlag + 1]) : quick ? 3 : 5;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run bench:tracing -- [--quick] [--runs N] [--profile]');
  process.exit(2);
}

// RelayTarget starts its gateway with REDIS_URL only; this one adds the OTEL_* variables. Its
// constructor is private to the type checker only.
const RelayWith = RelayTarget as unknown as new (fsync: Fsync, redis: RedisServer, gateway: GatewayProcess) => RelayTarget;

async function startRelay(env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<RelayTarget> {
  const redis = await startPrivateRedis('everysec');
  try {
    return new RelayWith('everysec', redis, await startGatewayProcess({ REDIS_URL: redis.url, ...env }, nodeArgs));
  } catch (error) {
    await redis.stop();
    throw error;
  }
}

const sink = await startOtlpSink();
const variants = {
  off: {},
  on: {
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'always_on',
    // Room for every span of a run: nothing is dropped to make tracing look cheap.
    OTEL_BSP_MAX_QUEUE_SIZE: '262144',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4096',
    OTEL_BSP_SCHEDULE_DELAY: '500',
  },
  /** The usual production lever: a tenth of the messages traced, whole (parent-based). */
  sampled: {
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
    OTEL_BSP_MAX_QUEUE_SIZE: '262144',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4096',
    OTEL_BSP_SCHEDULE_DELAY: '500',
  },
} as const;
type Variant = keyof typeof variants;

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * `--profile`: the gateway under `node --cpu-prof`, once with tracing off and once on (always_on),
 * each with the standard load: its CPU per message by component, and what tracing adds to each.
 */
async function profileTracing(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'relay-tracing-profile-'));
  const profiled = async (variant: 'off' | 'on') => {
    const { result, profile, window } = await profiledRun(join(root, variant), sizes, (nodeArgs) => startRelay(variants[variant], nodeArgs));
    log(`profile, tracing ${variant}: ${formatCount(result.msgsPerSec)} msgs/s under the profiler`);
    await sink.spans();
    return { times: profileTimes(profile, ...window), messages: result.messages };
  };
  const off = await profiled('off');
  const on = await profiled('on');
  const micros = (side: { times: ProfileTimes; messages: number }, component?: string) =>
    ((component === undefined ? side.times.total : side.times.byComponent.get(component) ?? 0) * 1000) / side.messages;
  const components = [...new Set([...off.times.byComponent.keys(), ...on.times.byComponent.keys()])]
    .map((component) => ({ component, off: micros(off, component), on: micros(on, component) }))
    .sort((a, b) => b.on - b.off - (a.on - a.off));
  const row = (name: string, offMicros: number, onMicros: number) => [name, offMicros.toFixed(2), onMicros.toFixed(2), (onMicros - offMicros).toFixed(2)];
  printTable({
    title: 'Gateway CPU per message by component (self time under the profiler), tracing off and on',
    columns: ['component', 'off µs', 'on µs', 'on − off µs'],
    rows: [row('all', micros(off), micros(on)), ...components.slice(0, 20).map((entry) => row(entry.component, entry.off, entry.on))],
    notes: [`${formatCount(sizes.endToEndMessages)} messages each, ${describeShape(standardShape)}. Profiles: ${root}`],
  });
}

if (profile) {
  await profileTracing();
  await sink.close();
  process.exit(0);
}

const results: Record<Variant, number[]> = { off: [], on: [], sampled: [] };
/** The gateway's CPU time per message (µs): less sensitive than throughput to what else runs. */
const cpuPerMessage: Record<Variant, number[]> = { off: [], on: [], sampled: [] };
let spansExported = 0;
log(`tracing overhead: ${runs} run(s) of ${formatCount(sizes.endToEndMessages)} messages per variant, interleaved`);
for (let run = 0; run < runs; run++) {
  const order: Variant[] = run % 2 === 0 ? ['off', 'on', 'sampled'] : ['sampled', 'on', 'off'];
  for (const variant of order) {
    const target = await startRelay(variants[variant]);
    target.processes.push({ role: 'otlp sink', pid: sink.pid });
    try {
      await withTopic(target, 1, (topic) => measureThroughput(target, topic, { ...standardShape, messages: sizes.warmupMessages }));
      const result = await withTopic(target, 1, (topic) => measureThroughput(target, topic, { ...standardShape, messages: sizes.endToEndMessages }));
      results[variant].push(result.msgsPerSec);
      const cpu = ((result.cpu.gateway ?? 0) * result.seconds * 1e6) / result.messages;
      cpuPerMessage[variant].push(cpu);
      log(
        `run ${run + 1}/${runs} tracing ${variant}: ${formatCount(result.msgsPerSec)} msgs/s end to end, gateway ${cpu.toFixed(1)} µs CPU ` +
          `per message (cores: ${Object.entries(result.cpu).map(([role, cores]) => `${role} ${cores.toFixed(2)}`).join(', ')})`,
      );
    } finally {
      // SIGTERM: the gateway flushes its spans before it exits.
      await target.close();
    }
    const spans = await sink.spans();
    if (variant === 'on') spansExported += spans;
  }
}
await sink.close();

const off = median(results.off);
const on = median(results.on);
const messages = (sizes.endToEndMessages + sizes.warmupMessages) * runs;
const cpuOff = median(cpuPerMessage.off);
const cpuOn = median(cpuPerMessage.on);
console.log('| tracing | end-to-end msgs/s (median) | runs | gateway CPU µs per message (median) |');
console.log('|---|---|---|---|');
console.log(`| off | ${formatCount(off)} | ${results.off.map(formatCount).join(', ')} | ${cpuOff.toFixed(1)} |`);
console.log(`| on (always_on, OTLP/HTTP batch export) | ${formatCount(on)} | ${results.on.map(formatCount).join(', ')} | ${cpuOn.toFixed(1)} |`);
const sampled = median(results.sampled);
console.log(
  `| on, parentbased_traceidratio 0.1 | ${formatCount(sampled)} | ${results.sampled.map(formatCount).join(', ')} | ${median(cpuPerMessage.sampled).toFixed(1)} |`,
);
/** A variant's throughput over tracing off's in the same run, run by run: the machine's drift from run to run cancels out. */
const perRun = (variant: Variant) => results[variant].map((value, run) => value / results.off[run]!);
const runRatios = (variant: Variant) => `${median(perRun(variant)).toFixed(3)} (${perRun(variant).map((ratio) => ratio.toFixed(2)).join(', ')})`;
console.log(
  `\ntracing on / off throughput: ${(on / off).toFixed(3)} (cost ${((1 - on / off) * 100).toFixed(1)}%); ` +
    `gateway CPU per message on / off: ${(cpuOn / cpuOff).toFixed(3)}; sampled / off throughput: ${(sampled / off).toFixed(3)}; ` +
    `${formatCount(spansExported)} spans exported for ${formatCount(messages)} messages published and delivered (${(spansExported / messages).toFixed(2)} per message)`,
);
console.log(`median of the runs' own ratios to off: on ${runRatios('on')}; sampled ${runRatios('sampled')}`);
