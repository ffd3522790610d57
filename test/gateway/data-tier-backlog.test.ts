// Max backlog per topic through the gateway: gateway-wide defaults from config, per-topic settings,
// RESOURCE_EXHAUSTED at the edge (the store side is in the contract suite, on every adapter).
import { status, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { publish, statusOf, TestSubscriber, topicWithSubscriptions, uniqueName } from '../helpers/client.ts';
import { startInProcess, type InProcessGateway } from '../helpers/in-process.ts';

const test = suite<{ gateway: InProcessGateway }>('max backlog through the gateway');

test.before(async (context) => {
  const store = new MemoryMessageStore();
  context.gateway = await startInProcess(
    { store, cleanup: () => store.close() },
    { RELAY_MAX_BACKLOG_MESSAGES: '2', RELAY_MAX_BACKLOG_AGE_MS: '3600000' },
  );
});

test.after(({ gateway }) => gateway.stop());

interface TopicSettings {
  maxBacklogMessages: string;
  maxBacklogAge: { seconds: string; nanos: number } | null;
}

test('a topic created without max backlog takes the gateway defaults; one with its own keeps them; an explicit zero age turns the default off', async ({ gateway }) => {
  const { client } = gateway;
  const create = async (topic: object) =>
    (await client.call<{ topic: TopicSettings }>(client.admin, 'CreateTopic', { topic: { name: uniqueName('topic'), ...topic } })).topic;
  const defaulted = await create({});
  assert.is(defaulted.maxBacklogMessages, '2');
  assert.equal(defaulted.maxBacklogAge, { seconds: '3600', nanos: 0 });
  const own = await create({ maxBacklogMessages: 5, maxBacklogAge: { seconds: 60 } });
  assert.is(own.maxBacklogMessages, '5');
  assert.equal(own.maxBacklogAge, { seconds: '60', nanos: 0 });
  const off = await create({ maxBacklogAge: { seconds: 0 } });
  assert.equal(off.maxBacklogAge, { seconds: '0', nanos: 0 });
});

test('publish past the max backlog answers RESOURCE_EXHAUSTED naming the subscription; after an ack it is accepted', async ({ gateway }) => {
  const { client } = gateway;
  const { topic, subscriptions } = await topicWithSubscriptions(client);
  await publish(client, topic, [{ data: Buffer.from('a') }, { data: Buffer.from('b') }]);
  const refused = await publish(client, topic, [{ data: Buffer.from('c') }]).catch((error: ServiceError) => error);
  assert.is((refused as ServiceError).code, status.RESOURCE_EXHAUSTED);
  assert.ok((refused as ServiceError).details.includes(subscriptions[0]!), (refused as ServiceError).details);
  const stream = new TestSubscriber(client, subscriptions[0]!);
  const [first] = await stream.take(1);
  // Settlements on the stream are not answered: publish until the ack has landed.
  stream.ack([first!.receipt]);
  const deadline = Date.now() + 5_000;
  while ((await statusOf(publish(client, topic, [{ data: Buffer.from('c') }]))) !== status.OK) {
    assert.ok(Date.now() < deadline, 'publish accepted again once a message was acked');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  stream.cancel();
});

test('max_backlog_messages below 0 and max_backlog_age over 365 days are INVALID_ARGUMENT', async ({ gateway }) => {
  const { client } = gateway;
  const create = (topic: object) => statusOf(client.call(client.admin, 'CreateTopic', { topic: { name: uniqueName('topic'), ...topic } }));
  assert.is(await create({ maxBacklogMessages: -1 }), status.INVALID_ARGUMENT);
  assert.is(await create({ maxBacklogAge: { seconds: 365 * 86_400 + 1 } }), status.INVALID_ARGUMENT);
  assert.is(await create({ maxBacklogAge: { seconds: 365 * 86_400 } }), status.OK);
});

test.run();
