// Hostile names and user text against the Redis key space and the scripts: after a run that uses the
// most awkward names validation allows (and tries those it refuses) with braces, colons, `*`, Lua
// and non-ASCII in every piece of user text, every key and channel the gateway created follows
// adapters/redis/keys.ts, and every script Redis ran is one of the files in adapters/redis/scripts,
// by SHA (MONITOR sees every command, also the EVAL that loads a script).
import { status } from '@grpc/grpc-js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { scriptSource } from '../../adapters/redis/scripts.ts';
import { publish, sleep, statusOf, TestSubscriber } from '../helpers/client.ts';
import { startInProcess } from '../helpers/in-process.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const test = suite('hostile names');

/** User text that would break a key layout, a glob or a script if it ever got into one. */
const hostile = [
  '{tag}',
  'a:b:c',
  '*',
  '?[a-z]\\',
  'relay:topics',
  'ünïcödé ✓ 🚀',
  '\n\r\t"\'',
  "') redis.call('FLUSHALL') --",
  ']]..--[[',
  'k'.repeat(256),
];

const longTopic = 'T' + 'x'.repeat(199);
const longSubscription = 'S' + 'y'.repeat(199);
/** Valid names that look like parts of the key layout. */
const deadLetterTopic = 'relay';
const names = {
  topics: [longTopic, deadLetterTopic],
  subscriptions: [longSubscription, 'subscriptions', 'a.b-c_d'],
};
const transactionId = 'tx.-_1';

const NAME = '[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}';
/** Every key adapters/redis/keys.ts builds; the named groups are checked against the names used. */
const keyGrammar = [
  /^relay:(?:topics|subscriptions|subscription-topics|transaction-deadlines)$/,
  new RegExp(`^relay:\\{(?<topic>${NAME})\\}:(?:topic|stream|subscriptions|idem:\\d+)$`),
  new RegExp(`^relay:\\{(?<topic>${NAME})\\}:(?:sub|due|why|notes|dead|holders|dead-letters|unseen):(?<subscription>${NAME})$`),
  new RegExp(`^relay:\\{(?<topic>${NAME})\\}:parked:(?<subscription>${NAME}):[0-9a-f]{40}$`),
  /^relay:txn:\{(?<transaction>[a-zA-Z0-9._-]{1,128})\}(?::messages|:acks)?$/,
];

/** The SHA-1 of every script file, as ioredis sends it with EVALSHA. */
function scriptShas(): Set<string> {
  const directory = new URL('../../adapters/redis/scripts/', import.meta.url);
  const files = readdirSync(directory).filter((file) => file.endsWith('.lua'));
  return new Set(files.map((file) => createHash('sha1').update(scriptSource(file)).digest('hex')));
}

/** Undoes the quoting MONITOR applies to arguments (Redis's sdscatrepr). */
function unquote(text: string): string {
  return text.replace(/\\(x[0-9a-f]{2}|.)/g, (_, escape: string) => {
    if (escape.startsWith('x') && escape.length === 3) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' } as Record<string, string>)[escape] ?? escape;
  });
}

