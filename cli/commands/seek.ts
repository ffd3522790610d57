// relay seek SUBSCRIPTION --time TIME | --message-id ID
import { UsageError, type Command } from '../command.ts';
import { withConnection } from '../connection.ts';
import { parseTime, toDuration } from '../format.ts';

export const seek: Command = {
  path: 'seek',
  summary: 'Moves a subscription to a time or a message id: from there on, messages are delivered again.',
  args: 'SUBSCRIPTION',
  positionals: [1, 1],
  flags: {
    time: { type: 'string', value: 'TIME', description: 'ISO 8601 time, now, or a duration ago (10m): messages published from then on are redelivered' },
    'message-id': { type: 'string', value: 'ID', description: 'this message and every later one are redelivered' },
  },
  details: [
    'In-flight deliveries are forgotten: their receipts settle nothing.',
    '',
    'Examples:',
    '  relay seek billing --time 1h',
    '  relay seek billing --time 2026-11-24T08:00:00Z',
    '  relay seek billing --message-id 1795490224574-0',
  ].join('\n'),
  async run(input) {
    const subscription = input.positionals[0]!;
    const time = input.string('time');
    const messageId = input.string('message-id');
    if ((time === undefined) === (messageId === undefined)) throw new UsageError('give exactly one of --time and --message-id');
    const timeMs = time === undefined ? undefined : parseTime(time, '--time');
    const target = timeMs === undefined ? { messageId } : { time: toDuration(timeMs) };
    await withConnection(input, (relay) => relay.call(relay.admin, 'Seek', { subscription, ...target }));
    const to = timeMs === undefined ? { messageId } : { time: new Date(timeMs).toISOString() };
    input.print({ subscription, ...to }, () => `seeked ${subscription} to ${to.messageId ?? to.time}\n`);
  },
};
