// The TypeScript interop agent (contract: test/clients/interop.test.ts): publish, consume, transact.
// Usage: node --import tsx clients/typescript/examples/interop.ts <publish|consume|transact> --addr HOST:PORT ...
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { status } from '@grpc/grpc-js';
import { connect, type Message } from '../index.ts';

const [command, ...rest] = process.argv.slice(2);
const { values: args } = parseArgs({
  args: rest,
  options: {
    addr: { type: 'string' },
    topic: { type: 'string' },
    input: { type: 'string' },
    subscription: { type: 'string' },
    count: { type: 'string' },
    lang: { type: 'string', default: 'typescript' },
  },
});
const relay = connect({ address: args.addr, retry: { totalTimeoutMs: 10_000 } });

interface InputMessage {
  data?: string;
  attributes?: Record<string, string>;
  idempotency_key?: string;
}

const encoded = (message: Message) => ({
  message_id: message.id,
  data: message.data.toString('base64'),
  attributes: message.attributes,
  delivery_attempt: message.deliveryAttempt,
});

async function publish(): Promise<unknown> {
  const { messages } = JSON.parse(readFileSync(args.input!, 'utf8')) as { messages: InputMessage[] };
  // One Publish call: a publisher whose batch holds them all.
  const publisher = relay.publisher(args.topic!, { maxMessages: messages.length, maxBytes: Number.MAX_SAFE_INTEGER, lingerMs: 1000 });
  const ids = await Promise.all(
    messages.map((message) =>
      publisher.publish({ data: Buffer.from(message.data ?? '', 'base64'), attributes: message.attributes, idempotencyKey: message.idempotency_key }),
    ),
  );
  return { message_ids: ids };
}

async function consume(): Promise<unknown> {
  const count = Number(args.count);
  const acked = new Map<string, ReturnType<typeof encoded>>();
  const subscription = relay.subscribe(args.subscription!, { maxOutstandingMessages: 100 });
  for await (const message of subscription) {
    if (message.deliveryAttempt === 1) {
      await message.nack(0);
      continue;
    }
    await relay.subscriberCalls.ack({ subscription: subscription.name, receipts: [message.receipt] });
    if (!acked.has(message.id)) acked.set(message.id, encoded(message));
    if (acked.size >= count) break;
  }
  return { messages: [...acked.values()] };
}

async function transact(): Promise<unknown> {
  const subscription = relay.subscribe(args.subscription!, { maxOutstandingMessages: 1 });
  for await (const message of subscription) {
    const outputIds = await relay.transaction((tx) => {
      tx.publish(args.topic!, { data: message.data, attributes: { ...message.attributes, transformed_by: args.lang! } });
      tx.ack(message);
    });
    return { input_id: message.id, output_ids: outputIds };
  }
  throw new Error('the subscription ended before a message arrived');
}

const commands: Record<string, () => Promise<unknown>> = { publish, consume, transact };
try {
  if (!command || !commands[command]) throw new Error(`usage: interop.ts <${Object.keys(commands).join('|')}> --addr HOST:PORT ...`);
  console.log(JSON.stringify(await commands[command]()));
  await relay.close();
} catch (error) {
  const code = (error as { code?: number }).code;
  console.error(`${code === undefined ? 'ERROR' : status[code]}: ${(error as { details?: string }).details ?? (error as Error).message}`);
  process.exit(1);
}