test('every key and channel follows keys.ts and every script run is a file, after a run with hostile names and text', async () => {
  const redis = await startRedisServer();
  const monitor: ChildProcess = spawn('redis-cli', ['-p', String(redis.port), 'monitor'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let monitored = '';
  monitor.stdout!.setEncoding('latin1');
  monitor.stdout!.on('data', (chunk: string) => (monitored += chunk));
  while (!monitored.startsWith('OK')) await sleep(20);
  const running = await startInProcess(
    { store: new RedisMessageStore({ url: redis.url }), cleanup: () => redis.stop() },
    { RELAY_TRIM_INTERVAL_MS: '200' },
  );
  const { client } = running;
  const call = <T>(service: 'admin' | 'subscriber' | 'transactions', method: string, request: object) =>
    client.call<T>(client[service], method, request);
  const streams: TestSubscriber[] = [];
  // The outer finally stops the monitor and the Redis server whatever fails: left running, they keep this file's process alive.
  try {
    try {
      // Names validation refuses never reach Redis.
      for (const name of ['a{b}', '{a}', 'a:b', 'a*', '*', 'ünï', 'a b', 'x'.repeat(201), '.a', '-a', 'a\n', ...hostile]) {
        assert.is(await statusOf(call('admin', 'CreateTopic', { topic: { name } })), status.INVALID_ARGUMENT, JSON.stringify(name));
        assert.is(
          await statusOf(call('admin', 'CreateSubscription', { subscription: { name, topic: longTopic } })),
          status.INVALID_ARGUMENT,
          JSON.stringify(name),
        );
      }

      for (const name of names.topics) await call('admin', 'CreateTopic', { topic: { name, maxBacklogMessages: 1000 } });
      const earliest = 'START_POSITION_EARLIEST';
      await call('admin', 'CreateSubscription', {
        subscription: {
          name: longSubscription,
          topic: longTopic,
          startPosition: earliest,
          enableOrdering: true,
          deadLetterTopic,
          maxDeliveryAttempts: 2,
          retryPolicy: { minimumBackoff: { nanos: 10_000_000 }, maximumBackoff: { nanos: 20_000_000 } },
        },
      });
      await call('admin', 'CreateSubscription', { subscription: { name: 'subscriptions', topic: longTopic, startPosition: earliest } });
      await call('admin', 'CreateSubscription', { subscription: { name: 'a.b-c_d', topic: deadLetterTopic, startPosition: earliest } });

      // Hostile text everywhere a message carries user text; each ordering key twice, so some are parked.
      const messages = [...hostile, ...hostile].map((text, i) => ({
        data: Buffer.from(text),
        attributes: { [text.slice(0, 200)]: text, 'a:*{}': text },
        orderingKey: text,
        idempotencyKey: `${text.slice(0, 250)}${i}`,
      }));
      await publish(client, longTopic, messages);
      assert.equal((await publish(client, longTopic, messages.slice(0, 3))).results.map((r: { duplicate: boolean }) => r.duplicate), [true, true, true]);

      // Settle every way there is, with hostile reasons: nack (then the retries run out), reject, ack.
      const consumer = new TestSubscriber(client, longSubscription);
      const deadLetters = new TestSubscriber(client, 'a.b-c_d');
      streams.push(consumer, deadLetters);
      const firsts = await consumer.take(hostile.length, 10_000);
      await call('subscriber', 'Nack', { subscription: longSubscription, receipts: [firsts[0]!.receipt], reason: hostile[7] });
      await call('subscriber', 'Reject', { subscription: longSubscription, receipts: [firsts[1]!.receipt], reason: hostile[0] });
      await call('subscriber', 'Ack', { subscription: longSubscription, receipts: firsts.slice(2).map((d) => d.receipt) });
      await consumer.until(() => consumer.deliveries.some((d) => d.deliveryAttempt === 2), 10_000, 'the nacked message again');
      const again = consumer.deliveries.find((d) => d.deliveryAttempt === 2)!;
      await call('subscriber', 'Nack', { subscription: longSubscription, receipts: [again.receipt], reason: hostile[5] });
      await deadLetters.until(() => deadLetters.deliveries.length >= 2, 10_000, 'two dead letters');
      await call('subscriber', 'Ack', { subscription: 'a.b-c_d', receipts: deadLetters.deliveries.map((d) => d.receipt) });
      assert.is((await call<{ redriven: string }>('admin', 'Redrive', { deadLetterTopic })).redriven, '2');

      await call('admin', 'Seek', { subscription: 'subscriptions', time: { seconds: 0 } });
      await call('admin', 'GetSubscriptionStats', { subscription: 'subscriptions' });
      await call('admin', 'InspectMessage', { topic: longTopic, messageId: firsts[0]!.message!.messageId });

      const other = new TestSubscriber(client, 'subscriptions', { maxOutstandingMessages: 1 });
      streams.push(other);
      const [held] = await other.take(1, 10_000);
      await call('transactions', 'Prepare', {
        transactionId,
        messages: [{ topic: longTopic, data: Buffer.from(hostile[3]!), attributes: { [hostile[2]!]: hostile[4]! }, orderingKey: hostile[1] }],
        acks: [{ subscription: 'subscriptions', receipt: held!.receipt }],
      });
      await call('transactions', 'Commit', { transactionId });
      await sleep(500); // housekeeping (trim, dead-letter outboxes) runs at least once

      const channels = spawnSync('redis-cli', ['-p', String(redis.port), 'pubsub', 'channels'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      const streamStates = streams.map((stream) => (stream.error ? String(stream.error) : stream.ended ? 'ended' : 'open'));
      assert.ok(channels.length > 0, `the gateway listens on channels (streams: ${streamStates.join(', ')})`);
      for (const channel of channels) {
        const topic = new RegExp(`^relay:\\{(${NAME})\\}:ready$`).exec(channel)?.[1];
        assert.ok(topic && names.topics.includes(topic), `channel ${JSON.stringify(channel)} is a ready channel of a topic of the run`);
      }
    } finally {
      for (const stream of streams) stream.cancel();
      await running.gateway.close();
    }

    const keys = spawnSync('redis-cli', ['-p', String(redis.port), '--scan'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    assert.ok(keys.length > 20, `the run left keys to check: ${keys.length}`);
    for (const key of keys) {
      const match = keyGrammar.map((pattern) => pattern.exec(key)).find(Boolean);
      assert.ok(match, `key ${JSON.stringify(key)} follows keys.ts`);
      const { topic, subscription, transaction } = match!.groups ?? {};
      if (topic) assert.ok(names.topics.includes(topic), `key ${key} names a topic of the run`);
      if (subscription) assert.ok(names.subscriptions.includes(subscription), `key ${key} names a subscription of the run`);
      if (transaction) assert.is(transaction, transactionId);
    }

    monitor.kill('SIGKILL');
    const shas = scriptShas();
    let scripted = 0;
    for (const line of monitored.split('\n')) {
      // Commands that scripts run show as "[0 lua]"; the client's commands name their address.
      const command = /^\d+\.\d+ \[\d+ (?<from>[^\]]+)\] "(?<name>[^"]*)"(?: "(?<first>(?:[^"\\]|\\.)*)")?/.exec(line)?.groups;
      if (!command || command.from === 'lua') continue;
      const name = command.name!.toLowerCase();
      assert.ok(name !== 'script' && name !== 'function' && name !== 'fcall', `no script is loaded other than by EVAL: ${line.slice(0, 200)}`);
      if (name === 'evalsha') assert.ok(shas.has(command.first!), `EVALSHA of a script file: ${line.slice(0, 120)}`);
      if (name === 'eval') {
        const sha = createHash('sha1').update(Buffer.from(unquote(command.first!), 'latin1')).digest('hex');
        assert.ok(shas.has(sha), `EVAL of a script file's text: ${line.slice(0, 120)}`);
      }
      if (name === 'evalsha' || name === 'eval') scripted++;
    }
    assert.ok(scripted > 50, `the run called scripts (${scripted} seen)`);
  } finally {
    monitor.kill('SIGKILL');
    running.client.close();
    await redis.stop();
  }
});

test.run();
