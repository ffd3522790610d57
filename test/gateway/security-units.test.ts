// The pieces of gateway/security/ on their own: JWT verification (HS256, RS256, ES256), static
// tokens, permission patterns, token buckets and the stream count, each at its edge.
import { createHash } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../../gateway/config.ts';
import { loadRelayProto } from '../../proto/load.ts';
import { methodRules } from '../../gateway/security/authorization.ts';
import { Authenticator, AuthenticationError, StaticTokens } from '../../gateway/security/authentication.ts';
import { clockSkewMs, JwtVerifier, TokenError } from '../../gateway/security/jwt.ts';
import { Permissions } from '../../gateway/security/permissions.ts';
import { PrincipalLimits } from '../../gateway/security/rate-limit.ts';
import { makeSigningKeys, nowSeconds, type Algorithm } from '../helpers/jwt.ts';

const test = suite('security units');
const keys = makeSigningKeys();
const verifier = JwtVerifier.fromJwks(JSON.stringify(keys.jwks), { audience: 'relay', issuer: 'https://issuer.test' });
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'billing',
  aud: 'relay',
  iss: 'https://issuer.test',
  exp: nowSeconds() + 60,
  ...extra,
});

function refusal(verify: () => unknown): string {
  try {
    verify();
  } catch (error) {
    assert.instance(error, TokenError);
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

for (const alg of ['HS256', 'RS256', 'ES256'] as Algorithm[]) {
  test(`a ${alg} JWT signed by a JWKS key names its sub as principal`, () => {
    assert.is(verifier.verify(keys.sign(alg, claims())), 'billing');
  });
  test(`a ${alg} JWT signed by another key is refused: bad signature`, () => {
    assert.is(refusal(() => verifier.verify(keys.sign(alg, claims(), { forged: true }))), 'bad signature');
  });
}

test('expiry is checked with 30 s of clock skew, to the millisecond', () => {
  const exp = nowSeconds() - 10;
  const token = keys.sign('ES256', claims({ exp }));
  assert.is(verifier.verify(token, exp * 1000 + clockSkewMs), 'billing');
  assert.is(refusal(() => verifier.verify(token, exp * 1000 + clockSkewMs + 1)), 'token expired');
});

test('nbf in the future beyond the skew is refused; within it is accepted', () => {
  const nbf = nowSeconds() + 5;
  const token = keys.sign('HS256', claims({ nbf }));
  assert.is(verifier.verify(token, nbf * 1000 - clockSkewMs), 'billing');
  assert.is(refusal(() => verifier.verify(token, nbf * 1000 - clockSkewMs - 1)), 'token not valid yet (nbf)');
});

test('audience, issuer, exp and sub are required', () => {
  assert.is(refusal(() => verifier.verify(keys.sign('HS256', claims({ aud: 'other-service' })))), 'wrong audience');
  assert.is(verifier.verify(keys.sign('HS256', claims({ aud: ['other-service', 'relay'] }))), 'billing');
  assert.is(refusal(() => verifier.verify(keys.sign('HS256', claims({ iss: 'https://evil.test' })))), 'wrong issuer');
  assert.is(refusal(() => verifier.verify(keys.sign('HS256', claims({ exp: undefined })))), 'exp is required');
  assert.is(refusal(() => verifier.verify(keys.sign('HS256', claims({ sub: '' })))), 'sub is required');
});

test('alg none, unknown kids and an algorithm that does not fit the key are refused', () => {
  const unsigned = keys.sign('HS256', claims()).split('.').slice(0, 2).join('.') + '.';
  assert.is(refusal(() => verifier.verify(unsigned.replace(/^[^.]+/, Buffer.from('{"alg":"none"}').toString('base64url')))), 'malformed token');
  assert.is(refusal(() => verifier.verify(keys.sign('HS256', claims(), { header: { alg: 'none' } }))), 'unsupported alg "none"');
  assert.is(refusal(() => verifier.verify(keys.sign('HS256', claims(), { header: { kid: 'nope' } }))), 'no key for alg HS256 and kid "nope"');
  // HMAC keyed with the RSA key's public JWK text: the classic confusion attack.
  assert.is(refusal(() => verifier.verify(keys.sign('HS256', claims(), { header: { kid: 'rs-1' } }))), 'no key for alg HS256 and kid "rs-1"');
  assert.is(refusal(() => verifier.verify('a.b.c')), 'malformed token header');
});

test('a JWKS with an unusable key is refused at load, naming the key', () => {
  const bad = { keys: [{ kty: 'oct', kid: 'short', k: Buffer.alloc(16).toString('base64url') }, { kty: 'EC', kid: 'p384', crv: 'P-384', x: 'AA', y: 'AA' }] };
  assert.throws(() => JwtVerifier.fromJwks(JSON.stringify(bad), { audience: 'relay' }), /key 0 \(short\): an HS256 key needs at least 32 bytes[\s\S]*key 1 \(p384\)/);
});

test('static tokens map to principals, by plain text or by SHA-256', () => {
  const token = 'tok-0123456789abcdef';
  const other = 'tok-fedcba9876543210';
  const tokens = StaticTokens.parse(
    JSON.stringify({ tokens: [{ principal: 'billing', token }, { principal: 'audit', sha256: createHash('sha256').update(other).digest('hex') }] }),
  );
  assert.is(tokens.principalOf(token), 'billing');
  assert.is(tokens.principalOf(other), 'audit');
  assert.is(tokens.principalOf(token + 'x'), undefined);
  assert.throws(() => StaticTokens.parse(JSON.stringify({ tokens: [{ principal: 'x', token: 'short' }] })), /16 characters or more/);
});

test('the authenticator takes a presented token over the client certificate, and refuses a bad one', () => {
  const authenticator = new Authenticator(StaticTokens.parse(JSON.stringify({ tokens: [{ principal: 'billing', token: 'tok-0123456789abcdef' }] })), verifier);
  const metadata = (value?: string) => {
    const m = new Metadata();
    if (value) m.set('authorization', value);
    return m;
  };
  assert.is(authenticator.authenticate(metadata('Bearer tok-0123456789abcdef'), undefined), 'billing');
  assert.is(authenticator.authenticate(metadata(`Bearer ${keys.sign('RS256', claims({ sub: 'orders' }))}`), undefined), 'orders');
  assert.throws(() => authenticator.authenticate(metadata('Bearer nope'), undefined), (e: Error) => e instanceof AuthenticationError && e.message === 'unknown token');
  assert.throws(() => authenticator.authenticate(metadata('Basic abc'), undefined), (e: Error) => e instanceof AuthenticationError);
  assert.throws(() => authenticator.authenticate(metadata(), undefined), /credentials required/);
});

test('permissions: patterns match whole names, * any run, deny beats allow, everyone\'s rules apply to all', () => {
  const permissions = Permissions.parse(
    JSON.stringify({
      billing: { allow: { publish: ['orders.*'], subscribe: ['billing-*'], admin: ['billing-*'] }, deny: { publish: ['orders.audit'] } },
      '*': { allow: { subscribe: ['public'] }, deny: { admin: ['billing-locked'] } },
    }),
  );
  assert.ok(permissions.allows('billing', 'publish', 'orders.created'));
  assert.ok(permissions.allows('billing', 'publish', 'orders.eu.created'));
  assert.not.ok(permissions.allows('billing', 'publish', 'orders'));
  assert.not.ok(permissions.allows('billing', 'publish', 'xorders.created'));
  assert.not.ok(permissions.allows('billing', 'publish', 'orders.audit'));
  assert.not.ok(permissions.allows('billing', 'subscribe', 'orders.created'));
  assert.ok(permissions.allows('billing', 'subscribe', 'public'));
  assert.ok(permissions.allows('someone', 'subscribe', 'public'));
  assert.not.ok(permissions.allows('someone', 'publish', 'orders.created'));
  assert.ok(permissions.allows('billing', 'admin', 'billing-main'));
  assert.not.ok(permissions.allows('billing', 'admin', 'billing-locked'));
  // Dots in patterns are literal.
  assert.not.ok(Permissions.parse('{"a":{"allow":{"publish":["a.b"]}}}').allows('a', 'publish', 'aXb'));
  assert.throws(() => Permissions.parse('{"a":{"allow":{"write":["x"]},"deny":{"publish":["x y"]}}}'), /unknown verb "write"[\s\S]*deny.publish/);
});

test('the publish rate admits exactly one second of messages and bytes, then says when to retry', () => {
  const limits = new PrincipalLimits({ publishMessagesPerSecond: 10, publishBytesPerSecond: 1000, maxStreamsPerPrincipal: 0 });
  const t = 1_000_000;
  assert.is(limits.admitPublish('a', 10, 100, t), undefined);
  const refused = limits.admitPublish('a', 1, 1, t);
  assert.is(refused?.retryAfterMs, 100);
  assert.is(limits.admitPublish('a', 1, 1, t + 99)?.retryAfterMs, 1);
  assert.is(limits.admitPublish('a', 1, 1, t + 100), undefined);
  // Another principal has its own buckets.
  assert.is(limits.admitPublish('b', 10, 1000, t), undefined);
  assert.is(limits.admitPublish('b', 0, 1, t)?.retryAfterMs, 1);
  // More than a second's worth can never pass: no retry hint.
  const tooBig = limits.admitPublish('c', 11, 0, t);
  assert.ok(tooBig && tooBig.retryAfterMs === undefined && /smaller batches/.test(tooBig.message));
  assert.is(limits.admitPublish('c', 10, 1000, t), undefined);
});

test('open streams are counted per principal up to the limit; a release frees one place once', () => {
  const limits = new PrincipalLimits({ publishMessagesPerSecond: 0, publishBytesPerSecond: 0, maxStreamsPerPrincipal: 2 });
  const first = limits.openStream('a');
  const second = limits.openStream('a');
  assert.ok('release' in first && 'release' in second);
  const third = limits.openStream('a');
  assert.ok(!('release' in third) && third.retryAfterMs === 1000);
  assert.ok('release' in limits.openStream('b'));
  if ('release' in first) {
    first.release();
    first.release();
  }
  assert.ok('release' in limits.openStream('a'));
  assert.not.ok('release' in limits.openStream('a'));
});

test('every relay.v1 RPC has an authorization rule', () => {
  const { relay } = loadRelayProto();
  const paths = Object.values(relay)
    .flatMap((service) => Object.values((service as { service?: Record<string, { path: string }> }).service ?? {}))
    .map((method) => method.path);
  assert.ok(paths.length >= 20, `${paths.length} methods found`);
  assert.equal(paths.filter((path) => !methodRules[path]), []);
  assert.equal(Object.keys(methodRules).filter((path) => !paths.includes(path)), [], 'no rule for a method that does not exist');
});

test('security settings are checked together at start, every problem listed at once', () => {
  const here = new URL(import.meta.url).pathname;
  try {
    loadConfig({ RELAY_TLS_CERT_FILE: here, RELAY_TLS_CLIENT_CA_FILE: '/no/such/ca.pem', RELAY_JWKS_FILE: here, RELAY_PUBLISH_MESSAGES_PER_SECOND: '-1' });
    assert.unreachable('the configuration was accepted');
  } catch (error) {
    assert.instance(error, ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    assert.match(problems, 'RELAY_TLS_CLIENT_CA_FILE: no file /no/such/ca.pem');
    assert.match(problems, 'RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE go together');
    assert.match(problems, 'RELAY_JWKS_FILE needs RELAY_JWT_AUDIENCE');
    assert.match(problems, 'RELAY_PUBLISH_MESSAGES_PER_SECOND must be an integer');
  }
  assert.throws(() => loadConfig({ RELAY_PERMISSIONS_FILE: here }), /RELAY_PERMISSIONS_FILE needs a way to authenticate/);
  assert.throws(() => loadConfig({ RELAY_TLS_CLIENT_CA_FILE: here }), /needs RELAY_TLS_CERT_FILE/);
});

test.run();
