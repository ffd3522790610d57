// Backlog: does a subscription with a million messages waiting slow Relay down? On one gateway:
// end to end on an empty topic; then a topic filled with the backlog (publishers alone), the same
// end-to-end run on it (consumers work through the oldest messages while publishers append), and
// finally consumers alone draining everything that is left.
import { relaySpec } from '../peers/relay.ts';
import { formatCount, formatRatio, medianOf } from '../stats.ts';
import { measureDrain, measurePublish, measureThroughput, type DrainResult, type ThroughputResult } from '../workload.ts';
import { describeShape, repeat, standardShape, withTarget, withTopic, type ScenarioContext, type ScenarioOutput } from './common.ts';

export interface BacklogRun {
  readonly empty: ThroughputResult;
  /** Confirmed publishes per second while filling the backlog (nobody consuming). */
  readonly fillMsgsPerSec: number;
  readonly withBacklog: ThroughputResult;
  readonly drain: DrainResult;
  /** withBacklog / empty, end to end. */
  readonly endToEndRatio: number;
  /** drain / empty. */
  readonly drainRatio: number;
}

export interface BacklogData {
  readonly backlogMessages: number;
  readonly runs: BacklogRun[];
  readonly median: BacklogRun;
}

export async function backlog(context: ScenarioContext): Promise<ScenarioOutput<BacklogData>> {
  const { sizes, quick } = context.options;
  const runs = await repeat(sizes.runs, () =>
    withTarget(relaySpec('everysec'), async (target) => {
      const endToEnd = (messages: number) => withTopic(target, 1, (topic) => measureThroughput(target, topic, { ...standardShape, messages }));
      await endToEnd(sizes.warmupMessages);
      const empty = await endToEnd(sizes.backlogRunMessages);
      return withTopic(target, 1, async (topic) => {
        const fillMsgsPerSec = await measurePublish(topic, { ...standardShape, messages: sizes.backlogMessages });
        context.progress(`backlog: ${formatCount(sizes.backlogMessages)} waiting (published at ${formatCount(fillMsgsPerSec)} msgs/s)`);
        const withBacklog = await measureThroughput(target, topic, { ...standardShape, messages: sizes.backlogRunMessages });
        const drain = await measureDrain(topic, standardShape);
        context.progress(
          `backlog: ${formatCount(withBacklog.msgsPerSec)} msgs/s end to end (empty ${formatCount(empty.msgsPerSec)}), drained at ${formatCount(drain.msgsPerSec)}`,
        );
        return {
          empty,
          fillMsgsPerSec,
          withBacklog,
          drain,
          endToEndRatio: withBacklog.msgsPerSec / empty.msgsPerSec,
          drainRatio: drain.msgsPerSec / empty.msgsPerSec,
        };
      });
    }),
  );
  const median = medianOf(runs);
  const waiting = formatCount(sizes.backlogMessages);
  return {
    id: 'backlog',
    data: { backlogMessages: sizes.backlogMessages, runs, median },
    tables: [
      {
        title: `Backlog: Relay (everysec) with ${waiting} messages waiting vs an empty topic`,
        columns: ['run', 'msgs/s', 'vs empty'],
        rows: [
          [`end to end, empty topic (${formatCount(sizes.backlogRunMessages)} messages)`, formatCount(median.empty.msgsPerSec), '1.00×'],
          [`publishers alone, filling the backlog`, formatCount(median.fillMsgsPerSec), formatRatio(median.fillMsgsPerSec / median.empty.msgsPerSec)],
          [`end to end, ${waiting} waiting (${formatCount(sizes.backlogRunMessages)} messages)`, formatCount(median.withBacklog.msgsPerSec), formatRatio(median.endToEndRatio)],
          [`consumers alone, draining ${formatCount(median.drain.acked)}`, formatCount(median.drain.msgsPerSec), formatRatio(median.drainRatio)],
        ],
        notes: [
          ...(quick ? [`--quick: the backlog is scaled down to ${waiting} messages (the full run uses 1,000,000).`] : []),
          'With the backlog, consumers receive the oldest messages first while publishers append; the run ends when as many',
          `messages were published and acked as on the empty topic. ${describeShape(standardShape)}. Ratios are medians of per-run figures' medians.`,
        ],
      },
    ],
  };
}
