// SIGHUP reads the security files again: a new connection sees the new certificate while an open
// Subscribe stream keeps delivering; a broken file keeps the previous one in force; new permissions
// apply to the next call.
import { randomUUID } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { status } from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import { makeCertificates } from '../helpers/certs.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';
import { connectAs, outcome } from '../helpers/secure-client.ts';

const test = suite('security reload');
const certs = makeCertificates();
const live = { cert: join(certs.dir, 'live.pem'), key: join(certs.dir, 'live.key') };
const permissionsFile = join(certs.dir, 'permissions.json');
const tokensFile = join(certs.dir, 'tokens.json');
const token = 'token-of-app-0123456789';
const topic = `reload-${randomUUID()}`;
const subscription = `reload-sub-${randomUUID()}`;
let gateway: GatewayProcess;

const allowEverything = { app: { allow: { publish: ['*'], subscribe: ['*'], admin: ['*'] } } };

test.before(async () => {
  copyFileSync(certs.server.cert, live.cert);
  copyFileSync(certs.server.key, live.key);
  writeFileSync(tokensFile, JSON.stringify({ tokens: [{ principal: 'app', token }] }));
  writeFileSync(permissionsFile, JSON.stringify(allowEverything));
  gateway = await startGateway({
    RELAY_TLS_CERT_FILE: live.cert,
    RELAY_TLS_KEY_FILE: live.key,
    RELAY_TOKENS_FILE: tokensFile,
    RELAY_PERMISSIONS_FILE: permissionsFile,
  });
});

test.after(async () => {
  await gateway?.kill();
  certs.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The subject CN of the certificate a new TLS connection to the gateway is shown. */
function serverCommonName(): Promise<string> {
  const port = Number(gateway.address.split(':')[1]);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca: certs.read(certs.ca.cert), ALPNProtocols: ['h2'] }, () => {
      const name = socket.getPeerCertificate().subject.CN;
      socket.destroy();
      resolve(String(Array.isArray(name) ? name[0] : name));
    });
    socket.once('error', reject);
  });
}

/** Sends SIGHUP and waits for the gateway to log the outcome of the n-th reload. */
async function reload(n: number): Promise<string> {
  process.kill(gateway.pid, 'SIGHUP');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const reloads = gateway.output().split('\n').filter((line) => /security files (reloaded|not all reloaded)/.test(line));
    if (reloads.length >= n) return reloads[n - 1]!;
    if (Date.now() > deadline) throw new Error(`no reload logged:\n${gateway.output()}`);
    await sleep(20);
  }
}

test('SIGHUP: a new connection sees the new certificate, an open stream keeps delivering, a broken file changes nothing', async () => {
  const client = connectAs(gateway.address, { kind: 'tls', ca: certs.ca.cert }, token);
  await client.call(client.admin, 'CreateTopic', { topic: { name: topic } });
  await client.call(client.admin, 'CreateSubscription', { subscription: { name: subscription, topic } });
  const received: string[] = [];
  const stream = client.subscriber.Subscribe(client.metadata());
  stream.on('data', (response: SubscribeResponse__Output) => {
    for (const delivery of response.deliveries) {
      received.push(delivery.message!.data.toString());
      stream.write({ ackReceipts: [delivery.receipt] });
    }
  });
  let streamError: Error | undefined;
  stream.on('error', (error: Error) => (streamError = error));
  stream.write({ subscription });
  const publishAndReceive = async (text: string) => {
    const publisher = connectAs(gateway.address, { kind: 'tls', ca: certs.ca.cert }, token);
    await publisher.call(publisher.publisher, 'Publish', { topic, messages: [{ data: Buffer.from(text) }] });
    publisher.close();
    for (let i = 0; i < 250 && !received.includes(text); i++) await sleep(20);
    assert.ok(received.includes(text), `the open stream received ${text} (error: ${streamError?.message})`);
  };
  await publishAndReceive('before');
  assert.is(await serverCommonName(), 'relay-1');

  copyFileSync(certs.otherServer.cert, live.cert);
  copyFileSync(certs.otherServer.key, live.key);
  assert.match(await reload(1), /security files reloaded/);
  assert.is(await serverCommonName(), 'relay-2');
  await publishAndReceive('after');

  writeFileSync(live.key, 'not a key');
  assert.match(await reload(2), /not all reloaded/);
  assert.is(await serverCommonName(), 'relay-2');
  await publishAndReceive('after a broken file');
  assert.is(streamError, undefined);
  copyFileSync(certs.otherServer.key, live.key);
  stream.cancel();
  client.close();
});

test('SIGHUP applies new permissions to the next call', async () => {
  writeFileSync(permissionsFile, JSON.stringify({ app: { allow: { subscribe: ['*'] } } }));
  assert.match(await reload(3), /security files reloaded/);
  const client = connectAs(gateway.address, { kind: 'tls', ca: certs.ca.cert }, token);
  const denied = await outcome(client.call(client.publisher, 'Publish', { topic, messages: [{ data: Buffer.from('x') }] }));
  assert.is(denied.code, status.PERMISSION_DENIED);
  writeFileSync(permissionsFile, JSON.stringify(allowEverything));
  assert.match(await reload(4), /security files reloaded/);
  assert.is((await outcome(client.call(client.publisher, 'Publish', { topic, messages: [{ data: Buffer.from('x') }] }))).code, status.OK);
  client.close();
});

test.run();
