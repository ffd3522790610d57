// The TypeScript client on a gateway with TLS, static tokens, permissions and a publish rate: its
// token rides on unary calls and on the streams alike, refusals surface with their status, and a
// publisher over its rate waits the gateway's delay and stores each message once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, status, type ServiceError } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { connect, type Relay } from '../../clients/typescript/index.ts';
import { makeCertificates, type TestCertificates } from '../helpers/certs.ts';
import { startInProcess, type InProcessGateway } from '../helpers/in-process.ts';

const test = suite<{ certificates?: TestCertificates; running?: InProcessGateway; address?: string }>('typescript client secured');
const dir = mkdtempSync(join(tmpdir(), 'relay-ts-secure-'));
const clients: Relay[] = [];
const ratePerSecond = 3;

test.before(async (context) => {
  context.certificates = makeCertificates();
  const tokensFile = join(dir, 'tokens.json');
  const permissionsFile = join(dir, 'permissions.json');
  writeFileSync(tokensFile, JSON.stringify({ tokens: [{ principal: 'app', token: 'app-token-0123456789' }, { principal: 'reader', token: 'reader-token-0123456789' }] }));
  writeFileSync(permissionsFile, JSON.stringify({ app: { allow: { admin: ['*'], publish: ['*'], subscribe: ['*'] } }, reader: { allow: { subscribe: ['*'] } } }));
  const { server } = context.certificates;
  context.running = await startInProcess(
    { store: new MemoryMessageStore(), cleanup: async () => {} },
    {
      RELAY_TLS_CERT_FILE: server.cert,
      RELAY_TLS_KEY_FILE: server.key,
      RELAY_TOKENS_FILE: tokensFile,
      RELAY_PERMISSIONS_FILE: permissionsFile,
      RELAY_PUBLISH_MESSAGES_PER_SECOND: String(ratePerSecond),
    },
  );
  context.address = `127.0.0.1:${context.running.gateway.port}`;
});

test.after(async ({ certificates, running }) => {
  for (const relay of clients) await relay.close();
  // The in-process helper's own client is plaintext and unused here.
  await running?.stop();
  certificates?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const client = ({ certificates, address }: { certificates?: TestCertificates; address?: string }, token?: string) => {
  const relay = connect({ address, token, credentials: credentials.createSsl(certificates!.read(certificates!.ca.cert)) });
  clients.push(relay);
  return relay;
};

test('with TLS and its token the client publishes, subscribes on the stream and acks', async (context) => {
  const relay = client(context, 'app-token-0123456789');
  await relay.admin.createTopic({ topic: { name: 'secured' } });
  await relay.admin.createSubscription({ subscription: { name: 'secured-sub', topic: 'secured', startPosition: 'START_POSITION_EARLIEST' } });
  const id = await relay.publisher('secured').publish({ data: 'over TLS' });
  for await (const message of relay.subscribe('secured-sub')) {
    assert.is(message.id, id);
    assert.is(message.data.toString(), 'over TLS');
    await message.ack();
    break;
  }
  const stats = await relay.admin.getSubscriptionStats({ subscription: 'secured-sub' });
  assert.is(Number(stats.backlog) + Number(stats.inFlight), 0);
});

test('without a token a call is UNAUTHENTICATED; without permission PERMISSION_DENIED, on the stream too', async (context) => {
  const anonymous = client(context);
  const codeOf = (promise: Promise<unknown>) => promise.then(() => status.OK, (error: ServiceError) => error.code);
  assert.is(await codeOf(anonymous.admin.listTopics({})), status.UNAUTHENTICATED);
  const reader = client(context, 'reader-token-0123456789');
  assert.is(await codeOf(reader.publisher('secured', { retry: { totalTimeoutMs: 0 } }).publish({ data: 'no' })), status.PERMISSION_DENIED);
  const streamed = await codeOf((async () => {
    for await (const _ of anonymous.subscribe('secured-sub')) break;
  })());
  assert.is(streamed, status.UNAUTHENTICATED, 'the stream ends with the refusal instead of reconnecting forever');
});

test('a publisher over its rate has batches refused one by one with the gateway’s delay, waits it, and stores each message once', async (context) => {
  const relay = client(context, 'app-token-0123456789');
  await relay.admin.createTopic({ topic: { name: 'metered' } });
  await relay.admin.createSubscription({ subscription: { name: 'metered-sub', topic: 'metered', startPosition: 'START_POSITION_EARLIEST' } });
  await new Promise((resolve) => setTimeout(resolve, 1100)); // the bucket full again
  const publisher = relay.publisher('metered', { maxMessages: 1 });
  const startedAt = Date.now();
  const count = ratePerSecond * 2;
  const ids = await Promise.all(Array.from({ length: count }, (_, i) => publisher.publish({ data: `metered ${i}` })));
  const elapsedMs = Date.now() - startedAt;
  await publisher.close();
  // One second's worth at once, the rest as the bucket refills: they waited, so they were refused first.
  assert.ok(elapsedMs >= ((count - ratePerSecond - 1) * 1000) / ratePerSecond, `all ${count} stored after ${elapsedMs} ms`);
  assert.is(new Set(ids).size, count);
  const delivered: string[] = [];
  for await (const message of relay.subscribe('metered-sub')) {
    delivered.push(message.data.toString());
    await message.ack();
    if (delivered.length === count) break;
  }
  assert.equal(delivered.sort(), Array.from({ length: count }, (_, i) => `metered ${i}`).sort(), 'each message once');
  const stats = await relay.admin.getSubscriptionStats({ subscription: 'metered-sub' });
  assert.is(Number(stats.backlog) + Number(stats.inFlight), 0, 'and nothing more');
});

test.run();
