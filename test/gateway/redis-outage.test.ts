// When Redis goes away, calls answer UNAVAILABLE (safe to retry) and the gateway keeps running;
// when it comes back, so does service, with what was acknowledged before still there.
import { status, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisMessageStore } from '../../adapters/redis/redis-store.ts';
import { loadConfig } from '../../gateway/config.ts';
import { createLogger } from '../../gateway/log.ts';
import { serve } from '../../gateway/server.ts';
import { connect, sleep, TestSubscriber, uniqueName } from '../helpers/client.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const test = suite('redis outage');

test('publish answers UNAVAILABLE while Redis is down, streams end UNAVAILABLE, and both work once it is back', async () => {
  const redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
  const gateway = await serve(
    loadConfig({ RELAY_LISTEN: '127.0.0.1:0', RELAY_POLL_INTERVAL_MS: '100' }),
    new RedisMessageStore({ url: redis.url }),
    createLogger('silent'),
  );
  const client = connect(`127.0.0.1:${gateway.port}`);
  try {
    const topic = uniqueName('topic');
    const subscription = uniqueName('sub');
    await client.call(client.admin, 'CreateTopic', { topic: { name: topic } });
    await client.call(client.admin, 'CreateSubscription', {
      subscription: { name: subscription, topic, startPosition: 'START_POSITION_EARLIEST', ackDeadline: { seconds: 2 } },
    });
    const before = await client.call<{ results: { messageId: string }[] }>(client.publisher, 'Publish', {
      topic,
      messages: [{ data: Buffer.from('acknowledged before the outage') }],
    });
    const stream = new TestSubscriber(client, subscription);
    await stream.take(1);

    await redis.kill();
    const failedAt = Date.now();
    const error = await client
      .call(client.publisher, 'Publish', { topic, messages: [{ data: Buffer.from('x') }] })
      .then(() => undefined, (e: ServiceError) => e);
    assert.is(error?.code, status.UNAVAILABLE);
    assert.ok(Date.now() - failedAt < 10_000, 'fails fast rather than hanging');
    assert.not.match(error!.details, /ECONNREFUSED|ioredis/);
    await stream.until(() => stream.error !== undefined, 10_000, 'stream end');
    assert.is(stream.error!.code, status.UNAVAILABLE);

    await redis.restart();
    let after: { results: { messageId: string }[] } | undefined;
    for (let i = 0; i < 50 && !after; i++) {
      after = await client
        .call<{ results: { messageId: string }[] }>(client.publisher, 'Publish', { topic, messages: [{ data: Buffer.from('after') }] })
        .catch(() => undefined);
      if (!after) await sleep(200);
    }
    assert.ok(after, 'publish works again once Redis is back');
    const again = new TestSubscriber(client, subscription);
    const deliveries = await again.take(2, 10_000);
    assert.equal(
      deliveries.map((d) => d.message!.messageId),
      [before.results[0]!.messageId, after!.results[0]!.messageId],
      'the message acknowledged before the outage survived it (AOF, fsync always)',
    );
    again.cancel();
  } finally {
    client.close();
    await gateway.close();
    await redis.stop();
  }
});

test.run();
