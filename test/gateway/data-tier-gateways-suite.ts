// Three gateway processes on one data tier (one Redis, or a Redis Cluster): a client spread over them
// gets every message, and SIGKILL of any one of them loses nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, publish, sleep, TestSubscriber, topicWithSubscriptions, type Client } from '../helpers/client.ts';
import { startGateway, type GatewayProcess } from '../helpers/gateway.ts';

/** A data tier of the test's own: the gateway settings that reach it, and how to stop it. */
export interface DataTier {
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

interface Context {
  tier: DataTier;
  gateways: GatewayProcess[];
  clients: Client[];
}

/** One gateway of the three with its client; replaced when the test kills it. */
async function startMember(tier: DataTier): Promise<{ gateway: GatewayProcess; client: Client }> {
  const gateway = await startGateway({ ...tier.env, RELAY_POLL_INTERVAL_MS: '100' });
  return { gateway, client: connect(gateway.address) };
}

const MESSAGES = 600;
const BATCH = 20;
/** Short leases: what a killed gateway held falls due for the others soon. */
const subscriptionSettings = { ackDeadline: { seconds: 2 }, retryPolicy: { minimumBackoff: { nanos: 50_000_000 } } };

export function defineGatewaysSuite(name: string, startTier: () => Promise<DataTier>) {
  const test = suite<Context>(`three gateways on ${name}`);

  test.before(async (context) => {
    context.tier = await startTier();
    context.gateways = [];
    context.clients = [];
    for (let i = 0; i < 3; i++) {
      const { gateway, client } = await startMember(context.tier);
      context.gateways.push(gateway);
      context.clients.push(client);
    }
  });

  test.after(async ({ tier, gateways, clients }) => {
    for (const client of clients) client.close();
    await Promise.all(gateways.map((gateway) => gateway.kill()));
    await tier.stop();
  });

  test('a client spread over the three gateways gets every message in every subscription, whichever gateway took each call', async ({ clients }) => {
    const { topic, subscriptions } = await topicWithSubscriptions(clients[0]!, [subscriptionSettings, subscriptionSettings]);
    // Each subscription has a stream on every gateway; each gateway's streams must get a share.
    const streams = subscriptions.map((subscription) =>
      clients.map((client) => {
        const stream = new TestSubscriber(client, subscription, { maxOutstandingMessages: 50 });
        stream.onDeliveries = (deliveries) => stream.ack(deliveries.map((delivery) => delivery.receipt));
        return stream;
      }),
    );
    try {
      const published = new Set<string>();
      for (let i = 0; i < MESSAGES; i += BATCH) {
        const batch = Array.from({ length: BATCH }, (_, j) => ({ data: Buffer.from(`m${i + j}`) }));
        for (const { messageId } of (await publish(clients[(i / BATCH) % 3]!, topic, batch)).results) published.add(messageId);
      }
      for (const [s, perGateway] of streams.entries()) {
        const received = () => new Set(perGateway.flatMap((stream) => stream.deliveries.map((delivery) => delivery.message!.messageId)));
        await perGateway[0]!.until(() => received().size >= MESSAGES, 30_000, `every message in subscription ${s + 1}`);
        assert.equal([...published].filter((id) => !received().has(id)), [], 'none missing');
        const shares = perGateway.map((stream) => stream.deliveries.length);
        assert.ok(shares.every((share) => share > 0), `every gateway delivered a share: ${shares}`);
      }
    } finally {
      for (const stream of streams.flat()) stream.cancel();
    }
  });

  for (const victim of [0, 1, 2]) {
    test(`SIGKILL of gateway ${victim + 1} mid-run loses nothing: every confirmed publish is delivered and acked`, async (context) => {
      const { gateways, clients } = context;
      let dead = -1;
      const live = () => clients.filter((_, i) => i !== dead);
      const { topic, subscriptions } = await topicWithSubscriptions(live()[0]!, [subscriptionSettings]);
      const subscription = subscriptions[0]!;
      const received = new Set<string>();
      let redelivered = 0;
      const streams: TestSubscriber[] = [];
      const open = (client: Client, acks = true) => {
        const stream = new TestSubscriber(client, subscription, { maxOutstandingMessages: 50 });
        streams.push(stream);
        stream.onDeliveries = (deliveries) => {
          for (const delivery of deliveries) {
            received.add(delivery.message!.messageId);
            if (delivery.deliveryAttempt > 1) redelivered++;
          }
          if (acks) stream.ack(deliveries.map((delivery) => delivery.receipt));
        };
        // A stream whose gateway died ends with an error: the client opens it again elsewhere.
        void stream.until(() => stream.error !== undefined, 120_000, 'stream error').then(
          () => !stream.cancelled && open(live()[0]!),
          () => {},
        );
      };
      // The victim's stream settles nothing: the victim dies holding its deliveries.
      clients.forEach((client, i) => open(client, i !== victim));
      try {
        const confirmed = new Set<string>();
        let retried = 0;
        for (let i = 0; i < MESSAGES; i += BATCH) {
          // Idempotency keys make a retry through another gateway safe.
          const batch = Array.from({ length: BATCH }, (_, j) => ({ data: Buffer.from(`m${i + j}`), idempotencyKey: `${topic}-${i + j}` }));
          let done = false;
          if (dead < 0 && i >= MESSAGES / 3 && streams[victim]!.deliveries.length > 0) {
            // The victim dies holding deliveries and with this publish in flight: stored or not, the
            // client cannot know, and retries.
            const inFlight = publish(clients[victim]!, topic, batch).catch((error: Error) => error);
            dead = victim;
            assert.is(await gateways[victim]!.kill(), 'SIGKILL');
            const outcome = await inFlight;
            if (outcome instanceof Error) retried++;
            else {
              for (const { messageId } of outcome.results) confirmed.add(messageId);
              done = true;
            }
          }
          for (let attempt = 0; !done; attempt++) {
            const client = live()[(i / BATCH + attempt) % live().length]!;
            try {
              for (const { messageId } of (await publish(client, topic, batch)).results) confirmed.add(messageId);
              done = true;
            } catch (error) {
              retried++;
              assert.ok(attempt < 10, `publish keeps failing: ${(error as Error).message}`);
              await sleep(100);
            }
          }
        }
        assert.is(confirmed.size, MESSAGES);
        assert.is(dead, victim, 'the victim died mid-run, holding deliveries');
        await streams[0]!.until(() => [...confirmed].every((id) => received.has(id)), 30_000, 'every confirmed message received');
        // Acks sent to the dead gateway were lost with it: those messages come again and are acked again.
        const stats = async () =>
          live()[0]!.call<{ backlog: string; inFlight: string }>(live()[0]!.admin, 'GetSubscriptionStats', { subscription });
        const deadline = Date.now() + 30_000;
        for (let now = await stats(); Number(now.backlog) + Number(now.inFlight) > 0; now = await stats()) {
          assert.ok(Date.now() < deadline, `everything acked in the end: ${JSON.stringify(now)}`);
          await sleep(100);
        }
        assert.ok(redelivered >= streams[victim]!.deliveries.length, 'what the victim held came again');
        console.log(
          `gateway ${victim + 1} killed: ${confirmed.size} confirmed, ${received.size} received, ` +
            `${redelivered} deliveries were redeliveries, ${retried} publishes retried`,
        );
      } finally {
        for (const stream of streams) stream.cancel();
        // The next test starts with three gateways again.
        clients[victim]!.close();
        const { gateway, client } = await startMember(context.tier);
        gateways[victim] = gateway;
        clients[victim] = client;
      }
    });
  }

  return test;
}
