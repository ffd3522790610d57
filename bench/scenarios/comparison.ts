// Relay and its peers under the same end-to-end and latency workloads, interleaved run by run so
// that background noise hits every system alike.
import { formatCount, formatMiB, formatMs, medianOf } from '../stats.ts';
import type { Target, TargetSpec } from '../peers/target.ts';
import type { Table } from '../table.ts';
import { measureLatency, measureThroughput, type LatencyResult, type ThroughputResult } from '../workload.ts';
import { describeShape, runsNote, serverCpu, standardShape, withTarget, withTopic, type ScenarioContext, type ScenarioOutput } from './common.ts';

export interface Measured<T> {
  readonly runs: T[];
  readonly median: T;
}

export interface ComparisonData {
  readonly shape: typeof standardShape;
  readonly targets: { readonly name: string; readonly description: string }[];
  readonly endToEnd: Record<string, Measured<ThroughputResult>>;
  /** By target, then by rate. */
  readonly latency: Record<string, Record<number, Measured<LatencyResult>>>;
}

export function gatewayPid(target: Target): number | undefined {
  return target.processes.find((ref) => ref.role === 'gateway')?.pid;
}

async function endToEnd(target: Target, context: ScenarioContext): Promise<ThroughputResult> {
  const { sizes } = context.options;
  // Warm-up on a throwaway topic: JIT, connection pools, broker caches.
  await withTopic(target, 1, (topic) => measureThroughput(target, topic, { ...standardShape, messages: sizes.warmupMessages }));
  return withTopic(target, 1, (topic) =>
    measureThroughput(target, topic, { ...standardShape, messages: sizes.endToEndMessages }, { rssPid: gatewayPid(target) }),
  );
}

async function latency(target: Target, rate: number, context: ScenarioContext): Promise<LatencyResult> {
  const { sizes } = context.options;
  return withTopic(target, 1, (topic) =>
    measureLatency(topic, {
      ...standardShape,
      ratePerSec: rate,
      seconds: sizes.latencySeconds,
      warmupSeconds: sizes.latencyWarmupSeconds,
    }),
  );
}

export async function comparison(specs: readonly TargetSpec[], context: ScenarioContext): Promise<ScenarioOutput<ComparisonData>> {
  const { sizes } = context.options;
  const throughputRuns = new Map<string, ThroughputResult[]>();
  const latencyRuns = new Map<string, Map<number, LatencyResult[]>>();
  for (let run = 0; run < sizes.runs; run++) {
    for (const spec of specs) {
      await withTarget(spec, async (target) => {
        const result = await endToEnd(target, context);
        context.progress(`run ${run + 1}/${sizes.runs} ${spec.name}: ${formatCount(result.msgsPerSec)} msgs/s end to end`);
        push(throughputRuns, spec.name, result);
        for (const rate of sizes.latencyRates) {
          const measured = await latency(target, rate, context);
          context.progress(`run ${run + 1}/${sizes.runs} ${spec.name}: at ${rate}/s p50 ${formatMs(measured.p50Ms)} ms, p99 ${formatMs(measured.p99Ms)} ms`);
          const byRate = latencyRuns.get(spec.name) ?? new Map<number, LatencyResult[]>();
          latencyRuns.set(spec.name, byRate);
          push(byRate, rate, measured);
        }
      });
    }
  }

  const data: ComparisonData = {
    shape: standardShape,
    targets: specs.map(({ name, description }) => ({ name, description })),
    endToEnd: Object.fromEntries([...throughputRuns].map(([name, runs]) => [name, { runs, median: medianOf(runs) }])),
    latency: Object.fromEntries(
      [...latencyRuns].map(([name, byRate]) => [name, Object.fromEntries([...byRate].map(([rate, runs]) => [rate, { runs, median: medianOf(runs) }]))]),
    ),
  };
  return { id: 'comparison', tables: [endToEndTable(data, context), latencyTable(data, context)], data };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/** The load generator is one event loop: near one core busy, it and not the system set the pace. */
const saturatedBench = 0.9;

function endToEndTable(data: ComparisonData, context: ScenarioContext): Table {
  const { sizes } = context.options;
  const benchBound = Object.entries(data.endToEnd)
    .filter(([, { median }]) => (median.cpu.bench ?? 0) >= saturatedBench)
    .map(([name]) => name);
  return {
    title: `End to end: ${formatCount(sizes.endToEndMessages)} messages, first publish to last ack`,
    columns: ['system', 'msgs/s', 'min–max', 'publish confirmed msgs/s', 'p50 / p99 ms', 'server CPU (cores)', 'bench CPU', 'other CPU', 'gateway RSS MiB'],
    rows: Object.entries(data.endToEnd).map(([name, { runs, median }]) => [
      name,
      formatCount(median.msgsPerSec),
      `${formatCount(Math.min(...runs.map((run) => run.msgsPerSec)))}–${formatCount(Math.max(...runs.map((run) => run.msgsPerSec)))}`,
      formatCount(median.publishMsgsPerSec),
      `${formatMs(median.latency.p50Ms)} / ${formatMs(median.latency.p99Ms)}`,
      serverCpu(median.cpu),
      (median.cpu.bench ?? Number.NaN).toFixed(2),
      (median.cpu.other ?? Number.NaN).toFixed(2),
      formatMiB(median.peakRssBytes),
    ]),
    notes: [
      `${describeShape(standardShape)}; ${runsNote(context)}; each run after a ${formatCount(sizes.warmupMessages)}-message warm-up.`,
      'p50 / p99: publish -> delivery at saturation. CPU in cores (2 = the whole machine) over the run: the server side, the load generator',
      '(this process: publishers and consumers), and everything else on the machine.',
      ...(benchBound.length
        ? [`Load generator saturated (bench CPU >= ${saturatedBench}) for ${benchBound.join(', ')}: its client library sets the pace; a lower bound of the server.`]
        : []),
      ...data.targets.map((target) => `- ${target.name}: ${target.description}`),
    ],
  };
}

function latencyTable(data: ComparisonData, context: ScenarioContext): Table {
  const { sizes } = context.options;
  const rows: string[][] = [];
  for (const rate of sizes.latencyRates) {
    for (const [name, byRate] of Object.entries(data.latency)) {
      const median = byRate[rate]!.median;
      rows.push([
        name,
        formatCount(rate),
        formatMs(median.p50Ms),
        formatMs(median.p99Ms),
        formatMs(median.p999Ms),
        formatMs(median.maxMs),
        formatCount(median.count),
        `${formatCount(median.generatorGc.count)} / ${formatMs(median.generatorGc.totalMs)} / ${formatMs(median.generatorGc.longestMs)}`,
      ]);
    }
  }
  return {
    title: 'Latency: publish -> delivery at a fixed rate',
    columns: ['system', 'msgs/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'samples', 'load generator GC: pauses / ms / longest ms'],
    rows,
    notes: [
      `${sizes.latencySeconds} s measured after ${sizes.latencyWarmupSeconds} s of warm-up; every millisecond the messages due are published as one batch,`,
      `without waiting for earlier publishes; stamped at publish, measured when the consumer receives them; ${runsNote(context)}.`,
      'Load generator GC: this process\'s own garbage-collection pauses during the measured part (its client libraries\' garbage);',
      'a delivery that arrives during one is seen late by the pause, so they are part of every system\'s tail.',
    ],
  };
}
