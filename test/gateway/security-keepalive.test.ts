// The keepalive ping policy (RELAY_KEEPALIVE_MIN_PING_INTERVAL_MS), seen from a raw HTTP/2 client:
// pings on a connection without calls at most once per interval, the third one too soon answered
// with GOAWAY ENHANCE_YOUR_CALM "too_many_pings"; pings while a call is open are free.
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { startInProcess, type InProcessGateway } from '../helpers/in-process.ts';

const test = suite('security keepalive');
const minPingIntervalMs = 1000;
let gateway: InProcessGateway;

test.before(async () => {
  const store = new MemoryMessageStore({ finishedTransactionTtlMs: 60_000 });
  gateway = await startInProcess({ store, cleanup: async () => {} }, { RELAY_KEEPALIVE_MIN_PING_INTERVAL_MS: String(minPingIntervalMs) });
});

test.after(async () => {
  await gateway?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw HTTP/2 connection to the gateway that records the GOAWAY it gets. */
async function open(): Promise<{ session: ClientHttp2Session; goaway: () => { code: number; data: string } | undefined; ping(): Promise<void> }> {
  const session = connect(`http://127.0.0.1:${gateway.gateway.port}`);
  let received: { code: number; data: string } | undefined;
  session.on('goaway', (code, _lastStreamId, data) => (received = { code, data: data?.toString() ?? '' }));
  session.on('error', () => {});
  await new Promise((resolve) => session.once('connect', resolve));
  return {
    session,
    goaway: () => received,
    ping: () =>
      new Promise<void>((resolve) => {
        if (session.closed || session.destroyed) return resolve();
        session.ping(() => resolve());
        // A ping the server no longer answers (GOAWAY sent) is cancelled; either way, move on.
        setTimeout(resolve, 200);
      }),
  };
}

test('the third ping too soon on a connection without calls gets GOAWAY too_many_pings; two are forgiven', async () => {
  const client = await open();
  for (let i = 0; i < 3; i++) await client.ping(); // the first, then two strikes
  await sleep(100);
  assert.is(client.goaway(), undefined, 'two strikes are forgiven');
  await client.ping();
  for (let i = 0; i < 20 && !client.goaway(); i++) await sleep(50);
  assert.equal(client.goaway(), { code: constants.NGHTTP2_ENHANCE_YOUR_CALM, data: 'too_many_pings' });
  client.session.destroy();
});

test('pings at the minimum interval are fine', async () => {
  const client = await open();
  for (let i = 0; i < 4; i++) {
    await client.ping();
    await sleep(minPingIntervalMs + 50);
  }
  assert.is(client.goaway(), undefined);
  client.session.destroy();
});

test('pings while a call is open are free', async () => {
  const client = await open();
  // Health/Watch streams until cancelled: an open call.
  const call = client.session.request({
    ':method': 'POST',
    ':path': '/grpc.health.v1.Health/Watch',
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  call.on('error', () => {});
  call.end(Buffer.from([0, 0, 0, 0, 0])); // one empty HealthCheckRequest
  await new Promise((resolve) => call.once('response', resolve));
  for (let i = 0; i < 6; i++) await client.ping();
  await sleep(100);
  assert.is(client.goaway(), undefined);
  call.close();
  client.session.destroy();
});

test.run();
