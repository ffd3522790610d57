// relay sub SUBSCRIPTION: prints deliveries as they come, acks each after printing it.
import { status, type ServiceError } from '@grpc/grpc-js';
import type { AckResponse__Output } from '../../generated/ts/relay/v1/AckResponse.ts';
import type { Delivery__Output } from '../../generated/ts/relay/v1/Delivery.ts';
import type { SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import type { Command } from '../command.ts';
import { withConnection, type Connection } from '../connection.ts';
import { deliveryJson, deliveryText } from '../resources.ts';

/** Receipts per Ack call (the gateway's default batch limit). */
const receiptsPerCall = 1000;
/** Unsettled deliveries the stream may hold (the gateway's default). */
const streamWindow = 1000;

/** Acks with the unary verb, so that every ack is confirmed before `relay sub` exits. */
async function ackAll(relay: Connection, subscription: string, deliveries: readonly Delivery__Output[]): Promise<void> {
  for (let start = 0; start < deliveries.length; start += receiptsPerCall) {
    const chunk = deliveries.slice(start, start + receiptsPerCall);
    const receipts = chunk.map((delivery) => delivery.receipt);
    const { results } = await relay.call<AckResponse__Output>(relay.subscriber, 'Ack', { subscription, receipts });
    results.forEach((result, i) => {
      if (result !== 'SETTLEMENT_RESULT_OK') {
        process.stderr.write(`relay: ack of ${chunk[i]!.message!.messageId} came too late (lease expired, delivered again)\n`);
      }
    });
  }
}

export const sub: Command = {
  path: 'sub',
  summary: 'Receives messages from a subscription and prints them.',
  args: 'SUBSCRIPTION',
  positionals: [1, 1],
  flags: {
    ack: { type: 'boolean', negatable: true, description: 'ack each message once printed (default), or leave it unsettled' },
    limit: { type: 'string', value: 'N', description: 'exit after N messages (default: run until interrupted)' },
  },
  details: [
    'Without --ack, messages stay unsettled while relay sub runs (at most 1000 unless --limit says more;',
    'the gateway extends their leases for up to 10 minutes) and are redelivered as soon as it exits.',
    '',
    'With --json, each delivery is one line of JSON: the message (data as text, null when not UTF-8, and',
    'always dataBase64), deliveryAttempt, reason, receipt, leaseDeadline.',
    '',
    'Examples:',
    '  relay sub billing --limit 10',
    '  relay sub billing --json --no-ack | jq .data',
  ].join('\n'),
  async run(input) {
    const subscription = input.positionals[0]!;
    const limit = input.integer('limit', 1, Number.MAX_SAFE_INTEGER);
    const ack = input.boolean('ack') ?? true;
    await withConnection(
      input,
      (relay) =>
        new Promise<void>((resolve, reject) => {
          const call = relay.subscriber.Subscribe(relay.metadata());
          let received = 0;
          let stopping = false;
          let failure: ServiceError | undefined;
          /** Acked on the stream as it closed; confirmed with the unary Ack once it has. */
          let lastAcks: Delivery__Output[] = [];
          // Steps (acks, the close) run one after another.
          let steps: Promise<void> = Promise.resolve();
          const queue = (step: () => Promise<void> | void) => {
            steps = steps.then(step);
            steps.catch((error: ServiceError) => {
              failure ??= error;
              call.cancel();
            });
          };
          /** Half-close: the gateway ends the stream and releases whatever is unsettled. */
          const stop = () => {
            if (stopping) return;
            stopping = true;
            queue(() => void call.end());
          };
          call.on('data', (response: SubscribeResponse__Output) => {
            const take = stopping ? [] : response.deliveries.slice(0, limit === undefined ? undefined : limit - received);
            for (const delivery of take) {
              received++;
              process.stdout.write(input.json ? JSON.stringify(deliveryJson(delivery)) + '\n' : deliveryText(delivery, received));
            }
            const done = limit !== undefined && received === limit;
            if (ack && take.length > 0 && done) {
              // The last acks go on the stream together with the close: acked earlier, the credit
              // they free could draw deliveries that the close would only release (an attempt more each).
              stopping = true;
              lastAcks = take;
              queue(() => {
                call.write({ ackReceipts: take.map((delivery) => delivery.receipt) });
                call.end();
              });
            } else if (ack && take.length > 0) {
              // No more new deliveries than are still wanted once these are acked.
              if (limit !== undefined) call.write({ flowControl: { maxOutstandingMessages: Math.min(limit - received, streamWindow) } });
              queue(() => ackAll(relay, subscription, take));
            } else if (done) {
              stop();
            }
          });
          call.on('error', (error: ServiceError) => {
            if (!(stopping && error.code === status.CANCELLED)) failure ??= error;
          });
          call.on('status', () => {
            process.off('SIGINT', stop).off('SIGTERM', stop);
            // Settling twice changes nothing: this confirms the last acks, or makes them if the close won.
            steps
              .then(() => (lastAcks.length > 0 && !failure ? ackAll(relay, subscription, lastAcks) : undefined))
              .then(
                () => (failure ? reject(failure) : resolve()),
                (error: ServiceError) => reject(failure ?? error),
              );
          });
          process.once('SIGINT', stop).once('SIGTERM', stop);
          // Unsettled messages count against flow control: without acks, all of --limit must fit.
          const maxOutstandingMessages = ack ? Math.min(limit ?? streamWindow, streamWindow) : (limit ?? streamWindow);
          // The gateway extends the leases of what this stream holds (up to 10 min) while it is open.
          call.write({ subscription, flowControl: { maxOutstandingMessages }, autoExtendLease: true });
        }),
    );
  },
};
