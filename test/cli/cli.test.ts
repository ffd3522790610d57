// The relay CLI end to end: child processes of bin/relay against a gateway process on a private Redis.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commands } from '../../cli/commands.ts';
import { connect, sleep, TestSubscriber, uniqueName, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { freePort, startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { bin, json as runJson, jsonLines, ok, runCli, type CliOptions } from './run-cli.ts';

const test = suite<{ redis?: RedisServer; gateway?: GatewayProcess; client?: Client; setupError?: unknown }>('relay CLI');
let address = '';
const scratch = mkdtempSync(join(tmpdir(), 'relay-cli-'));

// uvu 0.5 swallows an error thrown by a before hook: keep it for the first test to throw.
test.before(async (context) => {
  try {
    context.redis = await startRedisServer();
    context.gateway = await startGateway({ REDIS_URL: context.redis.url, RELAY_POLL_INTERVAL_MS: '100' });
    address = context.gateway.address;
    context.client = connect(address);
  } catch (error) {
    context.setupError = error;
  }
});

test.before.each(({ setupError }) => {
  if (setupError) throw setupError;
});

test.after(async (context) => {
  context.client?.close();
  await context.gateway?.stop();
  await context.redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const withAddress = (options: CliOptions = {}): CliOptions => ({ ...options, env: { RELAY_ADDR: address, ...options.env } });
const relay = (args: string[], options?: CliOptions) => runCli(args, withAddress(options));

/** Commands whose --json output was parsed here; the last test checks that none was missed. */
const parsedJson = new Set<string>();
function record(args: readonly string[]): void {
  const path = commands[`${args[0]} ${args[1]}`] ? `${args[0]} ${args[1]}` : args[0]!;
  parsedJson.add(path);
}
async function json<T = any>(args: string[], options?: CliOptions): Promise<T> {
  const document = await runJson<T>(args, withAddress(options));
  record(args);
  return document;
}
async function deliveries(args: string[], options?: CliOptions): Promise<any[]> {
  const lines = await jsonLines(args, withAddress(options));
  record(args);
  return lines;
}

/** A new topic with one subscription that reads it from the start. */
async function topicAndSubscription(...flags: string[]) {
  const topic = uniqueName('topic');
  const subscription = uniqueName('sub');
  await ok(['topics', 'create', topic], withAddress());
  await ok(['subs', 'create', subscription, '--topic', topic, '--start', 'earliest', ...flags], withAddress());
  return { topic, subscription };
}

test('pub, then sub, then inspect shows the message acked', async () => {
  const { topic, subscription } = await topicAndSubscription();
  const published = await json(['pub', topic, 'hello', '--attr', 'kind=created', '--key', 'order-1']);
  assert.equal(published.topic, topic);
  assert.is(published.results.length, 1);
  assert.is(published.results[0].duplicate, false);
  const id = published.results[0].messageId;

  const [delivery, ...more] = await deliveries(['sub', subscription, '--limit', '1']);
  assert.is(more.length, 0);
  assert.is(delivery.messageId, id);
  assert.is(delivery.data, 'hello');
  assert.equal(delivery.attributes, { kind: 'created' });
  assert.is(delivery.deliveryAttempt, 1);
  assert.is(delivery.reason, 'first');

  const inspected = await json(['inspect', topic, id]);
  assert.is(inspected.states.length, 1);
  assert.equal([inspected.states[0].subscription, inspected.states[0].state], [subscription, 'acked']);
  assert.is(inspected.message.data, 'hello');
  const text = await relay(['inspect', topic, id]);
  assert.match(text.stdout, new RegExp(`^${subscription} +acked `, 'm'));
});

test('a bad topic name exits 1 with INVALID_ARGUMENT and the reason on stderr, nothing on stdout', async () => {
  const result = await relay(['pub', 'bad name!', 'hello']);
  assert.is(result.code, 1);
  assert.is(result.stdout, '');
  assert.match(result.stderr, /^INVALID_ARGUMENT: topic name "bad name!" must match /);
  const asJson = await relay(['pub', 'bad name!', 'hello', '--json']);
  assert.is(asJson.code, 1);
  assert.equal(JSON.parse(asJson.stderr).error.code, 'INVALID_ARGUMENT');
});

test('pub reads the payload from stdin with - and from a file with @, byte for byte', async () => {
  const { topic, subscription } = await topicAndSubscription();
  const binary = Buffer.from([0xff, 0x00, 0x0a, 0xe2, 0x82, 0xac, 0xc3]);
  await ok(['pub', topic, '-'], withAddress({ input: binary }));
  const file = join(scratch, 'payload.txt');
  writeFileSync(file, 'grüße\nzwei Zeilen\n');
  await ok(['pub', topic, `@${file}`], withAddress());
  await ok(['pub', topic], withAddress());

  const [fromStdin, fromFile, empty] = await deliveries(['sub', subscription, '--limit', '3']);
  assert.is(fromStdin.dataBase64, binary.toString('base64'));
  assert.is(fromStdin.data, null, 'bytes that are not UTF-8 have no text form');
  assert.is(fromFile.data, 'grüße\nzwei Zeilen\n');
  assert.is(empty.dataBase64, '');

  const missing = await relay(['pub', topic, `@${join(scratch, 'missing')}`]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*missing: ENOENT/);
});

test('pub --count numbers data, keys and attributes with {{n}}; publishing again answers duplicates with the same ids', async () => {
  const { topic, subscription } = await topicAndSubscription();
  const args = ['pub', topic, 'message {{n}}', '--count', '3', '--key', 'key-{{n}}', '--attr', 'n={{n}}'];
  const first = await json(args);
  assert.equal(first.results.map((result: any) => result.duplicate), [false, false, false]);
  const again = await json(args);
  assert.equal(again.results, first.results.map((result: any) => ({ ...result, duplicate: true })));

  const received = await deliveries(['sub', subscription, '--limit', '3']);
  assert.equal(received.map((delivery) => delivery.data), ['message 1', 'message 2', 'message 3']);
  assert.equal(received.map((delivery) => delivery.attributes.n), ['1', '2', '3']);
  const text = await relay(['pub', topic, 'x', '--count', '2']);
  assert.match(text.stdout, /^published 2 messages to \S+ in [\d.]+s/);
});

test('pub splits --count into Publish calls within the gateway limits: 1001 messages, 12 payloads of almost 1 MiB', async () => {
  const many = await topicAndSubscription();
  assert.is((await json(['pub', many.topic, 'm{{n}}', '--count', '1001'])).results.length, 1001);
  assert.is((await json(['stats', many.subscription])).backlog, 1001);
  const large = await topicAndSubscription();
  const file = join(scratch, 'large.bin');
  writeFileSync(file, Buffer.alloc(1024 * 1024 - 64, 7));
  assert.is((await json(['pub', large.topic, `@${file}`, '--count', '12'])).results.length, 12, '12 MiB in one call would exceed 10 MiB');
  assert.is((await json(['stats', large.subscription])).backlog, 12);
  const few = await relay(['pub', many.topic, 'x', '--count', '3', '--batch', '2']);
  assert.is(few.code, 0, few.stderr);
});

test('sub --limit N takes N and leaves the others on their first attempt', async () => {
  const { topic, subscription } = await topicAndSubscription();
  const { results } = await json(['pub', topic, 'm{{n}}', '--count', '5']);
  const first = await deliveries(['sub', subscription, '--limit', '2']);
  const rest = await deliveries(['sub', subscription, '--limit', '3']);
  assert.equal([...first, ...rest].map((delivery) => delivery.messageId), results.map((result: any) => result.messageId));
  assert.equal(rest.map((delivery) => delivery.deliveryAttempt), [1, 1, 1]);
  const stats = await json(['stats', subscription]);
  assert.equal([stats.backlog, stats.inFlight], [0, 0]);
});

test('sub --no-ack leaves the message unsettled: the next sub gets it again on attempt 2', async () => {
  const { topic, subscription } = await topicAndSubscription();
  const { results } = await json(['pub', topic, 'again']);
  const [unsettled] = await deliveries(['sub', subscription, '--limit', '1', '--no-ack']);
  assert.is(unsettled.deliveryAttempt, 1);
  const [redelivered] = await deliveries(['sub', subscription, '--limit', '1']);
  assert.is(redelivered.messageId, results[0].messageId);
  assert.is(redelivered.deliveryAttempt, 2);
  assert.is(redelivered.reason, 'consumer_lost');
});

test('sub --limit past the 1000-message stream window: 1201 unsettled with --no-ack, then 1201 acked', async () => {
  const { topic, subscription } = await topicAndSubscription();
  await json(['pub', topic, 'm{{n}}', '--count', '1201']);
  const unsettled = await deliveries(['sub', subscription, '--limit', '1201', '--no-ack'], { timeoutMs: 120_000 });
  assert.is(new Set(unsettled.map((delivery) => delivery.messageId)).size, 1201);
  const acked = await deliveries(['sub', subscription, '--limit', '1201'], { timeoutMs: 120_000 });
  assert.is(new Set(acked.map((delivery) => delivery.messageId)).size, 1201);
  assert.ok(acked.every((delivery) => delivery.deliveryAttempt === 2));
  const stats = await json(['stats', subscription]);
  assert.equal([stats.backlog, stats.inFlight], [0, 0]);
});

test('sub of an unknown subscription exits 1 with NOT_FOUND', async () => {
  const result = await relay(['sub', uniqueName('missing'), '--limit', '1']);
  assert.is(result.code, 1);
  assert.match(result.stderr, /^NOT_FOUND: /);
});

test('Ctrl-C (SIGINT) ends sub with exit 0: what it printed is acked, nothing else is lost', async () => {
  const { topic, subscription } = await topicAndSubscription();
  const { results } = await json(['pub', topic, 'first']);
  const child = spawn(process.execPath, [bin, 'sub', subscription, '--json'], { env: { PATH: process.env.PATH ?? '', RELAY_ADDR: address } });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  try {
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('\n') && Date.now() < deadline) await sleep(50);
    assert.is(JSON.parse(stdout).messageId, results[0].messageId);
    // The ack was queued as the line was printed; the stop waits for it.
    child.kill('SIGINT');
    assert.is(await exited, 0);
  } finally {
    child.kill('SIGKILL');
  }
  assert.is((await json(['inspect', topic, results[0].messageId])).states[0].state, 'acked');
  const { results: later } = await json(['pub', topic, 'second']);
  const [next] = await deliveries(['sub', subscription, '--limit', '1']);
  assert.equal([next.messageId, next.deliveryAttempt], [later[0].messageId, 1]);
});

test('sub --no-ack holds what it printed while it runs (leases extended past 3 ack deadlines), then releases it', async ({ client }) => {
  const { topic, subscription } = await topicAndSubscription('--ack-deadline', '1s');
  const { results } = await json(['pub', topic, 'held']);
  const child = spawn(process.execPath, [bin, 'sub', subscription, '--no-ack', '--json'], { env: { PATH: process.env.PATH ?? '', RELAY_ADDR: address } });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let other: TestSubscriber | undefined;
  try {
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('\n') && Date.now() < deadline) await sleep(50);
    assert.is(JSON.parse(stdout).messageId, results[0].messageId);
    // A second consumer, competing: it gets the message only once relay sub lets it go.
    other = new TestSubscriber(client!, subscription);
    await sleep(3500);
    const seen = other.deliveries.map((delivery) => `${delivery.deliveryAttempt} ${delivery.reason} ${delivery.message!.messageId}`);
    assert.is(other.deliveries.length, 0, `redelivered while relay sub still held it: ${seen.join(', ')} (relay sub printed ${stdout})`);
    child.kill('SIGINT');
    assert.is(await exited, 0);
    const [again] = await other.take(1, 10_000);
    assert.equal([again!.message!.messageId, again!.deliveryAttempt], [results[0].messageId, 2]);
  } finally {
    child.kill('SIGKILL');
    other?.cancel();
  }
});

test('sub prints each delivery for people: number, id, attempt, attributes and payload', async () => {
  const { topic, subscription } = await topicAndSubscription();
  const { results } = await json(['pub', topic, 'for people', '--attr', 'kind=created', '--ordering-key', 'customer-7']);
  const { stdout } = await relay(['sub', subscription, '--limit', '1']);
  assert.match(stdout, new RegExp(`^\\[#1\\] ${results[0].messageId} attempt 1 \\(first\\)\\n`));
  assert.match(stdout, /ordering key +customer-7\n/);
  assert.match(stdout, /attributes +kind=created\n/);
  assert.match(stdout, /\nfor people\n$/);
});

test('inspect shows the trace id of a traced publish and, with RELAY_JAEGER_URL, its Jaeger link', async () => {
  const { topic } = await topicAndSubscription();
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const { results } = await json(['pub', topic, 'traced', '--traceparent', `00-${traceId}-b7ad6b7169203331-01`]);
  const id = results[0].messageId;
  const jaeger = { env: { RELAY_JAEGER_URL: 'http://jaeger.example:16686/' } };
  const inspected = await json(['inspect', topic, id], jaeger);
  assert.is(inspected.traceId, traceId);
  assert.is(inspected.traceUrl, `http://jaeger.example:16686/trace/${traceId}`);
  assert.match((await relay(['inspect', topic, id], jaeger)).stdout, new RegExp(`^trace +http://jaeger.example:16686/trace/${traceId}$`, 'm'));
  assert.is((await json(['inspect', topic, id])).traceUrl, null);
  const unknown = await relay(['inspect', topic, '1-0']);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /^NOT_FOUND: /);
});

test('topics create, get, list and delete, with their settings', async () => {
  const topic = uniqueName('topic');
  const created = await json([
    'topics', 'create', topic, '--dedup-window', '10m', '--retention', '3d', '--retention-messages', '1000',
    '--max-backlog-messages', '5000', '--max-backlog-age', '1h',
  ]);
  assert.equal(
    { ...created, createTime: undefined },
    {
      name: topic, dedupWindowMs: 600_000, retentionMs: 3 * 86_400_000, retentionMessages: 1000,
      maxBacklogMessages: 5000, maxBacklogAgeMs: 3_600_000, createTime: undefined,
    },
  );
  assert.ok(Date.parse(created.createTime) > 0);
  assert.equal(await json(['topics', 'get', topic]), created);
  const listed = await json<any[]>(['topics', 'list']);
  assert.equal(listed.find((entry) => entry.name === topic), created);
  assert.match((await relay(['topics', 'list'])).stdout, new RegExp(`^${topic} +10m +3d +1000 +5000 messages, 1h `, 'm'));

  const again = await relay(['topics', 'create', topic]);
  assert.is(again.code, 1);
  assert.match(again.stderr, /^ALREADY_EXISTS: /);
  assert.equal(await json(['topics', 'delete', topic]), { name: topic, deleted: true });
  const gone = await relay(['topics', 'get', topic]);
  assert.is(gone.code, 1);
  assert.match(gone.stderr, /^NOT_FOUND: /);
});

test('a topic created with --max-backlog-messages 2 takes 2 unsettled messages and refuses the third with RESOURCE_EXHAUSTED', async () => {
  const topic = uniqueName('topic');
  await ok(['topics', 'create', topic, '--max-backlog-messages', '2'], withAddress());
  await ok(['subs', 'create', uniqueName('sub'), '--topic', topic], withAddress());
  assert.is((await json(['pub', topic, 'm{{n}}', '--count', '2'])).results.length, 2);
  const refused = await relay(['pub', topic, 'one too many']);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /^RESOURCE_EXHAUSTED: /);
});

