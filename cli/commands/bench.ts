// relay bench: publishes through the gateway and receives on a temporary subscription, then prints
// throughput and latency percentiles (publish call, and publish to delivery).
import type { ServiceError } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import { UsageError, type Command } from '../command.ts';
import { withConnection, type Connection } from '../connection.ts';
import { fields } from '../format.ts';
import { progressBar } from '../progress.ts';

/** The bench gives up when no message arrives for this long. */
const stallTimeoutMs = 30_000;

/** p50, p90, p99 and max of samples in milliseconds, rounded to 0.01 ms. */
export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(100 * (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0)) / 100;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

interface Settings {
  readonly count: number;
  readonly payloadBytes: number;
  readonly batch: number;
  readonly inFlight: number;
  /** Messages per second to publish at; undefined: as fast as inFlight calls allow. */
  readonly rate: number | undefined;
}

async function measure(relay: Connection, topic: string, subscription: string, settings: Settings, json: boolean) {
  const { count, payloadBytes, batch, inFlight, rate } = settings;
  const progress = progressBar(process.stdout, count, 'msgs');
  const endToEnd: number[] = [];
  const seen = new Set<string>();
  const stream = relay.subscriber.Subscribe(relay.metadata());
  let lastArrival = performance.now();
  let stopped: Error | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let interrupt = () => {};
  const received = new Promise<number>((resolve, reject) => {
    const stop = (error: Error) => {
      stopped ??= error;
      reject(error);
    };
    stream.on('data', (response: SubscribeResponse__Output) => {
      const now = performance.now();
      for (const delivery of response.deliveries) {
        // Redeliveries (none expected) count once.
        if (seen.has(delivery.message!.messageId)) continue;
        seen.add(delivery.message!.messageId);
        endToEnd.push(now - delivery.message!.data.readDoubleBE(0));
      }
      stream.write({ ackReceipts: response.deliveries.map((delivery) => delivery.receipt) });
      lastArrival = now;
      if (!json) progress.update(seen.size);
      if (seen.size >= count) resolve(now);
    });
    stream.on('error', (error: ServiceError) => stop(error));
    // Ctrl-C stops the run; the temporary topic and subscription are still deleted.
    interrupt = () => stop(new Error(`interrupted (${seen.size} of ${count} received)`));
    process.once('SIGINT', interrupt);
    watchdog = setInterval(() => {
      if (performance.now() - lastArrival > stallTimeoutMs) {
        stop(new Error(`no message arrived for ${stallTimeoutMs / 1000}s (${seen.size} of ${count} received)`));
      }
    }, 1000);
  });
  received.catch(() => {});
  stream.write({ subscription, flowControl: { maxOutstandingMessages: Math.max(1000, 2 * batch * inFlight) } });

  const publishCalls: number[] = [];
  const publish = async (size: number) => {
    const sentAt = performance.now();
    const messages = Array.from({ length: size }, () => {
      const data = Buffer.alloc(payloadBytes);
      data.writeDoubleBE(sentAt, 0);
      return { data };
    });
    try {
      await relay.call(relay.publisher, 'Publish', { topic, messages });
      publishCalls.push(performance.now() - sentAt);
    } catch (error) {
      // The first failure stops the run: no new batches; it is what the command reports.
      stopped ??= error as Error;
    }
  };
  let queued = 0;
  /** Takes the next batch of at most `wanted` messages; 0 when all are queued or the run stopped. */
  const take = (wanted: number) => {
    const size = stopped ? 0 : Math.min(wanted, count - queued);
    queued += size;
    return size;
  };
  const started = performance.now();
  lastArrival = started;
  try {
    if (rate === undefined) {
      // Saturation: inFlight calls, each publishing its next batch as soon as the last one is stored.
      const publisher = async () => {
        for (let size = take(batch); size > 0; size = take(batch)) await publish(size);
      };
      await Promise.all(Array.from({ length: inFlight }, publisher));
    } else {
      // A fixed rate: every millisecond, what is due goes out without waiting for earlier calls.
      const calls: Promise<void>[] = [];
      while (queued < count && !stopped) {
        let due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000)) - queued;
        for (let size = take(Math.min(due, batch)); size > 0; size = take(Math.min(due, batch))) {
          calls.push(publish(size));
          due -= size;
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await Promise.all(calls);
    }
    const published = performance.now();
    if (stopped) throw stopped;
    const finished = await received;
    return { started, published, finished, endToEnd, publishCalls };
  } finally {
    clearInterval(watchdog);
    process.off('SIGINT', interrupt);
    if (!json) progress.end();
    stream.end();
  }
}

