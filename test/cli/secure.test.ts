// The relay CLI against secured gateways: TLS with --tls-ca, bearer tokens from --token or
// RELAY_TOKEN (unary calls and the Subscribe stream), and mutual TLS with --tls-cert/--tls-key.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeCertificates, type TestCertificates } from '../helpers/certs.ts';
import { uniqueName } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { runCli } from './run-cli.ts';

const test = suite<{ certs?: TestCertificates; tls?: GatewayProcess; mtls?: GatewayProcess; setupError?: unknown }>('relay CLI, secured');
const token = 'operator-token-0123456789';

// uvu 0.5 swallows an error thrown by a before hook: keep it for the tests to throw.
test.before(async (context) => {
  try {
    const certs = (context.certs = makeCertificates());
    const tokens = join(certs.dir, 'tokens.json');
    const permissions = join(certs.dir, 'permissions.json');
    writeFileSync(tokens, JSON.stringify({ tokens: [{ principal: 'operator', token }] }));
    const everything = { allow: { admin: ['*'], publish: ['*'], subscribe: ['*'] } };
    writeFileSync(permissions, JSON.stringify({ operator: everything, [certs.clientPrincipal]: everything }));
    const tls = { RELAY_TLS_CERT_FILE: certs.server.cert, RELAY_TLS_KEY_FILE: certs.server.key, RELAY_PERMISSIONS_FILE: permissions };
    [context.tls, context.mtls] = await Promise.all([
      startGateway({ ...tls, RELAY_TOKENS_FILE: tokens }),
      startGateway({ ...tls, RELAY_TLS_CLIENT_CA_FILE: certs.ca.cert }),
    ]);
  } catch (error) {
    context.setupError = error;
  }
});

test.before.each(({ setupError }) => {
  if (setupError) throw setupError;
});

test.after(async ({ certs, tls, mtls }) => {
  await Promise.all([tls?.kill(), mtls?.kill()]);
  certs?.remove();
});

test('over TLS with a token from --token or RELAY_TOKEN: admin, pub and sub work', async ({ tls, certs }) => {
  const secure = ['--addr', tls!.address, '--tls-ca', certs!.ca.cert];
  const topic = uniqueName('topic');
  const created = await runCli(['topics', 'create', topic, ...secure, '--token', token]);
  assert.is(created.code, 0, created.stderr);
  const env = { RELAY_TOKEN: token };
  const subscription = uniqueName('sub');
  assert.is((await runCli(['subs', 'create', subscription, '--topic', topic, '--start', 'earliest', ...secure], { env })).code, 0);
  assert.is((await runCli(['pub', topic, 'over TLS', ...secure], { env })).code, 0);
  const received = await runCli(['sub', subscription, '--limit', '1', '--json', ...secure], { env });
  assert.is(received.code, 0, received.stderr);
  assert.is(JSON.parse(received.stdout).data, 'over TLS');
});

test('without a token, or with a wrong one, the call is UNAUTHENTICATED; plaintext to a TLS port is UNAVAILABLE', async ({ tls, certs }) => {
  const secure = ['--addr', tls!.address, '--tls-ca', certs!.ca.cert];
  for (const extra of [[], ['--token', 'not-the-token-0123456789']]) {
    const result = await runCli(['topics', 'list', ...secure, ...extra]);
    assert.is(result.code, 1);
    assert.match(result.stderr, /^UNAUTHENTICATED: /);
  }
  const plaintext = await runCli(['topics', 'list', '--addr', tls!.address, '--token', token]);
  assert.is(plaintext.code, 1);
  assert.match(plaintext.stderr, /^UNAVAILABLE: /);
});

test('mutual TLS: the client certificate from --tls-cert and --tls-key is the principal', async ({ mtls, certs }) => {
  const secure = ['--addr', mtls!.address, '--tls-ca', certs!.ca.cert];
  const withCertificate = await runCli(['topics', 'list', '--json', ...secure, '--tls-cert', certs!.client.cert, '--tls-key', certs!.client.key]);
  assert.is(withCertificate.code, 0, withCertificate.stderr);
  assert.ok(Array.isArray(JSON.parse(withCertificate.stdout)));
  const without = await runCli(['topics', 'list', ...secure]);
  assert.is(without.code, 1);
  assert.match(without.stderr, /^UNAVAILABLE: /);
  const halfPair = await runCli(['topics', 'list', ...secure, '--tls-cert', certs!.client.cert]);
  assert.is(halfPair.code, 2);
  assert.match(halfPair.stderr, /--tls-cert and --tls-key go together/);
});

test.run();