test('topics list pages through more than 1000 topics', async ({ client }) => {
  const prefix = uniqueName('page');
  const names = Array.from({ length: 1001 }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  for (let start = 0; start < names.length; start += 100) {
    await Promise.all(names.slice(start, start + 100).map((name) => client!.call(client!.admin, 'CreateTopic', { topic: { name } })));
  }
  const listed = (await json<any[]>(['topics', 'list'])).map((topic) => topic.name);
  assert.equal(listed.filter((name) => name.startsWith(prefix)), names);
  assert.equal(listed, [...listed].sort(), 'in name order');
  await Promise.all(names.map((name) => client!.call(client!.admin, 'DeleteTopic', { name })));
});

test('subs create, get, list and delete, with every creation setting', async () => {
  const topic = uniqueName('topic');
  const deadLetters = uniqueName('dlq');
  const name = uniqueName('sub');
  await ok(['topics', 'create', topic], withAddress());
  await ok(['topics', 'create', deadLetters], withAddress());
  const created = await json([
    'subs', 'create', name, '--topic', topic, '--ack-deadline', '45s', '--start', 'earliest', '--min-backoff', '500ms',
    '--max-backoff', '20s', '--max-delivery-attempts', '3', '--dead-letter-topic', deadLetters, '--ordering',
  ]);
  assert.equal(
    { ...created, createTime: undefined },
    {
      name, topic, ackDeadlineMs: 45_000, startPosition: 'earliest', minBackoffMs: 500, maxBackoffMs: 20_000,
      maxDeliveryAttempts: 3, deadLetterTopic: deadLetters, ordering: true, createTime: undefined,
    },
  );
  assert.equal(await json(['subs', 'get', name]), created);
  assert.equal(await json(['subs', 'list', '--topic', topic]), [created]);
  assert.ok((await json<any[]>(['subs', 'list'])).some((entry) => entry.name === name));

  const refused = await relay(['topics', 'delete', topic]);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /^FAILED_PRECONDITION: /);
  const badDeadline = await relay(['subs', 'create', uniqueName('sub'), '--topic', topic, '--ack-deadline', '11m']);
  assert.is(badDeadline.code, 1);
  assert.match(badDeadline.stderr, /^INVALID_ARGUMENT: /);

  assert.equal(await json(['subs', 'delete', name]), { name, deleted: true });
  assert.equal(await json(['subs', 'list', '--topic', topic]), []);
  await ok(['topics', 'delete', topic], withAddress());
});

