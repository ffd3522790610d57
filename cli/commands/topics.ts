// relay topics create|list|get|delete
import type { CreateTopicResponse__Output } from '../../generated/ts/relay/v1/CreateTopicResponse.ts';
import type { GetTopicResponse__Output } from '../../generated/ts/relay/v1/GetTopicResponse.ts';
import type { ListTopicsResponse__Output } from '../../generated/ts/relay/v1/ListTopicsResponse.ts';
import type { Topic__Output } from '../../generated/ts/relay/v1/Topic.ts';
import type { Command } from '../command.ts';
import { withConnection } from '../connection.ts';
import { formatDuration, table, toDuration } from '../format.ts';
import { backlogLimit, topicJson, topicText } from '../resources.ts';

export const create: Command = {
  path: 'topics create',
  summary: 'Creates a topic.',
  args: 'TOPIC',
  positionals: [1, 1],
  flags: {
    'dedup-window': { type: 'string', value: 'DURATION', description: 'how long idempotency keys are remembered (default 2m, at most 7d)' },
    retention: { type: 'string', value: 'DURATION', description: 'settled messages older than this are trimmed (default 7d, at most 365d)' },
    'retention-messages': { type: 'string', value: 'N', description: 'keep at most N newest settled messages (default 0: no count limit)' },
    'max-backlog-messages': { type: 'string', value: 'N', description: "refuse publish when a subscription would hold more unsettled (default: the gateway's)" },
    'max-backlog-age': { type: 'string', value: 'DURATION', description: "refuse publish while a subscription's oldest unsettled is older (default: the gateway's)" },
  },
  details: 'Example:\n  relay topics create orders --dedup-window 10m --retention 3d',
  async run(input) {
    const dedupWindowMs = input.durationMs('dedup-window');
    const retentionMs = input.durationMs('retention');
    const maxBacklogAgeMs = input.durationMs('max-backlog-age');
    const topic = {
      name: input.positionals[0],
      dedupWindow: dedupWindowMs === undefined ? null : toDuration(dedupWindowMs),
      retentionDuration: retentionMs === undefined ? null : toDuration(retentionMs),
      retentionMessages: input.integer('retention-messages', 0, Number.MAX_SAFE_INTEGER) ?? 0,
      maxBacklogMessages: input.integer('max-backlog-messages', 1, Number.MAX_SAFE_INTEGER) ?? 0,
      maxBacklogAge: maxBacklogAgeMs === undefined ? null : toDuration(maxBacklogAgeMs),
    };
    const response = await withConnection(input, (relay) => relay.call<CreateTopicResponse__Output>(relay.admin, 'CreateTopic', { topic }));
    input.print(topicJson(response.topic!), () => `created topic ${response.topic!.name}\n${topicText(response.topic!)}`);
  },
};

export const list: Command = {
  path: 'topics list',
  summary: 'Lists every topic, in name order.',
  args: '',
  positionals: [0, 0],
  flags: {},
  async run(input) {
    const topics = await withConnection(input, async (relay) => {
      const all: Topic__Output[] = [];
      let pageToken = '';
      do {
        const page = await relay.call<ListTopicsResponse__Output>(relay.admin, 'ListTopics', { pageSize: 1000, pageToken });
        all.push(...page.topics);
        pageToken = page.nextPageToken;
      } while (pageToken);
      return all;
    });
    const documents = topics.map(topicJson);
    input.print(documents, () =>
      table(
        ['NAME', 'DEDUP WINDOW', 'RETENTION', 'RETENTION MESSAGES', 'MAX BACKLOG', 'CREATED'],
        documents.map((topic) => [
          topic.name,
          formatDuration(topic.dedupWindowMs),
          formatDuration(topic.retentionMs),
          topic.retentionMessages ? String(topic.retentionMessages) : '-',
          backlogLimit(topic),
          topic.createTime ?? '-',
        ]),
      ),
    );
  },
};

export const get: Command = {
  path: 'topics get',
  summary: "Shows a topic's settings.",
  args: 'TOPIC',
  positionals: [1, 1],
  flags: {},
  async run(input) {
    const { topic } = await withConnection(input, (relay) => relay.call<GetTopicResponse__Output>(relay.admin, 'GetTopic', { name: input.positionals[0] }));
    input.print(topicJson(topic!), () => topicText(topic!));
  },
};

export const remove: Command = {
  path: 'topics delete',
  summary: 'Deletes a topic and its messages (refused while it has subscriptions).',
  args: 'TOPIC',
  positionals: [1, 1],
  flags: {},
  async run(input) {
    const name = input.positionals[0]!;
    await withConnection(input, (relay) => relay.call(relay.admin, 'DeleteTopic', { name }));
    input.print({ name, deleted: true }, () => `deleted topic ${name}\n`);
  },
};
