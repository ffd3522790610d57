// relay dlq redrive DEAD_LETTER_TOPIC
import type { RedriveResponse__Output } from '../../generated/ts/relay/v1/RedriveResponse.ts';
import type { Command } from '../command.ts';
import { withConnection } from '../connection.ts';

export const redrive: Command = {
  path: 'dlq redrive',
  summary: 'Moves dead letters back to the topics they came from, as new messages.',
  args: 'DEAD_LETTER_TOPIC',
  positionals: [1, 1],
  flags: {
    id: { type: 'string', multiple: true, value: 'MESSAGE_ID', description: 'only this dead letter (default: every one)' },
  },
  details: [
    'Every subscription of the source topic receives a redriven message again; it keeps its original id',
    'as lineage. At least once: a crash midway may leave a message in both topics.',
    '',
    'Example:',
    '  relay dlq redrive orders-dlq',
  ].join('\n'),
  async run(input) {
    const deadLetterTopic = input.positionals[0]!;
    const messageIds = input.strings('id');
    const { redriven } = await withConnection(input, (relay) =>
      relay.call<RedriveResponse__Output>(relay.admin, 'Redrive', { deadLetterTopic, messageIds }),
    );
    const count = Number(redriven);
    input.print({ deadLetterTopic, redriven: count }, () => `redrove ${count} message${count === 1 ? '' : 's'} from ${deadLetterTopic}\n`);
  },
};