test('seek by message id and by time makes acked messages deliverable again', async () => {
  const { topic, subscription } = await topicAndSubscription();
  const before = new Date(Date.now() - 60_000).toISOString();
  const { results } = await json(['pub', topic, 'm{{n}}', '--count', '3']);
  const ids = results.map((result: any) => result.messageId);
  await deliveries(['sub', subscription, '--limit', '3']);
  assert.is((await json(['stats', subscription])).backlog, 0);

  assert.equal(await json(['seek', subscription, '--message-id', ids[1]]), { subscription, messageId: ids[1] });
  assert.is((await json(['stats', subscription])).backlog, 2);
  const again = await deliveries(['sub', subscription, '--limit', '2']);
  assert.equal(again.map((delivery) => delivery.messageId), ids.slice(1));
  assert.equal(again.map((delivery) => delivery.reason), ['seek', 'seek']);

  await json(['seek', subscription, '--time', before]);
  assert.is((await json(['stats', subscription])).backlog, 3);
  await json(['seek', subscription, '--time', 'now']);
  assert.is((await json(['stats', subscription])).backlog, 0);
  const neither = await relay(['seek', subscription]);
  assert.is(neither.code, 2);
  assert.match(neither.stderr, /give exactly one of --time and --message-id/);
});

test('stats counts the backlog, the in-flight deliveries and the age of the oldest', async ({ client }) => {
  const { topic, subscription } = await topicAndSubscription();
  await json(['pub', topic, 'm{{n}}', '--count', '4']);
  const waiting = await json(['stats', subscription]);
  assert.equal([waiting.subscription, waiting.backlog, waiting.inFlight, waiting.deadLettered], [subscription, 4, 0, 0]);
  const holder = new TestSubscriber(client!, subscription, { maxOutstandingMessages: 1 });
  await holder.take(1);
  await sleep(50);
  const stats = await json(['stats', subscription]);
  assert.equal([stats.backlog, stats.inFlight], [3, 1]);
  assert.ok(stats.oldestUnackedAgeMs > 0);
  assert.match((await relay(['stats', subscription])).stdout, /^in flight +1$/m);
  holder.cancel();
});

