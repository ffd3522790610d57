// The interop matrix: the TypeScript, Python and Go interop agents (clients/*/interop) against one
// gateway on a private Redis. For every ordered pair, one language publishes a fixed set of awkward
// messages and the other consumes them (nack first, ack at attempt 2): payloads and attributes must
// arrive byte-exact. Every language also commits a consume-transform-produce transaction.
//
// The agents share one command line: `<agent> publish|consume|transact --addr HOST:PORT ...`, one
// JSON document on stdout, bytes in base64, exit 1 with the gRPC status name on stderr.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, publish, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

const languages = ['typescript', 'python', 'go'] as const;
type Language = (typeof languages)[number];

/** Nacked deliveries come back after 10 to 100 ms rather than the default 1 to 60 s. */
const quickRetry = { retryPolicy: { minimumBackoff: { nanos: 10_000_000 }, maximumBackoff: { nanos: 100_000_000 } } };

interface Message {
  data: Buffer;
  attributes: Record<string, string>;
  idempotencyKey?: string;
}

/** What every publisher sends: the payloads and attributes most likely to be mangled on the way. */
function awkwardMessages(id: string): Message[] {
  return [
    { data: Buffer.alloc(0), attributes: {} },
    { data: Buffer.from('Grüße, 世界 — 👋\n', 'utf8'), attributes: { 'schlüssel 🔑': 'wert ünd 値', empty: '' } },
    { data: Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), attributes: { kind: 'every byte 0x00-0xff' } },
    { data: Buffer.alloc(64 * 1024, Buffer.from([0x00, 0xff, 0x80, 0x7f, 0x0a, 0x0d, 0xc3, 0x28])), attributes: { kind: '64 KiB, not UTF-8' } },
    { data: Buffer.from('once'), attributes: { kind: 'idempotent' }, idempotencyKey: `key-${id}-ключ` },
  ];
}

interface Consumed {
  message_id: string;
  data: string;
  attributes: Record<string, string>;
  delivery_attempt: number;
}

const test = suite<{
  redis?: RedisServer;
  gateway?: GatewayProcess;
  client?: Client;
  scratch?: string;
  goAgent?: string;
  setupError?: unknown;
}>('interop');

// uvu 0.5 swallows an error thrown by a before hook: keep it for the tests to throw.
test.before(async (context) => {
  try {
    context.scratch = mkdtempSync(join(tmpdir(), 'relay-interop-'));
    context.goAgent = await buildGoAgent(context.scratch);
    context.redis = await startRedisServer();
    context.gateway = await startGateway({ REDIS_URL: context.redis.url });
    context.client = connect(context.gateway.address);
  } catch (error) {
    context.setupError = error;
  }
});

test.after(async (context) => {
  context.client?.close();
  await context.gateway?.stop();
  await context.redis?.stop();
  if (context.scratch) rmSync(context.scratch, { recursive: true, force: true });
});

/** Builds clients/go/cmd/interop with Debian's Go (clients/go/go.sh); the build cache is kept
 * between runs under the system's temporary directory, so only the first run compiles gRPC. */
async function buildGoAgent(scratch: string): Promise<string> {
  const output = join(scratch, 'interop-go');
  const cache = join(tmpdir(), 'relay-go-cache');
  mkdirSync(cache, { recursive: true });
  try {
    await run('clients/go/go.sh', ['build', '-o', output, './cmd/interop'], {
      cwd: root,
      timeout: 600_000,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: tmpdir(), GOCACHE: cache },
    });
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    throw new Error(`building the Go interop agent failed (Debian's golang-go, golang-google-grpc-dev and golang-google-protobuf-dev are needed; .ci/run installs them): ${error}\n${stderr}`);
  }
  return output;
}

/** Runs one command of one language's agent; resolves with its JSON answer. */
async function agent<T>(language: Language, context: { gateway?: GatewayProcess; goAgent?: string }, args: string[]): Promise<T> {
  const [file, prefix] = {
    typescript: [process.execPath, ['--import', 'tsx', 'clients/typescript/examples/interop.ts']],
    python: ['/usr/bin/python3', ['clients/python/interop.py']],
    go: [context.goAgent!, []],
  }[language] as [string, string[]];
  const [command, ...rest] = args;
  try {
    const { stdout } = await run(file, [...prefix, command!, '--addr', context.gateway!.address, ...rest], {
      cwd: root,
      timeout: 90_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PYTHONDONTWRITEBYTECODE: '1' },
    });
    return JSON.parse(stdout) as T;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`the ${language} agent failed on ${args.join(' ')}: ${error}\n${stdout.slice(0, 2000)}${stderr}`);
  }
}

