// Which permission each RPC needs (gateway/security/authorization.ts), on a gateway with static
// tokens and a permissions file: publish, subscribe and admin on the names a request carries;
// listings filtered to what the caller administers; transactions scoped to their principal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import type { SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import { TestPublishStream } from '../helpers/client.ts';
import { startInProcess, type InProcessGateway } from '../helpers/in-process.ts';
import { connectAs, outcome, type SecureClient } from '../helpers/secure-client.ts';

const test = suite('security permissions');
const dir = mkdtempSync(join(tmpdir(), 'relay-permissions-'));
const token = (principal: string) => `token-of-${principal}-0123456789`;
const permissions = {
  operator: { allow: { admin: ['*'] } },
  producer: { allow: { publish: ['orders.*'] } },
  consumer: { allow: { subscribe: ['orders-billing'], admin: ['orders-billing'] } },
  team: { allow: { admin: ['team-*'] }, deny: { admin: ['team-locked'] } },
  nobody: {},
};
let gateway: InProcessGateway;
const clients: Record<string, SecureClient> = {};

test.before(async () => {
  const tokensFile = join(dir, 'tokens.json');
  const permissionsFile = join(dir, 'permissions.json');
  writeFileSync(tokensFile, JSON.stringify({ tokens: Object.keys(permissions).map((principal) => ({ principal, token: token(principal) })) }));
  writeFileSync(permissionsFile, JSON.stringify(permissions));
  const store = new MemoryMessageStore({ finishedTransactionTtlMs: 60_000 });
  gateway = await startInProcess({ store, cleanup: async () => {} }, { RELAY_TOKENS_FILE: tokensFile, RELAY_PERMISSIONS_FILE: permissionsFile });
  for (const principal of Object.keys(permissions)) {
    clients[principal] = connectAs(`127.0.0.1:${gateway.gateway.port}`, { kind: 'plaintext' }, token(principal));
  }
  const operator = clients.operator!;
  for (const name of ['orders.created', 'payments', 'team-a', 'team-b']) await operator.call(operator.admin, 'CreateTopic', { topic: { name } });
  for (const name of ['orders-billing', 'orders-audit']) {
    await operator.call(operator.admin, 'CreateSubscription', { subscription: { name, topic: 'orders.created', startPosition: 'START_POSITION_EARLIEST' } });
  }
});