test('dlq redrive brings a dead letter back to its source topic', async ({ client }) => {
  const deadLetters = uniqueName('dlq');
  await ok(['topics', 'create', deadLetters], withAddress());
  const watcher = uniqueName('sub');
  await ok(['subs', 'create', watcher, '--topic', deadLetters, '--start', 'earliest'], withAddress());
  const { topic, subscription } = await topicAndSubscription('--dead-letter-topic', deadLetters);
  const { results } = await json(['pub', topic, 'poison']);
  // Rejected by a consumer of the raw stubs: the message moves to the dead-letter topic at once.
  const consumer = new TestSubscriber(client!, subscription);
  const [delivery] = await consumer.take(1);
  await client!.call(client!.subscriber, 'Reject', { subscription, receipts: [delivery!.receipt], reason: 'cannot parse' });
  consumer.cancel();

  assert.is((await json(['stats', subscription])).deadLettered, 1);
  const inspected = await json(['inspect', topic, results[0].messageId]);
  assert.equal([inspected.states[0].state, inspected.states[0].lastError], ['dead_lettered', 'cannot parse']);
  const [letter] = await deliveries(['sub', watcher, '--limit', '1', '--no-ack']);
  assert.equal(letter.deadLetter, { sourceTopic: topic, subscription, reason: 'cannot parse', deliveryAttempts: 1 });

  assert.equal(await json(['dlq', 'redrive', deadLetters]), { deadLetterTopic: deadLetters, redriven: 1 });
  const [redriven] = await deliveries(['sub', subscription, '--limit', '1']);
  assert.is(redriven.data, 'poison');
  assert.is(redriven.reason, 'redrive');
  assert.match((await relay(['dlq', 'redrive', deadLetters])).stdout, /^redrove 0 messages from /);
});

