// Fan-out: one topic with 4 subscriptions, each with its own consumers, against 1 subscription on the
// same system in the same run; Relay beside its peers (RabbitMQ: a fanout exchange to 4 queues; NATS:
// 4 durable consumers of one stream; raw Redis Streams: 4 consumer groups), systems interleaved run by run.
import type { TargetSpec } from '../peers/target.ts';
import { formatCount, formatMiB, formatMs, formatRatio, medianOf } from '../stats.ts';
import { measureThroughput, type ThroughputResult } from '../workload.ts';
import { gatewayPid } from './comparison.ts';
import { describeShape, runsNote, serverCpu, standardShape, withTarget, withTopic, type ScenarioContext, type ScenarioOutput } from './common.ts';

export const fanOutSubscriptions = 4;

export interface FanOutRun {
  readonly single: ThroughputResult;
  readonly fanOut: ThroughputResult;
  /** Fan-out deliveries per second / single-subscription deliveries per second. */
  readonly deliveryGain: number;
}

export interface FanOutData {
  /** By system name: each run, and their medians figure by figure. */
  readonly systems: Record<string, { runs: FanOutRun[]; median: FanOutRun }>;
}

export async function fanOut(specs: readonly TargetSpec[], context: ScenarioContext): Promise<ScenarioOutput<FanOutData>> {
  const { sizes } = context.options;
  const runs = new Map<string, FanOutRun[]>(specs.map((spec) => [spec.name, []]));
  for (let run = 0; run < sizes.runs; run++) {
    for (const spec of specs) {
      const measured = await withTarget(spec, async (target) => {
        const throughput = (subscriptions: number, messages: number) =>
          withTopic(target, subscriptions, (topic) =>
            measureThroughput(target, topic, { ...standardShape, subscriptions, messages }, { rssPid: gatewayPid(target) }),
          );
        await throughput(1, sizes.warmupMessages);
        const single = await throughput(1, sizes.fanOutMessages);
        const fanned = await throughput(fanOutSubscriptions, sizes.fanOutMessages);
        return { single, fanOut: fanned, deliveryGain: fanned.deliveriesPerSec / single.deliveriesPerSec };
      });
      context.progress(
        `fan-out ${spec.name}: ${formatCount(measured.fanOut.deliveriesPerSec)} deliveries/s vs ${formatCount(measured.single.deliveriesPerSec)} single (${formatRatio(measured.deliveryGain)})`,
      );
      runs.get(spec.name)!.push(measured);
    }
  }
  const systems = Object.fromEntries([...runs].map(([name, measured]) => [name, { runs: measured, median: medianOf(measured) }]));
  const row = (name: string, subscriptions: number, result: ThroughputResult, gain: string) => [
    name,
    String(subscriptions),
    formatCount(result.msgsPerSec),
    formatCount(result.deliveriesPerSec),
    gain,
    `${formatMs(result.latency.p50Ms)} / ${formatMs(result.latency.p99Ms)}`,
    serverCpu(result.cpu),
    (result.cpu.bench ?? Number.NaN).toFixed(2),
    formatMiB(result.peakRssBytes),
  ];
  return {
    id: 'fan-out',
    data: { systems },
    tables: [
      {
        title: `Fan-out: ${formatCount(sizes.fanOutMessages)} messages to 1 and to ${fanOutSubscriptions} subscriptions`,
        columns: ['system', 'subscriptions', 'published msgs/s', 'deliveries/s', 'delivery gain', 'p50 / p99 ms', 'server CPU (cores)', 'bench CPU', 'gateway RSS MiB'],
        rows: Object.entries(systems).flatMap(([name, { median }]) => [
          row(name, 1, median.single, ''),
          row(name, fanOutSubscriptions, median.fanOut, formatRatio(median.deliveryGain)),
        ]),
        notes: [
          `Delivery gain: deliveries per second with ${fanOutSubscriptions} subscriptions / with 1, on the same system in the same run.`,
          `${describeShape(standardShape)} (per subscription); ${runsNote(context)}; each after a ${formatCount(sizes.warmupMessages)}-message warm-up.`,
        ],
      },
    ],
  };
}
