// The security matrix: {plaintext, TLS, mTLS with a valid / wrong-CA / expired client certificate}
// x {no token, bad signature, expired, wrong audience, valid without permission, valid}. Only the
// valid combinations publish; every other one fails with its code and issues no Redis command
// (INFO commandstats of the private redis-server, before and after each call).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeCertificates } from '../helpers/certs.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { makeSigningKeys, nowSeconds } from '../helpers/jwt.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { connectAs, outcome, type Transport } from '../helpers/secure-client.ts';

const test = suite('security matrix');
const certs = makeCertificates();
const keys = makeSigningKeys();
const topic = `matrix-${randomUUID()}`;
let redis: RedisServer;
let probe: Redis;
const gateways: Record<'plaintext' | 'tls' | 'mtls', GatewayProcess> = {} as never;

test.before(async () => {
  redis = await startRedisServer();
  probe = new Redis(redis.url, { lazyConnect: true });
  await probe.connect();
  const jwks = join(certs.dir, 'jwks.json');
  const permissions = join(certs.dir, 'permissions.json');
  writeFileSync(jwks, JSON.stringify(keys.jwks));
  writeFileSync(
    permissions,
    JSON.stringify({
      writer: { allow: { publish: ['matrix-*'] } },
      [certs.clientPrincipal]: { allow: { publish: ['matrix-*'] } },
      reader: { allow: { subscribe: ['*'] } },
      operator: { allow: { admin: ['*'] } },
    }),
  );
  const common = {
    REDIS_URL: redis.url,
    RELAY_JWKS_FILE: jwks,
    RELAY_JWT_AUDIENCE: 'relay',
    RELAY_PERMISSIONS_FILE: permissions,
    // Background chores stay out of the command counts: their first pass is a minute / a day away.
    RELAY_POLL_INTERVAL_MS: '60000',
    RELAY_TRIM_INTERVAL_MS: '86400000',
  };
  const tls = { RELAY_TLS_CERT_FILE: certs.server.cert, RELAY_TLS_KEY_FILE: certs.server.key };
  [gateways.plaintext, gateways.tls, gateways.mtls] = await Promise.all([
    startGateway(common),
    startGateway({ ...common, ...tls }),
    startGateway({ ...common, ...tls, RELAY_TLS_CLIENT_CA_FILE: certs.ca.cert }),
  ]);
  // Each gateway checks Redis' durability settings once at start, in the background: let that finish.
  for (const gateway of Object.values(gateways)) {
    for (let waited = 0; !/redis durability/.test(gateway.output()); waited += 20) {
      if (waited > 20_000) throw new Error(`no durability check logged:\n${gateway.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const operator = connectAs(gateways.plaintext.address, { kind: 'plaintext' }, keys.sign('ES256', claims('operator')));
  await operator.call(operator.admin, 'CreateTopic', { topic: { name: topic } });
  operator.close();
});

test.after(async () => {
  probe?.disconnect();
  await Promise.all(Object.values(gateways).map((gateway) => gateway.kill()));
  await redis?.stop();
  certs.remove();
});

function claims(sub: string, extra: Record<string, unknown> = {}) {
  return { sub, aud: 'relay', exp: nowSeconds() + 300, ...extra };
}

const tokens: Record<string, () => string | undefined> = {
  'no token': () => undefined,
  'bad signature': () => keys.sign('ES256', claims('writer'), { forged: true }),
  expired: () => keys.sign('ES256', claims('writer', { exp: nowSeconds() - 3600 })),
  'wrong audience': () => keys.sign('ES256', claims('writer', { aud: 'another-service' })),
  'valid without permission': () => keys.sign('ES256', claims('reader')),
  valid: () => keys.sign('ES256', claims('writer')),
};

const transports: Record<string, { gateway: keyof typeof gateways; transport: () => Transport; expect: Record<string, number> }> = {
  plaintext: { gateway: 'plaintext', transport: () => ({ kind: 'plaintext' }), expect: {} },
  TLS: { gateway: 'tls', transport: () => ({ kind: 'tls', ca: certs.ca.cert }), expect: {} },
  // The certificate's subject is a principal allowed to publish: no token is needed.
  'mTLS, valid client certificate': {
    gateway: 'mtls',
    transport: () => ({ kind: 'tls', ca: certs.ca.cert, client: certs.client }),
    expect: { 'no token': status.OK },
  },
  // The handshake fails: no call starts, whatever the token.
  'mTLS, client certificate of another CA': {
    gateway: 'mtls',
    transport: () => ({ kind: 'tls', ca: certs.ca.cert, client: certs.wrongCaClient }),
    expect: Object.fromEntries(Object.keys(tokens).map((token) => [token, status.UNAVAILABLE])),
  },
  'mTLS, expired client certificate': {
    gateway: 'mtls',
    transport: () => ({ kind: 'tls', ca: certs.ca.cert, client: certs.expiredClient }),
    expect: Object.fromEntries(Object.keys(tokens).map((token) => [token, status.UNAVAILABLE])),
  },
};

const defaults: Record<string, number> = {
  'no token': status.UNAUTHENTICATED,
  'bad signature': status.UNAUTHENTICATED,
  expired: status.UNAUTHENTICATED,
  'wrong audience': status.UNAUTHENTICATED,
  'valid without permission': status.PERMISSION_DENIED,
  valid: status.OK,
};

/** Calls per Redis command, less INFO (the probe's own) and the transaction-expiry poll. */
async function commandCounts(): Promise<Map<string, number>> {
  const text = (await probe.info('commandstats')) as string;
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== 'info' && match[1] !== 'zrangebyscore') counts.set(match[1]!, Number(match[2]));
  }
  return counts;
}

function changed(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([command, calls]) => calls !== (before.get(command) ?? 0)).map(([command, calls]) => `${command} +${calls - (before.get(command) ?? 0)}`);
}

const codeName = (code: number) => Object.entries(status).find(([, value]) => value === code)?.[0] ?? String(code);

for (const [transportName, row] of Object.entries(transports)) {
  test(`${transportName}: only the valid combinations publish, each failure has its code and issues no Redis command`, async () => {
    const lines: string[] = [];
    for (const [tokenName, token] of Object.entries(tokens)) {
      const expected = row.expect[tokenName] ?? defaults[tokenName]!;
      const client = connectAs(gateways[row.gateway].address, row.transport(), token());
      const before = await commandCounts();
      const result = await outcome(client.call(client.publisher, 'Publish', { topic, messages: [{ data: Buffer.from(tokenName) }] }));
      const commands = changed(before, await commandCounts());
      client.close();
      lines.push(`  ${tokenName.padEnd(26)} ${codeName(result.code).padEnd(18)} ${result.details.slice(0, 60).padEnd(60)} redis: ${commands.join(' ') || 'none'}`);
      assert.is(codeName(result.code), codeName(expected), `${transportName} with ${tokenName}: ${result.details}`);
      if (expected === status.OK) assert.ok(commands.length > 0, 'a publish that succeeds is seen in the command counts');
      else assert.equal(commands, [], `${transportName} with ${tokenName} issued Redis commands`);
    }
    console.log(`${transportName}\n${lines.join('\n')}`);
  });
}

test('rejected Subscribe, admin and transaction calls issue no Redis command either', async () => {
  const reader = connectAs(gateways.tls.address, { kind: 'tls', ca: certs.ca.cert }, keys.sign('ES256', claims('reader')));
  const stranger = connectAs(gateways.tls.address, { kind: 'tls', ca: certs.ca.cert });
  const calls: [string, () => Promise<unknown>][] = [
    ['CreateTopic without admin', () => reader.call(reader.admin, 'CreateTopic', { topic: { name: `matrix-${randomUUID()}` } })],
    ['GetSubscriptionStats without credentials', () => stranger.call(stranger.admin, 'GetSubscriptionStats', { subscription: 'any' })],
    ['Prepare without publish', () => reader.call(reader.transactions, 'Prepare', { messages: [{ topic, data: Buffer.from('x') }] })],
    ['Commit without credentials', () => stranger.call(stranger.transactions, 'Commit', { transactionId: 'any' })],
    [
      'Subscribe without credentials',
      () =>
        new Promise((_, reject) => {
          const stream = stranger.subscriber.Subscribe(stranger.metadata());
          stream.on('error', reject);
          stream.write({ subscription: 'any' });
        }),
    ],
  ];
  for (const [what, call] of calls) {
    const before = await commandCounts();
    const result = await outcome(call());
    assert.ok(result.code === status.PERMISSION_DENIED || result.code === status.UNAUTHENTICATED, `${what}: ${codeName(result.code)}`);
    assert.equal(changed(before, await commandCounts()), [], `${what} issued Redis commands`);
  }
  reader.close();
  stranger.close();
});

test('JWTs signed with HS256, RS256 and ES256 all authenticate through the gateway', async () => {
  for (const alg of ['HS256', 'RS256', 'ES256'] as const) {
    const client = connectAs(gateways.tls.address, { kind: 'tls', ca: certs.ca.cert }, keys.sign(alg, claims('writer')));
    const result = await outcome(client.call(client.publisher, 'Publish', { topic, messages: [{ data: Buffer.from(alg) }] }));
    client.close();
    assert.is(result.code, status.OK, `${alg}: ${result.details}`);
  }
});

test('a plaintext client cannot talk to a TLS gateway, nor a TLS client to a plaintext one', async () => {
  const plain = connectAs(gateways.tls.address, { kind: 'plaintext' }, keys.sign('ES256', claims('writer')));
  const tls = connectAs(gateways.plaintext.address, { kind: 'tls', ca: certs.ca.cert }, keys.sign('ES256', claims('writer')));
  for (const client of [plain, tls]) {
    const result = await outcome(client.call(client.publisher, 'Publish', { topic, messages: [{ data: Buffer.from('x') }] }));
    client.close();
    assert.is(codeName(result.code), 'UNAVAILABLE');
  }
});

test('health and reflection stay open without credentials', async () => {
  const { loadPackageDefinition, credentials } = await import('@grpc/grpc-js');
  const { loadSync } = await import('@grpc/proto-loader');
  const healthProto = new URL('../../node_modules/grpc-health-check/proto/health/v1/health.proto', import.meta.url).pathname;
  const definition = loadPackageDefinition(loadSync(healthProto, { enums: String })) as any;
  const health = new definition.grpc.health.v1.Health(gateways.plaintext.address, credentials.createInsecure());
  const response = await new Promise<{ status: string }>((resolve, reject) =>
    health.Check({ service: '' }, (error: Error | null, answer: { status: string }) => (error ? reject(error) : resolve(answer))),
  );
  health.close();
  assert.is(response.status, 'SERVING');
});

test.run();