test('txn prepare stages messages unseen until commit; commit repeats its answer; abort discards', async () => {
  const a = await topicAndSubscription();
  const b = await topicAndSubscription();
  const prepared = await json(['txn', 'prepare', '--message', `${a.topic}=one`, '--message', `${b.topic}=two`, '--timeout', '30s']);
  assert.is(prepared.messages, 2);
  assert.ok(Date.parse(prepared.expireTime) > Date.now());
  assert.is((await json(['stats', a.subscription])).backlog, 0);

  const committed = await json(['txn', 'commit', prepared.transactionId]);
  assert.is(committed.messageIds.length, 2);
  assert.equal(await json(['txn', 'commit', prepared.transactionId]), committed);
  const [one] = await deliveries(['sub', a.subscription, '--limit', '1']);
  const [two] = await deliveries(['sub', b.subscription, '--limit', '1']);
  assert.equal([one.messageId, one.data, two.messageId, two.data], [committed.messageIds[0], 'one', committed.messageIds[1], 'two']);

  const dropped = await json(['txn', 'prepare', '--message', `${a.topic}=three`, '--id', uniqueName('tx')]);
  assert.equal(await json(['txn', 'abort', dropped.transactionId]), { transactionId: dropped.transactionId, aborted: true });
  const late = await relay(['txn', 'commit', dropped.transactionId]);
  assert.is(late.code, 1);
  assert.match(late.stderr, /^ABORTED: /);
  assert.is((await json(['stats', a.subscription])).backlog, 0);
});

