// `npx tsx bench/subscribe-encoding.ts`: CPU per delivery of serializing Subscribe responses,
// proto-loader's responseSerialize (SubscribeResponse.fromObject, then encode) against the gateway's
// encodeSubscribeResponse (gateway/subscribe-response-encoding.ts), on responses of 100 deliveries of
// 1 KiB built as the gateway's toResponse builds them: bare, and with two attributes and trace context.
// A few seconds on one core; never part of `npm test`.
import { randomBytes } from 'node:crypto';
import type { Delivery, StoredMessage } from '../adapters/store.ts';
import { toReceivedMessage, toTimestamp } from '../gateway/context.ts';
import { encodeReceipt } from '../gateway/receipts.ts';
import { encodeSubscribeResponse } from '../gateway/subscribe-response-encoding.ts';
import type { SubscribeResponse } from '../generated/ts/relay/v1/SubscribeResponse.ts';
import { loadRelayProto } from '../proto/load.ts';
import { median } from './stats.ts';

const batchSize = 100;
const payloadBytes = 1024;
/** Distinct responses per round, so that no single object graph stays hot in the caches. */
const responsesPerRound = 50;
const rounds = 9;
const warmUpRounds = 5;

const protoLoaderSerialize = loadRelayProto().relay.SubscriberService!.service.Subscribe.responseSerialize as (response: SubscribeResponse) => Buffer;

/** As toResponse (gateway/subscriber-service.ts) builds a response from the store's deliveries. */
function toResponse(deliveries: readonly Delivery[]): SubscribeResponse {
  return {
    deliveries: deliveries.map(({ message, attempt, leaseDeadlineMs }) => ({
      message: toReceivedMessage(message),
      receipt: encodeReceipt('orders-workers', message.id, attempt),
      deliveryAttempt: attempt,
      leaseDeadline: toTimestamp(leaseDeadlineMs),
      reason: 'DELIVERY_REASON_FIRST',
    })),
  };
}

function responses(decorate: (message: StoredMessage, i: number) => StoredMessage): SubscribeResponse[] {
  const template = randomBytes(payloadBytes);
  const nowMs = Date.now();
  return Array.from({ length: responsesPerRound }, (_, r) =>
    toResponse(
      Array.from({ length: batchSize }, (_, d) => {
        const i = r * batchSize + d;
        const message: StoredMessage = {
          id: `${nowMs + i}-0`,
          data: Buffer.from(template),
          attributes: {},
          orderingKey: '',
          publishTimeMs: nowMs + i,
          traceparent: '',
          tracestate: '',
          originalId: '',
        };
        return { message: decorate(message, i), attempt: 1, reason: 'first', leaseDeadlineMs: nowMs + i + 30_000 };
      }),
    ),
  );
}

const shapes = {
  bare: responses((message) => message),
  'attributes, trace context': responses((message, i) => ({
    ...message,
    attributes: { 'content-type': 'application/json', tenant: `tenant-${i % 16}` },
    traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
  })),
};

/** Median ns per delivery over the rounds, each round serializing every response once. */
function time(serialize: (response: SubscribeResponse) => Buffer, all: SubscribeResponse[]): number {
  let sink = 0;
  const perDelivery: number[] = [];
  for (let round = 0; round < warmUpRounds + rounds; round++) {
    const started = process.hrtime.bigint();
    for (const response of all) sink += serialize(response).length;
    const elapsedNs = Number(process.hrtime.bigint() - started);
    if (round >= warmUpRounds) perDelivery.push(elapsedNs / (all.length * batchSize));
  }
  if (sink === 0) throw new Error('nothing encoded');
  return median(perDelivery);
}

console.log(`responses of ${batchSize} deliveries of ${payloadBytes} B, median of ${rounds} rounds, ns per delivery, two passes:`);
for (const [shape, all] of Object.entries(shapes)) {
  const same = all.every((response) => encodeSubscribeResponse(response).equals(protoLoaderSerialize(response)));
  // Interleaved, so that noise from elsewhere on the machine hits both alike.
  const figures = { protoLoader: [] as number[], ours: [] as number[] };
  for (let pass = 0; pass < 2; pass++) {
    figures.ours.push(time(encodeSubscribeResponse, all));
    figures.protoLoader.push(time(protoLoaderSerialize, all));
  }
  const show = (values: number[]) => values.map((value) => value.toFixed(0).padStart(6)).join('  ');
  const bytes = encodeSubscribeResponse(all[0]!).length;
  console.log(`${shape} (${(bytes / batchSize).toFixed(0)} B per delivery encoded), same bytes as proto-loader: ${same ? 'yes' : 'NO'}`);
  console.log(`  proto-loader responseSerialize ${show(figures.protoLoader)}`);
  console.log(`  encodeSubscribeResponse        ${show(figures.ours)}`);
}
