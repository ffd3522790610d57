// Fan-out: one topic with 4 subscriptions, each with its own consumers, against 1 subscription on the
// same gateway in the same run.
import { relaySpec } from '../peers/relay.ts';
import { formatCount, formatRatio, medianOf } from '../stats.ts';
import { measureThroughput, type ThroughputResult } from '../workload.ts';
import { gatewayPid } from './comparison.ts';
import { describeShape, repeat, standardShape, withTarget, withTopic, type ScenarioContext, type ScenarioOutput } from './common.ts';

export const fanOutSubscriptions = 4;

export interface FanOutRun {
  readonly single: ThroughputResult;
  readonly fanOut: ThroughputResult;
  /** Fan-out deliveries per second / single-subscription deliveries per second. */
  readonly deliveryGain: number;
}

export interface FanOutData {
  readonly runs: FanOutRun[];
  readonly median: FanOutRun;
}

export async function fanOut(context: ScenarioContext): Promise<ScenarioOutput<FanOutData>> {
  const { sizes } = context.options;
  const spec = relaySpec('everysec');
  const runs = await repeat(sizes.runs, () =>
    withTarget(spec, async (target) => {
      const run = (subscriptions: number, messages: number) =>
        withTopic(target, subscriptions, (topic) =>
          measureThroughput(target, topic, { ...standardShape, subscriptions, messages }, { rssPid: gatewayPid(target) }),
        );
      await run(1, sizes.warmupMessages);
      const single = await run(1, sizes.fanOutMessages);
      const fanned = await run(fanOutSubscriptions, sizes.fanOutMessages);
      context.progress(`fan-out: ${formatCount(fanned.deliveriesPerSec)} deliveries/s vs ${formatCount(single.deliveriesPerSec)} single`);
      return { single, fanOut: fanned, deliveryGain: fanned.deliveriesPerSec / single.deliveriesPerSec };
    }),
  );
  const median = medianOf(runs);
  const row = (label: string, result: ThroughputResult) => [
    label,
    formatCount(result.msgsPerSec),
    formatCount(result.deliveriesPerSec),
    `${(result.latency.p50Ms).toFixed(1)} / ${(result.latency.p99Ms).toFixed(1)}`,
    (result.peakRssBytes / 1024 / 1024).toFixed(1),
  ];
  return {
    id: 'fan-out',
    data: { runs, median },
    tables: [
      {
        title: `Fan-out: Relay (everysec), ${formatCount(sizes.fanOutMessages)} messages to 1 and to ${fanOutSubscriptions} subscriptions`,
        columns: ['subscriptions', 'published msgs/s', 'deliveries/s', 'p50 / p99 ms', 'gateway RSS MiB'],
        rows: [row('1', median.single), row(String(fanOutSubscriptions), median.fanOut)],
        notes: [
          `Delivery rate with ${fanOutSubscriptions} subscriptions = ${formatRatio(median.deliveryGain)} the single-subscription rate (median of per-run ratios).`,
          `${describeShape(standardShape)} (per subscription).`,
        ],
      },
    ],
  };
}