test('txn prepare --ack settles a delivery at commit, with the messages', async ({ client }) => {
  const input = await topicAndSubscription();
  const output = await topicAndSubscription();
  const { results } = await json(['pub', input.topic, 'in']);
  const consumer = new TestSubscriber(client!, input.subscription);
  const [delivery] = await consumer.take(1);
  const { transactionId } = await json(['txn', 'prepare', '--message', `${output.topic}=out`, '--ack', `${input.subscription}=${delivery!.receipt}`]);
  await json(['txn', 'commit', transactionId]);
  consumer.cancel();
  const inspected = await json(['inspect', input.topic, results[0].messageId]);
  assert.is(inspected.states[0].state, 'acked');
  assert.is((await json(['stats', output.subscription])).backlog, 1);
});

test('health answers SERVING; an unknown service is NOT_FOUND; no gateway is UNAVAILABLE', async () => {
  assert.equal(await json(['health']), { address, service: '', status: 'SERVING' });
  assert.is((await relay(['health', '--service', 'relay.v1.PublisherService'])).stdout, 'SERVING\n');
  const unknown = await relay(['health', '--service', 'no.such.Service']);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /^NOT_FOUND: /);
  const nobody = await runCli(['health', '--addr', `127.0.0.1:${await freePort()}`]);
  assert.is(nobody.code, 1);
  assert.match(nobody.stderr, /^UNAVAILABLE: /);
});