export const bench: Command = {
  path: 'bench',
  summary: 'Measures publish and end-to-end throughput and latency on a temporary topic.',
  args: '',
  positionals: [0, 0],
  flags: {
    count: { type: 'string', value: 'N', description: 'messages to publish (default 10000)' },
    'payload-bytes': { type: 'string', value: 'N', description: 'payload size, at least 8 (default 1024)' },
    batch: { type: 'string', value: 'N', description: 'messages per Publish call (default 100)' },
    'in-flight': { type: 'string', value: 'N', description: 'Publish calls at a time (default 4)' },
    rate: { type: 'string', value: 'N', description: 'publish N msgs/s, each due batch at once (default: as fast as --in-flight allows)' },
  },
  details: [
    'Creates a topic and a subscription named relay-bench-<random>, publishes, receives and acks every',
    'message, and deletes both at the end. A progress bar is drawn when stdout is a terminal.',
    'Latency is from the Publish call to the delivery, measured in this process. Without --rate the run',
    'saturates the gateway, so latency includes queueing; with --rate it is latency at that load.',
    '',
    'Examples:',
    '  relay bench --count 100000 --payload-bytes 1024',
    '  relay bench --count 10000 --rate 1000 --batch 10',
  ].join('\n'),
  async run(input) {
    const settings: Settings = {
      count: input.integer('count', 1, 100_000_000) ?? 10_000,
      payloadBytes: input.integer('payload-bytes', 8, 64 * 1024 * 1024) ?? 1024,
      batch: input.integer('batch', 1, 100_000) ?? 100,
      inFlight: input.integer('in-flight', 1, 1000) ?? 4,
      rate: input.integer('rate', 1, 10_000_000),
    };
    if (settings.batch * settings.payloadBytes > 256 * 1024 * 1024) throw new UsageError('--batch times --payload-bytes exceeds 256 MiB');
    const name = `relay-bench-${randomUUID().slice(0, 8)}`;
    const result = await withConnection(input, async (relay) => {
      await relay.call(relay.admin, 'CreateTopic', { topic: { name } });
      try {
        await relay.call(relay.admin, 'CreateSubscription', {
          subscription: { name, topic: name, startPosition: 'START_POSITION_EARLIEST', ackDeadline: { seconds: 60 } },
        });
        try {
          return { address: relay.address, ...(await measure(relay, name, name, settings, input.json)) };
        } finally {
          await relay.call(relay.admin, 'DeleteSubscription', { name });
        }
      } finally {
        await relay.call(relay.admin, 'DeleteTopic', { name });
      }
    });
    const { count } = settings;
    const publishSeconds = Math.round(result.published - result.started) / 1000;
    const endToEndSeconds = Math.round(result.finished - result.started) / 1000;
    const document = {
      address: result.address,
      ...settings,
      rate: settings.rate ?? null,
      publish: { seconds: publishSeconds, msgsPerSecond: Math.round(count / publishSeconds), callLatencyMs: percentiles(result.publishCalls) },
      endToEnd: { seconds: endToEndSeconds, msgsPerSecond: Math.round(count / endToEndSeconds), latencyMs: percentiles(result.endToEnd) },
    };
    const line = (latency: ReturnType<typeof percentiles>) => `p50 ${latency.p50} ms  p90 ${latency.p90} ms  p99 ${latency.p99} ms  max ${latency.max} ms`;
    const pace = settings.rate === undefined ? `${settings.inFlight} calls in flight` : `at ${settings.rate} msgs/s`;
    input.print(document, () =>
      fields([
        ['messages', `${count} of ${settings.payloadBytes} bytes in batches of ${settings.batch}, ${pace}, to ${result.address}`],
        ['published', `${document.publish.msgsPerSecond} msgs/s (${publishSeconds.toFixed(2)}s)`],
        ['end to end', `${document.endToEnd.msgsPerSecond} msgs/s (${endToEndSeconds.toFixed(2)}s)`],
        ['publish call', line(document.publish.callLatencyMs)],
        ['publish to delivery', line(document.endToEnd.latencyMs)],
      ]),
    );
  },
};
