// relay pub TOPIC [DATA|-|@file]
import type { PublishMessage } from '../../generated/ts/relay/v1/PublishMessage.ts';
import type { PublishResponse__Output } from '../../generated/ts/relay/v1/PublishResponse.ts';
import type { PublishResult__Output } from '../../generated/ts/relay/v1/PublishResult.ts';
import { UsageError, type Command } from '../command.ts';
import { withConnection } from '../connection.ts';
import { readData } from '../payload.ts';

/** Bytes per Publish call (payloads and attributes), well under the gateway's default 10 MiB. */
const batchBytes = 4 * 1024 * 1024;

function sizeOf(message: PublishMessage): number {
  const attributes = Object.entries(message.attributes ?? {}).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  return (message.data as Buffer).length + attributes;
}

/** Replaces `{{n}}` with the message's number (1 to --count). */
function numbered(text: string, n: number): string {
  return text.replaceAll('{{n}}', String(n));
}

export const pub: Command = {
  path: 'pub',
  summary: 'Publishes messages to a topic.',
  args: 'TOPIC [DATA|-|@file]',
  positionals: [1, 2],
  flags: {
    attr: { type: 'string', multiple: true, value: 'KEY=VALUE', description: 'an attribute' },
    key: { type: 'string', value: 'KEY', description: 'idempotency key: a repeat within the dedup window is not stored again' },
    'ordering-key': { type: 'string', value: 'KEY', description: 'messages with one ordering key are delivered in order' },
    count: { type: 'string', value: 'N', description: 'publish N messages (default 1)' },
    batch: { type: 'string', value: 'N', description: 'at most N messages per Publish call (default 1000, the gateway default limit)' },
    traceparent: { type: 'string', value: 'TRACEPARENT', description: "W3C trace context to continue (00-<trace id>-<span id>-<flags>)" },
  },
  details: [
    'DATA is the payload as text; - reads it from stdin, @file from a file; without it the payload is empty.',
    'With --count, {{n}} in a text DATA, --key and attribute values becomes the message number (1 to N).',
    '',
    'Examples:',
    "  relay pub orders 'hello' --attr kind=created --key order-1",
    '  relay pub orders @order.json --ordering-key customer-7',
    "  relay pub orders 'order {{n}}' --count 100 --key 'order-{{n}}'",
  ].join('\n'),
  async run(input) {
    const topic = input.positionals[0]!;
    const count = input.integer('count', 1, 10_000_000) ?? 1;
    const batchMessages = input.integer('batch', 1, 10_000) ?? 1000;
    const data = readData(input.positionals[1]);
    const attributes = input.pairs('attr');
    const key = input.string('key') ?? '';
    const orderingKey = input.string('ordering-key') ?? '';
    const traceparent = input.string('traceparent');
    if (traceparent !== undefined && !/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(traceparent)) {
      throw new UsageError(`--traceparent must look like 00-<32 hex>-<16 hex>-<2 hex>, got ${JSON.stringify(traceparent)}`);
    }
    const headers: Record<string, string> = traceparent === undefined ? {} : { traceparent };
    const message = (n: number): PublishMessage => ({
      data: data.literal ? Buffer.from(numbered(data.bytes.toString('utf8'), n)) : data.bytes,
      attributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, numbered(value, n)])),
      idempotencyKey: numbered(key, n),
      orderingKey,
    });

    const started = performance.now();
    const results = await withConnection(input, async (relay) => {
      const results: PublishResult__Output[] = [];
      let batch: PublishMessage[] = [];
      let bytes = 0;
      const flush = async () => {
        const response = await relay.call<PublishResponse__Output>(relay.publisher, 'Publish', { topic, messages: batch }, headers);
        results.push(...response.results);
        batch = [];
        bytes = 0;
      };
      for (let n = 1; n <= count; n++) {
        const next = message(n);
        const size = sizeOf(next);
        if (batch.length === batchMessages || (batch.length > 0 && bytes + size > batchBytes)) await flush();
        batch.push(next);
        bytes += size;
      }
      await flush();
      return results;
    });
    const seconds = (performance.now() - started) / 1000;
    const duplicates = results.filter((result) => result.duplicate).length;
    input.print({ topic, results: results.map(({ messageId, duplicate }) => ({ messageId, duplicate })) }, () => {
      if (results.length === 1) return `published ${results[0]!.messageId} to ${topic}${duplicates ? ' (duplicate: stored before)' : ''}\n`;
      const rate = Math.round(results.length / seconds);
      return `published ${results.length} messages to ${topic} in ${seconds.toFixed(2)}s (${rate} msgs/s, ${duplicates} duplicates)\n`;
    });
  },
};
