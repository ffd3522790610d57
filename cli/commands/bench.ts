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
}

async function measure(relay: Connection, topic: string, subscription: string, settings: Settings, json: boolean) {
  const { count, payloadBytes, batch, inFlight } = settings;
  const progress = progressBar(process.stdout, count, 'msgs');
  const endToEnd: number[] = [];
  const seen = new Set<string>();
  const stream = relay.subscriber.Subscribe(relay.metadata());
  let lastArrival = performance.now();
  let interrupted = false;
  const received = new Promise<number>((resolve, reject) => {
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
    stream.on('error', (error: ServiceError) => reject(error));
    // Ctrl-C stops the run; the temporary topic and subscription are still deleted.
    process.once('SIGINT', () => {
      interrupted = true;
      reject(new Error(`interrupted (${seen.size} of ${count} received)`));
    });
    const watchdog = setInterval(() => {
      if (seen.size >= count) clearInterval(watchdog);
      else if (performance.now() - lastArrival > stallTimeoutMs) {
        clearInterval(watchdog);
        reject(new Error(`no message arrived for ${stallTimeoutMs / 1000}s (${seen.size} of ${count} received)`));
      }
    }, 1000);
  });
  received.catch(() => {});
  stream.write({ subscription, flowControl: { maxOutstandingMessages: Math.max(1000, 2 * batch * inFlight) } });

  const publishCalls: number[] = [];
  const started = performance.now();
  lastArrival = started;
  let queued = 0;
  const publisher = async () => {
    while (queued < count && !interrupted) {
      const size = Math.min(batch, count - queued);
      queued += size;
      const sentAt = performance.now();
      const messages = Array.from({ length: size }, () => {
        const data = Buffer.alloc(payloadBytes);
        data.writeDoubleBE(sentAt, 0);
        return { data };
      });
      await relay.call(relay.publisher, 'Publish', { topic, messages });
      publishCalls.push(performance.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, publisher));
  const published = performance.now();
  try {
    const finished = await received;
    return { started, published, finished, endToEnd, publishCalls };
  } finally {
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
  },
  details: [
    'Creates a topic and a subscription named relay-bench-<random>, publishes, receives and acks every',
    'message, and deletes both at the end. A progress bar is drawn when stdout is a terminal.',
    'Latency is from the Publish call to the delivery, measured in this process.',
  ].join('\n'),
  async run(input) {
    const settings: Settings = {
      count: input.integer('count', 1, 100_000_000) ?? 10_000,
      payloadBytes: input.integer('payload-bytes', 8, 64 * 1024 * 1024) ?? 1024,
      batch: input.integer('batch', 1, 100_000) ?? 100,
      inFlight: input.integer('in-flight', 1, 1000) ?? 4,
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
      publish: { seconds: publishSeconds, msgsPerSecond: Math.round(count / publishSeconds), callLatencyMs: percentiles(result.publishCalls) },
      endToEnd: { seconds: endToEndSeconds, msgsPerSecond: Math.round(count / endToEndSeconds), latencyMs: percentiles(result.endToEnd) },
    };
    const line = (latency: ReturnType<typeof percentiles>) => `p50 ${latency.p50} ms  p90 ${latency.p90} ms  p99 ${latency.p99} ms  max ${latency.max} ms`;
    input.print(document, () =>
      fields([
        ['messages', `${count} of ${settings.payloadBytes} bytes, batches of ${settings.batch}, ${settings.inFlight} in flight, to ${result.address}`],
        ['published', `${document.publish.msgsPerSecond} msgs/s (${publishSeconds.toFixed(2)}s)`],
        ['end to end', `${document.endToEnd.msgsPerSecond} msgs/s (${endToEndSeconds.toFixed(2)}s)`],
        ['publish call', line(document.publish.callLatencyMs)],
        ['publish to delivery', line(document.endToEnd.latencyMs)],
      ]),
    );
  },
};