test('bench with a small count prints msgs/s and latency percentiles, and deletes its topic', async () => {
  const result = await json(['bench', '--count', '300', '--batch', '30', '--in-flight', '2', '--payload-bytes', '64']);
  assert.equal([result.count, result.batch, result.inFlight, result.payloadBytes, result.rate], [300, 30, 2, 64, null]);
  for (const phase of [result.publish, result.endToEnd]) {
    assert.ok(phase.msgsPerSecond > 0 && phase.seconds > 0);
    const latency = phase.callLatencyMs ?? phase.latencyMs;
    assert.ok(latency.p50 <= latency.p90 && latency.p90 <= latency.p99 && latency.p99 <= latency.max, JSON.stringify(latency));
  }
  const names = (await json<any[]>(['topics', 'list'])).map((topic) => topic.name);
  assert.not.ok(names.some((name) => name.startsWith('relay-bench-')), names.join());

  const piped = await relay(['bench', '--count', '200']);
  assert.not.match(piped.stdout, /\r/, 'no progress bar when stdout is not a terminal');
  assert.match(piped.stdout, /^end to end +\d+ msgs\/s/m);
  assert.match(piped.stdout, /^publish to delivery +p50 [\d.]+ ms +p90 [\d.]+ ms +p99 [\d.]+ ms +max [\d.]+ ms$/m);
});

test('bench --rate paces publishing; a payload over the gateway limit fails the run and still cleans up', async () => {
  const paced = await json(['bench', '--count', '200', '--rate', '400', '--batch', '5']);
  assert.is(paced.rate, 400);
  assert.ok(paced.publish.seconds >= 0.45, `200 messages at 400/s took ${paced.publish.seconds}s`);
  const atLimit = await json(['bench', '--count', '2', '--payload-bytes', String(1024 * 1024)]);
  assert.is(atLimit.endToEnd.msgsPerSecond > 0, true);
  const over = await relay(['bench', '--count', '2', '--payload-bytes', String(1024 * 1024 + 1)]);
  assert.is(over.code, 1);
  assert.match(over.stderr, /^INVALID_ARGUMENT: /);
  const names = (await json<any[]>(['topics', 'list'])).map((topic) => topic.name);
  assert.not.ok(names.some((name) => name.startsWith('relay-bench-')), names.join());
});

test('Ctrl-C (SIGINT) stops bench with exit 1 and still deletes its topic and subscription', async () => {
  const child = spawn(process.execPath, [bin, 'bench', '--count', '1000000', '--rate', '500', '--batch', '10'], {
    env: { PATH: process.env.PATH ?? '', RELAY_ADDR: address },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  try {
    const deadline = Date.now() + 30_000;
    const benchTopics = async () => (await json<any[]>(['topics', 'list'])).filter((topic) => topic.name.startsWith('relay-bench-'));
    while ((await benchTopics()).length === 0) assert.ok(Date.now() < deadline, 'bench created no topic within 30 s');
    await sleep(1000);
    child.kill('SIGINT');
    assert.is(await exited, 1);
    assert.match(stderr, /^ERROR: interrupted \(\d+ of 1000000 received\)/);
    assert.equal(await benchTopics(), []);
  } finally {
    child.kill('SIGKILL');
  }
});

test('bench draws a progress bar when stdout is a terminal', async () => {
  // script(1) gives the command a pseudo-terminal.
  const command = `'${process.execPath}' '${bin}' bench --count 300 --batch 10`;
  const result = await runCli([], withAddress({ command: ['script', '-qec', command, '/dev/null'] }));
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /\r\[[#.]{30}\] \d+% \d+\/300 msgs/);
  assert.match(result.stdout, /end to end +\d+ msgs\/s/);
});

test('every command prints one parsable JSON document with --json (JSON lines for sub)', () => {
  const expected = Object.keys(commands).filter((path) => path !== 'serve');
  assert.equal(expected.filter((path) => !parsedJson.has(path)), []);
});

test.run();