async function settledEverywhere(client: Client, subscription: string): Promise<void> {
  const stats = await client.call<{ backlog: string; inFlight: string }>(client.admin, 'GetSubscriptionStats', { subscription });
  assert.equal([stats.backlog, stats.inFlight], ['0', '0'], `${subscription} still holds messages`);
}

for (const publisher of languages) {
  for (const consumer of languages) {
    test(`${consumer} reads what ${publisher} published byte-exact, each message nacked once and acked at attempt 2`, async (context) => {
      if (context.setupError) throw context.setupError;
      const { client, scratch } = context;
      const {
        topic,
        subscriptions: [subscription],
      } = await topicWithSubscriptions(client!, [quickRetry]);
      const sent = awkwardMessages(topic);
      const input = join(scratch!, `${topic}.json`);
      writeFileSync(
        input,
        JSON.stringify({
          messages: sent.map((m) => ({ data: m.data.toString('base64'), attributes: m.attributes, idempotency_key: m.idempotencyKey ?? '' })),
        }),
      );

      const { message_ids: ids } = await agent<{ message_ids: string[] }>(publisher, context, ['publish', '--topic', topic, '--input', input]);
      assert.is(ids.length, sent.length, `${publisher} published ${ids.length} of ${sent.length} messages`);
      assert.is(new Set(ids).size, sent.length, 'message ids are distinct');

      const { messages: received } = await agent<{ messages: Consumed[] }>(consumer, context, [
        'consume',
        '--subscription',
        subscription!,
        '--count',
        String(sent.length),
      ]);
      assert.equal(received.map((m) => m.message_id).sort(), [...ids].sort(), `${consumer} acked other messages than were published`);
      for (const message of received) {
        const want = sent[ids.indexOf(message.message_id)]!;
        const data = Buffer.from(message.data, 'base64');
        assert.ok(data.equals(want.data), `payload of ${message.message_id}: ${data.length} bytes, not the ${want.data.length} published`);
        assert.equal(message.attributes, want.attributes, `attributes of ${message.message_id}`);
        assert.is(message.delivery_attempt, 2, `${message.message_id} was acked at attempt ${message.delivery_attempt}`);
      }
      await settledEverywhere(client!, subscription!);

      // The idempotency key is remembered whoever published it: the repeat is a duplicate.
      const keyed = sent.findIndex((m) => m.idempotencyKey);
      const [repeat] = (await publish(client!, topic, [sent[keyed]!])).results;
      assert.equal(repeat, { messageId: ids[keyed]!, duplicate: true });
    });
  }
}

for (const language of languages) {
  test(`${language} consumes, transforms and produces in one transaction: the output arrives tagged, the input is acked`, async (context) => {
    if (context.setupError) throw context.setupError;
    const client = context.client!;
    const {
      topic: source,
      subscriptions: [input],
    } = await topicWithSubscriptions(client, [quickRetry]);
    const {
      topic: sink,
      subscriptions: [output],
    } = await topicWithSubscriptions(client);
    const attributes = { 'schlüssel 🔑': 'wert ünd 値', order: '42' };
    const data = Buffer.from([0x00, 0xff, ...Buffer.from('Grüße')]);
    const [published] = (await publish(client, source, [{ data, attributes }])).results;

    const answer = await agent<{ input_id: string; output_ids: string[] }>(language, context, [
      'transact',
      '--subscription',
      input!,
      '--topic',
      sink,
      '--lang',
      language,
    ]);
    assert.is(answer.input_id, published!.messageId);
    assert.is(answer.output_ids.length, 1);

    const reader = new TestSubscriber(client, output!);
    try {
      const [delivery] = await reader.take(1, 15_000);
      assert.is(delivery!.message!.messageId, answer.output_ids[0]);
      assert.ok(Buffer.from(delivery!.message!.data).equals(data), 'the output carries the input payload');
      assert.equal(delivery!.message!.attributes, { ...attributes, transformed_by: language });
    } finally {
      reader.cancel();
    }
    const inspected = await client.call<{ states: { subscription: string; state: string }[] }>(client.admin, 'InspectMessage', {
      topic: source,
      messageId: published!.messageId,
    });
    assert.equal(inspected.states, [{ ...inspected.states[0]!, subscription: input!, state: 'MESSAGE_STATE_ACKED' }]);
    await settledEverywhere(client, input!);
  });
}

test.run();
