// TLS to Redis: a gateway process on rediss:// (Debian's redis-server is built with TLS) with a CA and
// a client certificate from files, against a private redis-server that requires client certificates.
import { status } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeCertificates, type TestCertificates } from '../helpers/certs.ts';
import { connect, publish, statusOf, TestSubscriber, topicWithSubscriptions } from '../helpers/client.ts';
import { startGateway } from '../helpers/gateway.ts';
import { freePort, startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

interface Context {
  certs: TestCertificates;
  redis: RedisServer;
  /** rediss:// URL of the TLS port (the plaintext port is the helper's, for its readiness check). */
  tlsUrl: string;
}

const test = suite<Context>('rediss://');

test.before(async (context) => {
  context.certs = makeCertificates();
  const tlsPort = await freePort();
  const { ca, server } = context.certs;
  context.redis = await startRedisServer([
    '--tls-port', String(tlsPort),
    '--tls-cert-file', server.cert,
    '--tls-key-file', server.key,
    '--tls-ca-cert-file', ca.cert,
    '--tls-auth-clients', 'yes',
  ]);
  context.tlsUrl = `rediss://127.0.0.1:${tlsPort}`;
});

test.after(async ({ certs, redis }) => {
  await redis.stop();
  certs.remove();
});

test('a gateway on rediss:// with the CA and a client certificate publishes and delivers', async ({ certs, tlsUrl }) => {
  const gateway = await startGateway({
    REDIS_URL: tlsUrl,
    RELAY_REDIS_TLS_CA_FILE: certs.ca.cert,
    RELAY_REDIS_TLS_CERT_FILE: certs.client.cert,
    RELAY_REDIS_TLS_KEY_FILE: certs.client.key,
  });
  const client = connect(gateway.address);
  try {
    const { topic, subscriptions } = await topicWithSubscriptions(client);
    const stream = new TestSubscriber(client, subscriptions[0]!);
    await publish(client, topic, [{ data: Buffer.from('over TLS') }]);
    const [delivery] = await stream.take(1, 10_000);
    assert.is(delivery!.message!.data.toString(), 'over TLS');
    stream.cancel();
  } finally {
    client.close();
    await gateway.stop();
  }
});

test('without the CA the gateway does not trust the server, and without a client certificate the server refuses it: calls answer UNAVAILABLE', async ({ certs, tlsUrl }) => {
  const settings: Record<string, string>[] = [
    { RELAY_REDIS_TLS_CERT_FILE: certs.client.cert, RELAY_REDIS_TLS_KEY_FILE: certs.client.key },
    { RELAY_REDIS_TLS_CA_FILE: certs.ca.cert },
  ];
  for (const env of settings) {
    const gateway = await startGateway({ REDIS_URL: tlsUrl, ...env });
    const client = connect(gateway.address);
    try {
      const created = await statusOf(client.call(client.admin, 'CreateTopic', { topic: { name: 'never' } }));
      assert.is(created, status.UNAVAILABLE, `with ${Object.keys(env).join(', ')} only`);
    } finally {
      client.close();
      await gateway.stop();
    }
  }
});

test('redis:// (plaintext) to the TLS port gets no answer: UNAVAILABLE', async ({ certs, tlsUrl }) => {
  const gateway = await startGateway({ REDIS_URL: tlsUrl.replace('rediss:', 'redis:'), RELAY_REDIS_TLS_CA_FILE: certs.ca.cert });
  const client = connect(gateway.address);
  try {
    assert.is(await statusOf(client.call(client.admin, 'CreateTopic', { topic: { name: 'never' } })), status.UNAVAILABLE);
  } finally {
    client.close();
    await gateway.stop();
  }
});

test.run();
