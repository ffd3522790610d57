// Many concurrently open Subscribe streams on one gateway: its memory idle and under load, and the
// throughput when deliveries spread over all of them.
import { rssBytes } from '../machine.ts';
import { relaySpec } from '../peers/relay.ts';
import { formatCount, formatMiB, medianOf } from '../stats.ts';
import { measureThroughput, type ThroughputResult, type ThroughputShape } from '../workload.ts';
import { gatewayPid } from './comparison.ts';
import { describeShape, repeat, standardShape, withTarget, withTopic, type ScenarioContext, type ScenarioOutput } from './common.ts';

/** How long the streams stay open before the idle RSS is read. */
const settleMs = 2000;

export interface OpenStreamsRun {
  /** Gateway RSS after a warm-up, before the streams open. */
  readonly rssBeforeBytes: number;
  /** Gateway RSS with every stream open, before any load. */
  readonly rssOpenBytes: number;
  readonly load: ThroughputResult;
}

export interface OpenStreamsData {
  readonly streams: number;
  readonly runs: OpenStreamsRun[];
  readonly median: OpenStreamsRun;
}

export async function openStreams(context: ScenarioContext): Promise<ScenarioOutput<OpenStreamsData>> {
  const { sizes } = context.options;
  const streams = sizes.openStreams;
  const shape: Omit<ThroughputShape, 'messages'> = { ...standardShape, consumersPerSubscription: streams, prefetch: 100 };
  const runs = await repeat(sizes.runs, () =>
    withTarget(relaySpec('everysec'), async (target) => {
      const pid = gatewayPid(target)!;
      await withTopic(target, 1, (topic) => measureThroughput(target, topic, { ...standardShape, messages: sizes.warmupMessages }));
      const rssBeforeBytes = rssBytes(pid);
      let rssOpenBytes = Number.NaN;
      const load = await withTopic(target, 1, (topic) =>
        measureThroughput(
          target,
          topic,
          { ...shape, messages: sizes.openStreamsMessages },
          {
            rssPid: pid,
            beforeLoad: async () => {
              await new Promise((resolve) => setTimeout(resolve, settleMs));
              rssOpenBytes = rssBytes(pid);
            },
          },
        ),
      );
      context.progress(`${streams} streams: RSS ${formatMiB(rssOpenBytes)} MiB open, ${formatMiB(load.peakRssBytes)} MiB under load`);
      return { rssBeforeBytes, rssOpenBytes, load };
    }),
  );
  const median = medianOf(runs);
  return {
    id: 'open-streams',
    data: { streams, runs, median },
    tables: [
      {
        title: `${formatCount(streams)} concurrently open Subscribe streams: Relay (everysec), one subscription`,
        columns: ['gateway RSS before MiB', `RSS with ${formatCount(streams)} open MiB`, 'KiB per stream', 'RSS under load MiB', 'msgs/s', 'p50 / p99 ms'],
        rows: [
          [
            formatMiB(median.rssBeforeBytes),
            formatMiB(median.rssOpenBytes),
            ((median.rssOpenBytes - median.rssBeforeBytes) / 1024 / streams).toFixed(1),
            formatMiB(median.load.peakRssBytes),
            formatCount(median.load.msgsPerSec),
            `${median.load.latency.p50Ms.toFixed(1)} / ${median.load.latency.p99Ms.toFixed(1)}`,
          ],
        ],
        notes: [
          `Streams spread over 8 client HTTP/2 connections; RSS from /proc/PID/status VmRSS of the gateway process, ${settleMs / 1000} s after opening;`,
          `under load: ${formatCount(sizes.openStreamsMessages)} messages, ${describeShape(shape)}.`,
        ],
      },
    ],
  };
}
