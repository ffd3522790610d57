// relay txn prepare|commit|abort
import type { CommitResponse__Output } from '../../generated/ts/relay/v1/CommitResponse.ts';
import type { PrepareResponse__Output } from '../../generated/ts/relay/v1/PrepareResponse.ts';
import type { Command } from '../command.ts';
import { withConnection } from '../connection.ts';
import { isoTime, toDuration } from '../format.ts';
import { readData } from '../payload.ts';

export const prepare: Command = {
  path: 'txn prepare',
  summary: 'Stages messages and acks, invisible to every subscriber until commit.',
  args: '',
  positionals: [0, 0],
  flags: {
    message: { type: 'string', multiple: true, value: 'TOPIC=DATA', description: 'a message to publish at commit (DATA: text, - for stdin, @file)' },
    ack: { type: 'string', multiple: true, value: 'SUBSCRIPTION=RECEIPT', description: 'a delivery to acknowledge at commit' },
    attr: { type: 'string', multiple: true, value: 'KEY=VALUE', description: 'an attribute of every staged message' },
    'ordering-key': { type: 'string', value: 'KEY', description: 'ordering key of every staged message' },
    timeout: { type: 'string', value: 'DURATION', description: 'aborted unless committed within this (default 60s, 1s to 15m)' },
    id: { type: 'string', value: 'TRANSACTION_ID', description: 'name the transaction (makes prepare safe to repeat); default: generated' },
  },
  details: [
    'Prints the transaction id; `relay txn commit ID` makes everything visible at once, `relay txn abort ID` drops it.',
    '',
    'Example:',
    '  relay txn prepare --message orders=created --message audit=@event.json --ack billing=RECEIPT --timeout 30s',
  ].join('\n'),
  async run(input) {
    const attributes = input.pairs('attr');
    const orderingKey = input.string('ordering-key') ?? '';
    const messages = input.pairList('message', 'TOPIC=DATA').map(([topic, data]) => ({
      topic,
      data: readData(data).bytes,
      attributes,
      orderingKey,
    }));
    const acks = input.pairList('ack', 'SUBSCRIPTION=RECEIPT').map(([subscription, receipt]) => ({ subscription, receipt }));
    const timeoutMs = input.durationMs('timeout');
    const request = { messages, acks, timeout: timeoutMs === undefined ? null : toDuration(timeoutMs), transactionId: input.string('id') ?? '' };
    const response = await withConnection(input, (relay) => relay.call<PrepareResponse__Output>(relay.transactions, 'Prepare', request));
    const document = { transactionId: response.transactionId, expireTime: isoTime(response.expireTime), messages: messages.length, acks: acks.length };
    input.print(document, () => `${document.transactionId}\nprepared ${messages.length} messages and ${acks.length} acks; commit or abort before ${document.expireTime}\n`);
  },
};

export const commit: Command = {
  path: 'txn commit',
  summary: 'Makes every staged message visible and applies every staged ack, all or none.',
  args: 'TRANSACTION_ID',
  positionals: [1, 1],
  flags: {},
  details: 'Safe to repeat: a repeat prints the same message ids. Fails with ABORTED when the transaction was aborted or expired.',
  async run(input) {
    const transactionId = input.positionals[0]!;
    const { messageIds } = await withConnection(input, (relay) => relay.call<CommitResponse__Output>(relay.transactions, 'Commit', { transactionId }));
    input.print({ transactionId, messageIds }, () => `committed ${transactionId}: ${messageIds.length} messages\n${messageIds.map((id) => `${id}\n`).join('')}`);
  },
};

export const abort: Command = {
  path: 'txn abort',
  summary: 'Discards a prepared transaction; its acked deliveries are redelivered as after a nack.',
  args: 'TRANSACTION_ID',
  positionals: [1, 1],
  flags: {},
  async run(input) {
    const transactionId = input.positionals[0]!;
    await withConnection(input, (relay) => relay.call(relay.transactions, 'Abort', { transactionId }));
    input.print({ transactionId, aborted: true }, () => `aborted ${transactionId}\n`);
  },
};
