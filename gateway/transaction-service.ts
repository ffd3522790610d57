import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { StagedAck } from '../adapters/store.ts';
import type { TransactionServiceHandlers } from '../generated/ts/relay/v1/TransactionService.ts';
import { toTimestamp, unary, type GatewayContext } from './context.ts';
import { decodeReceipts } from './receipts.ts';
import { RequestError } from './status.ts';
import { attr, operationName } from './telemetry/names.ts';
import { traceTransaction } from './telemetry/tracing.ts';
import { checkName, checkReceiptCount, durationMs, toOutgoing, traceContext } from './validation.ts';

const defaultTimeoutMs = 60_000;
const maxTimeoutMs = 15 * 60_000;
const transactionIdPattern = /^[a-zA-Z0-9._-]{1,128}$/;

function checkTransactionId(id: string): string {
  if (!transactionIdPattern.test(id)) {
    throw new RequestError(status.INVALID_ARGUMENT, `transaction_id must match ${transactionIdPattern.source}`);
  }
  return id;
}

/** Prepare / Commit / Abort: thin handlers over the store's atomic steps. */
export function transactionService(context: GatewayContext): TransactionServiceHandlers {
  const { store, config } = context;
  return {
    Prepare: unary(context, async (request, call) => {
      const id = request.transactionId ? checkTransactionId(request.transactionId) : randomUUID();
      const [traceparent] = call.metadata.get('traceparent');
      const [tracestate] = call.metadata.get('tracestate');
      const topics = request.messages.map((message) => checkName('topic', message.topic));
      const outgoing = request.messages.length ? toOutgoing(request.messages, config, traceContext(traceparent, tracestate)) : [];
      if (request.acks.length) checkReceiptCount(request.acks.map((ack) => ack.receipt), config.maxBatchMessages);
      if (outgoing.length + request.acks.length === 0) throw new RequestError(status.INVALID_ARGUMENT, 'a transaction needs messages or acks');
      const acks: StagedAck[] = request.acks.map((ack) => {
        const subscription = checkName('subscription', ack.subscription);
        return { subscription, receipt: decodeReceipts(subscription, [ack.receipt])[0]! };
      });
      const timeoutMs = request.timeout ? durationMs(request.timeout, 'timeout', 1000, maxTimeoutMs) : defaultTimeoutMs;
      const staged = { [attr.batchCount]: outgoing.length, [attr.transactionAckCount]: acks.length };
      const prepared = await traceTransaction(
        operationName.prepare,
        id,
        call.metadata,
        (creation) => store.prepare(id, outgoing.map((message, i) => ({ ...message, ...creation, topic: topics[i]! })), acks, timeoutMs),
        staged,
      );
      return {
        transactionId: prepared.id,
        expireTime: toTimestamp(prepared.expiresMs),
      };
    }),
    Commit: unary(context, async (request, call) => {
      const id = checkTransactionId(request.transactionId);
      return { messageIds: await traceTransaction(operationName.commit, id, call.metadata, () => store.commit(id)) };
    }),
    Abort: unary(context, async (request, call) => {
      const id = checkTransactionId(request.transactionId);
      await traceTransaction(operationName.abort, id, call.metadata, () => store.abort(id));
      return {};
    }),
  };
}
