// 64 KiB payloads end to end on Relay, next to 1 KiB on the same gateway.
import { relaySpec } from '../peers/relay.ts';
import { formatCount, formatMiB, medianOf } from '../stats.ts';
import { measureThroughput, type ThroughputResult, type ThroughputShape } from '../workload.ts';
import { gatewayPid } from './comparison.ts';
import { describeShape, repeat, standardShape, withTarget, withTopic, type ScenarioContext, type ScenarioOutput } from './common.ts';

/** 10 x 64 KiB = 640 KiB per Publish; 8 in flight; consumers hold at most 100 (6.4 MiB) each. */
export const largeShape: Omit<ThroughputShape, 'messages'> = { ...standardShape, payloadBytes: 64 * 1024, batchSize: 10, prefetch: 100 };

export interface LargePayloadData {
  readonly runs: ThroughputResult[];
  readonly median: ThroughputResult;
}

export async function largePayloads(context: ScenarioContext): Promise<ScenarioOutput<LargePayloadData>> {
  const { sizes } = context.options;
  const runs = await repeat(sizes.runs, () =>
    withTarget(relaySpec('everysec'), async (target) => {
      const run = (messages: number) =>
        withTopic(target, 1, (topic) => measureThroughput(target, topic, { ...largeShape, messages }, { rssPid: gatewayPid(target) }));
      await run(Math.ceil(sizes.largePayloadMessages / 10));
      const result = await run(sizes.largePayloadMessages);
      context.progress(`64 KiB: ${formatCount(result.msgsPerSec)} msgs/s, ${result.mibPerSec.toFixed(0)} MiB/s`);
      return result;
    }),
  );
  const median = medianOf(runs);
  return {
    id: 'large-payloads',
    data: { runs, median },
    tables: [
      {
        title: `64 KiB payloads: Relay (everysec), ${formatCount(sizes.largePayloadMessages)} messages end to end`,
        columns: ['payload', 'msgs/s', 'MiB/s', 'p50 / p99 ms', 'server CPU (cores)', 'gateway RSS MiB'],
        rows: [
          [
            '64 KiB',
            formatCount(median.msgsPerSec),
            median.mibPerSec.toFixed(1),
            `${median.latency.p50Ms.toFixed(1)} / ${median.latency.p99Ms.toFixed(1)}`,
            `gateway ${(median.cpu.gateway ?? Number.NaN).toFixed(2)} + redis ${(median.cpu['redis-server'] ?? Number.NaN).toFixed(2)}`,
            formatMiB(median.peakRssBytes),
          ],
        ],
        notes: [`${describeShape(largeShape)}.`],
      },
    ],
  };
}