test.after(async () => {
  for (const client of Object.values(clients)) client.close();
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = (principal: string, service: 'publisher' | 'subscriber' | 'admin' | 'transactions', method: string, request: object) => {
  const client = clients[principal]!;
  return outcome(client.call(client[service], method, request));
};
const codeOf = async (result: Promise<{ code: number }>) => (await result).code;
const publishTo = (principal: string, topic: string) => call(principal, 'publisher', 'Publish', { topic, messages: [{ data: Buffer.from('m') }] });

test('Publish needs publish on its topic', async () => {
  assert.is(await codeOf(publishTo('producer', 'orders.created')), status.OK);
  assert.is(await codeOf(publishTo('producer', 'payments')), status.PERMISSION_DENIED);
  assert.is(await codeOf(publishTo('consumer', 'orders.created')), status.PERMISSION_DENIED);
  assert.is(await codeOf(publishTo('operator', 'orders.created')), status.PERMISSION_DENIED, 'admin does not include publish');
});

test('PublishStream needs publish on the topic its first request names, and stays on that topic', async () => {
  const producer = clients.producer!;
  const message = { data: Buffer.from('m') };
  const allowed = new TestPublishStream(producer, producer.metadata());
  assert.is((await allowed.send({ topic: 'orders.created', messages: [message] })).statusCode, status.OK);
  const elsewhere = await allowed.send({ topic: 'payments', messages: [message] });
  assert.is(elsewhere.statusCode, status.INVALID_ARGUMENT, 'a later request cannot reach a topic the first did not name');
  assert.is((await allowed.send({ topic: 'orders.created', messages: [message] })).statusCode, status.OK, 'the stream carries on');
  allowed.call.end();
  assert.is(await allowed.ended, status.OK);
  for (const [principal, topic] of [['producer', 'payments'], ['consumer', 'orders.created'], ['operator', 'orders.created']] as const) {
    const client = clients[principal]!;
    const denied = new TestPublishStream(client, client.metadata());
    void denied.send({ topic, messages: [message] });
    assert.is(await denied.ended, status.PERMISSION_DENIED, `${principal} on ${topic}`);
  }
});

/** Opens a stream and resolves with its first delivery's receipt, or its error code. */
function subscribe(principal: string, subscription: string): Promise<{ receipt?: string; code?: number; cancel(): void }> {
  const client = clients[principal]!;
  const stream = client.subscriber.Subscribe(client.metadata());
  return new Promise((resolve) => {
    stream.on('data', (response: SubscribeResponse__Output) => {
      if (response.deliveries.length) resolve({ receipt: response.deliveries[0]!.receipt, cancel: () => stream.cancel() });
    });
    stream.on('error', (error: ServiceError) => resolve({ code: error.code, cancel: () => {} }));
    stream.write({ subscription });
  });
}

test('Subscribe and the settlement RPCs need subscribe on the subscription', async () => {
  const allowed = await subscribe('consumer', 'orders-billing');
  assert.ok(allowed.receipt, 'the consumer receives on its subscription');
  assert.is(await codeOf(call('consumer', 'subscriber', 'ExtendLease', { subscription: 'orders-billing', receipts: [allowed.receipt], extension: { seconds: 30 } })), status.OK);
  assert.is(await codeOf(call('consumer', 'subscriber', 'Ack', { subscription: 'orders-billing', receipts: [allowed.receipt] })), status.OK);
  allowed.cancel();
  assert.is((await subscribe('consumer', 'orders-audit')).code, status.PERMISSION_DENIED);
  assert.is((await subscribe('producer', 'orders-billing')).code, status.PERMISSION_DENIED);
  for (const method of ['Ack', 'Nack', 'Reject']) {
    assert.is(await codeOf(call('consumer', 'subscriber', method, { subscription: 'orders-audit', receipts: [allowed.receipt] })), status.PERMISSION_DENIED, method);
  }
  assert.is(await codeOf(call('consumer', 'subscriber', 'ExtendLease', { subscription: 'orders-audit', receipts: [allowed.receipt], extension: { seconds: 1 } })), status.PERMISSION_DENIED);
});

test('admin RPCs need admin on every topic and subscription the request names', async () => {
  assert.is(await codeOf(call('team', 'admin', 'CreateTopic', { topic: { name: 'team-c' } })), status.OK);
  assert.is(await codeOf(call('team', 'admin', 'CreateTopic', { topic: { name: 'orders.other' } })), status.PERMISSION_DENIED);
  assert.is(await codeOf(call('team', 'admin', 'CreateTopic', { topic: { name: 'team-locked' } })), status.PERMISSION_DENIED, 'deny beats allow');
  // A subscription reads its topic, and dead-letters into another: admin on all three.
  assert.is(await codeOf(call('team', 'admin', 'CreateSubscription', { subscription: { name: 'team-sub', topic: 'orders.created' } })), status.PERMISSION_DENIED);
  assert.is(
    await codeOf(call('team', 'admin', 'CreateSubscription', { subscription: { name: 'team-sub', topic: 'team-a', deadLetterTopic: 'payments' } })),
    status.PERMISSION_DENIED,
  );
  assert.is(await codeOf(call('team', 'admin', 'CreateSubscription', { subscription: { name: 'team-sub', topic: 'team-a', deadLetterTopic: 'team-b' } })), status.OK);
  assert.is(await codeOf(call('consumer', 'admin', 'GetSubscriptionStats', { subscription: 'orders-billing' })), status.OK);
  assert.is(await codeOf(call('consumer', 'admin', 'GetSubscriptionStats', { subscription: 'orders-audit' })), status.PERMISSION_DENIED);
  assert.is(await codeOf(call('consumer', 'admin', 'Seek', { subscription: 'orders-audit', time: { seconds: 0 } })), status.PERMISSION_DENIED);
  assert.is(await codeOf(call('team', 'admin', 'InspectMessage', { topic: 'payments', messageId: '1-0' })), status.PERMISSION_DENIED);
  assert.is(await codeOf(call('team', 'admin', 'DeleteTopic', { name: 'payments' })), status.PERMISSION_DENIED);
  assert.is(await codeOf(call('team', 'admin', 'Redrive', { deadLetterTopic: 'payments' })), status.PERMISSION_DENIED);
  assert.is(await codeOf(call('nobody', 'admin', 'GetTopic', { name: 'team-a' })), status.PERMISSION_DENIED);
});

test('listings show only what the caller administers', async () => {
  const client = clients.team!;
  const topics = await client.call<{ topics: { name: string }[] }>(client.admin, 'ListTopics', {});
  assert.equal(topics.topics.map((topic) => topic.name).sort(), ['team-a', 'team-b', 'team-c']);
  const subscriptions = await client.call<{ subscriptions: { name: string }[] }>(client.admin, 'ListSubscriptions', {});
  assert.equal(subscriptions.subscriptions.map((subscription) => subscription.name), ['team-sub']);
  const nobody = clients.nobody!;
  assert.equal((await nobody.call<{ topics: unknown[] }>(nobody.admin, 'ListTopics', {})).topics, []);
  const operator = clients.operator!;
  assert.ok((await operator.call<{ topics: unknown[] }>(operator.admin, 'ListTopics', {})).topics.length >= 5);
  assert.is(await codeOf(call('team', 'admin', 'ListSubscriptions', { topic: 'orders.created' })), status.PERMISSION_DENIED);
});

test('Prepare needs publish and subscribe on what it stages; Commit and Abort reach only the caller\'s own transactions', async () => {
  const prepare = (principal: string, request: object) => clients[principal]!.call<{ transactionId: string }>(clients[principal]!.transactions, 'Prepare', request);
  const message = { topic: 'orders.created', data: Buffer.from('t') };
  const prepared = await prepare('producer', { transactionId: 'tx-1', messages: [message] });
  assert.is(prepared.transactionId, 'tx-1', 'the caller sees its own id');
  assert.is(await codeOf(call('operator', 'transactions', 'Commit', { transactionId: 'tx-1' })), status.NOT_FOUND);
  assert.is(await codeOf(call('operator', 'transactions', 'Abort', { transactionId: 'tx-1' })), status.NOT_FOUND);
  const committed = await clients.producer!.call<{ messageIds: string[] }>(clients.producer!.transactions, 'Commit', { transactionId: 'tx-1' });
  assert.is(committed.messageIds.length, 1);
  // A generated id comes back unscoped too, and is committed by its principal.
  const generated = await prepare('producer', { messages: [message] });
  assert.match(generated.transactionId, /^[0-9a-f-]{36}$/);
  assert.is(await codeOf(call('producer', 'transactions', 'Abort', { transactionId: generated.transactionId })), status.OK);
  assert.is(await codeOf(call('producer', 'transactions', 'Prepare', { messages: [{ ...message, topic: 'payments' }] })), status.PERMISSION_DENIED);
  assert.is(
    await codeOf(call('producer', 'transactions', 'Prepare', { messages: [message], acks: [{ subscription: 'orders-audit', receipt: 'orders-audit/1-0/1' }] })),
    status.PERMISSION_DENIED,
  );
  const tooLong = await call('producer', 'transactions', 'Prepare', { transactionId: 'x'.repeat(112), messages: [message] });
  assert.is(tooLong.code, status.INVALID_ARGUMENT);
  assert.match(tooLong.details, /at most 111/);
});

test('an authorization scheme other than Bearer is UNAUTHENTICATED', async () => {
  const { Metadata } = await import('@grpc/grpc-js');
  const client = connectAs(`127.0.0.1:${gateway.gateway.port}`, { kind: 'plaintext' });
  const metadata = new Metadata();
  metadata.set('authorization', 'Basic dXNlcjpwYXNz');
  const result = await outcome(
    new Promise((resolve, reject) =>
      (client.publisher as any).Publish({ topic: 'orders.created', messages: [] }, metadata, (error: Error | null, response: unknown) =>
        error ? reject(error) : resolve(response),
      ),
    ),
  );
  client.close();
  assert.is(result.code, status.UNAUTHENTICATED);
  assert.match(result.details, /Bearer/);
});

test.run();
