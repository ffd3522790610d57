// A tour of the TypeScript client against a running gateway:
//   node --import tsx clients/typescript/examples/quickstart.ts [--addr localhost:50051]
// Creates a topic and two subscriptions, publishes with an idempotency key (twice: stored once),
// consumes with ack and with a nack and its redelivery, and runs a consume-transform-produce transaction.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connect } from '../index.ts';

const { values } = parseArgs({ options: { addr: { type: 'string', default: 'localhost:50051' } } });
const relay = connect({ address: values.addr });
const suffix = randomUUID().slice(0, 8);
const orders = `orders-${suffix}`;
const invoices = `invoices-${suffix}`;
const fast = { minimumBackoff: { nanos: 50_000_000 }, maximumBackoff: { nanos: 200_000_000 } };
await relay.admin.createTopic({ topic: { name: orders } });
await relay.admin.createTopic({ topic: { name: invoices } });
await relay.admin.createSubscription({ subscription: { name: `billing-${suffix}`, topic: orders, startPosition: 'START_POSITION_EARLIEST', retryPolicy: fast } });
await relay.admin.createSubscription({ subscription: { name: `archive-${suffix}`, topic: invoices, startPosition: 'START_POSITION_EARLIEST' } });

// Publish: batched by the publisher; the same idempotency key twice is stored once.
const publisher = relay.publisher(orders);
const first = await publisher.publish({ data: JSON.stringify({ order: 1 }), attributes: { kind: 'order' }, idempotencyKey: `order-1-${suffix}` });
const again = await publisher.publish({ data: JSON.stringify({ order: 1 }), attributes: { kind: 'order' }, idempotencyKey: `order-1-${suffix}` });
const second = await publisher.publish({ data: JSON.stringify({ order: 2 }), attributes: { kind: 'order' } });
console.log(`published ${first} (again: ${again}), ${second}`);

// Subscribe: order 1 is acked; order 2 is nacked once, comes back at attempt 2, then goes into a
// transaction that acks it and publishes its invoice, all or nothing.
const billing = relay.subscribe(`billing-${suffix}`);
for await (const message of billing) {
  const { order } = JSON.parse(message.data.toString()) as { order: number };
  console.log(`received order ${order}, attempt ${message.deliveryAttempt} (${message.reason})`);
  if (order === 1) await message.ack();
  else if (message.deliveryAttempt === 1) await message.nack();
  else {
    const [invoice] = await relay.transaction((tx) => {
      tx.publish(invoices, { data: JSON.stringify({ invoiceFor: order }) });
      tx.ack(message);
    });
    console.log(`committed invoice ${invoice}`);
    break;
  }
}

for await (const message of relay.subscribe(`archive-${suffix}`)) {
  console.log(`archived ${message.data}`);
  await message.ack();
  break;
}
await relay.close();
