// The gateway's own encoding of Subscribe responses (gateway/subscribe-response-encoding.ts) against
// proto-loader's serializer, which it replaces on the server: every response, as the gateway builds
// it and in every form the generated input type allows, must make the very bytes of responseSerialize.
// On a difference both are decoded with proto-loader and compared field by field, then the first
// differing byte is shown. The last test runs a Subscribe stream through a real gateway.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client as GrpcClient, credentials, Metadata, type ClientDuplexStream } from '@grpc/grpc-js';
import { Long } from '@grpc/proto-loader';
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import type { Delivery as StoreDelivery, DeliveryReason as StoreDeliveryReason, StoredMessage } from '../../adapters/store.ts';
import { toTimestamp } from '../../gateway/context.ts';
import { encodeReceipt } from '../../gateway/receipts.ts';
import { encodeSubscribeResponse } from '../../gateway/subscribe-response-encoding.ts';
import { toResponse } from '../../gateway/subscriber-service.ts';
import type { Delivery } from '../../generated/ts/relay/v1/Delivery.ts';
import type { DeliveryReason } from '../../generated/ts/relay/v1/DeliveryReason.ts';
import type { ReceivedMessage } from '../../generated/ts/relay/v1/ReceivedMessage.ts';
import type { SubscribeResponse, SubscribeResponse__Output } from '../../generated/ts/relay/v1/SubscribeResponse.ts';
import type { Timestamp } from '../../generated/ts/google/protobuf/Timestamp.ts';
import { loadRelayProto } from '../../proto/load.ts';
import { publish, topicWithSubscriptions } from '../helpers/client.ts';
import { startInProcess } from '../helpers/in-process.ts';
import { randomString, seeded } from '../helpers/random.ts';

const subscribeMethod = loadRelayProto().relay.SubscriberService!.service.Subscribe;
const protoLoaderSerialize = subscribeMethod.responseSerialize as (response: SubscribeResponse) => Buffer;
const decode = subscribeMethod.responseDeserialize as (bytes: Buffer) => SubscribeResponse__Output;

function assertSameAsProtoLoader(response: SubscribeResponse, what: string): void {
  const expected = protoLoaderSerialize(response);
  const actual = encodeSubscribeResponse(response);
  if (actual.equals(expected)) return;
  assert.equal(decode(actual), decode(expected), `${what}: decoded response`);
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const around = (bytes: Buffer) => bytes.subarray(Math.max(0, at - 16), at + 16).toString('hex');
  assert.unreachable(`${what}: ${actual.length} bytes for proto-loader's ${expected.length}, first difference at byte ${at}:\n  ours         ${around(actual)}\n  proto-loader ${around(expected)}`);
}

const storeReasons: StoreDeliveryReason[] = ['first', 'nack', 'lease-expired', 'consumer-lost', 'seek', 'redrive'];

/** A response as the gateway builds it (toResponse) from the store's deliveries. */
function gatewayResponse(deliveries: readonly StoreDelivery[]): SubscribeResponse {
  return toResponse(
    deliveries,
    deliveries.map(({ message, attempt }) => encodeReceipt('orders-workers', message.id, attempt)),
  );
}

/** A message as the stores hand it over: every string set, '' when unused. */
function stored(fields: Partial<StoredMessage> = {}): StoredMessage {
  return {
    id: '1732423423423-0',
    data: Buffer.from('{"order":42}'),
    attributes: {},
    orderingKey: '',
    publishTimeMs: 1_732_423_423_423,
    traceparent: '',
    tracestate: '',
    originalId: '',
    ...fields,
  };
}

function delivery(message: StoredMessage, fields: Partial<StoreDelivery> = {}): StoreDelivery {
  return { message, attempt: 1, reason: 'first', leaseDeadlineMs: 1_732_423_453_423, ...fields };
}

const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const messageShapes: Record<string, StoredMessage> = {
  bare: stored(),
  'with attributes': stored({ attributes: { kind: 'order', 'content-type': 'application/json', empty: '' } }),
  'with an ordering key': stored({ orderingKey: 'customer-17' }),
  'with trace context': stored({ traceparent, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' }),
  'redriven, with its original id': stored({ id: '1732423499999-3', originalId: '1732423423423-0' }),
  'a dead letter': stored({
    originalId: '1732423423423-0',
    deadLetter: { sourceTopic: 'orders', subscription: 'orders-workers', reason: 'max-delivery-attempts', attempts: 5 },
  }),
  'everything at once': stored({
    attributes: { a: '1', b: '2' },
    orderingKey: 'k',
    traceparent,
    tracestate: 'vendor=value',
    originalId: '1-0',
    deadLetter: { sourceTopic: 'orders', subscription: 'orders-workers', reason: 'rejected', attempts: 2 ** 31 - 1 },
  }),
  'payload in a larger buffer': stored({ data: Buffer.from('..the payload in the middle..').subarray(2, 27) }),
  'empty payload': stored({ data: Buffer.alloc(0) }),
};

const test = suite('Subscribe response encoding');

test('deliveries as the gateway builds them, of every shape, reason and attempt, encode as proto-loader does', () => {
  const attempts = [1, 2, 127, 128, 16_384, 2 ** 31 - 1];
  const all: StoreDelivery[] = [];
  for (const [shape, message] of Object.entries(messageShapes)) {
    for (const reason of storeReasons) {
      for (const attempt of attempts) {
        const one = delivery(message, { reason, attempt });
        assertSameAsProtoLoader(gatewayResponse([one]), `${shape}, ${reason}, attempt ${attempt}`);
        all.push(one);
      }
    }
  }
  assertSameAsProtoLoader(gatewayResponse(all), 'all of them in one response');
  assertSameAsProtoLoader(gatewayResponse(all.slice(0, 100)), 'a batch of 100');
});

test('lease deadlines and publish times from 0 to the far future, and before 1970, encode as proto-loader does', () => {
  const instantsMs = [0, 1, 999, 1000, 1001, 1_732_423_423_423, 2 ** 31 * 1000, 2 ** 32 * 1000 + 7, 253_402_300_799_999, 8.64e15, -1, -1000, -1_732_423_423_423];
  for (const publishTimeMs of instantsMs) {
    for (const leaseDeadlineMs of instantsMs) {
      assertSameAsProtoLoader(gatewayResponse([delivery(stored({ publishTimeMs }), { leaseDeadlineMs })]), `published ${publishTimeMs}, lease ${leaseDeadlineMs}`);
    }
  }
});

test('a response of invalid receipts only, and empty responses, encode as proto-loader does', () => {
  const receipts = ['orders-workers/1732423423423-0/1', 'orders-workers/1732423423424-0/2', ''];
  assertSameAsProtoLoader({ invalidReceipts: receipts }, 'invalid receipts only');
  assertSameAsProtoLoader({ invalidReceipts: [receipts[0]!] }, 'one invalid receipt');
  assertSameAsProtoLoader({ ...gatewayResponse([delivery(stored())]), invalidReceipts: receipts }, 'deliveries and invalid receipts');
  assertSameAsProtoLoader({}, 'nothing');
  assertSameAsProtoLoader({ deliveries: [], invalidReceipts: [] }, 'empty lists');
  assertSameAsProtoLoader(gatewayResponse([]), 'no deliveries');
  assert.is(encodeSubscribeResponse({}).length, 0);
});

test('non-ASCII in every string, around the 40 UTF-16 units where protobufjs changes UTF-8 encoders, lone surrogates too', () => {
  const pieces = ['é', '✓', '日本語', '🚀', '\ud800', '\udfff', 'a\ud83d'];
  for (const piece of pieces) {
    for (const length of [1, 19, 20, 38, 39, 40, 41, 63, 64, 200, 5000]) {
      const text = piece.repeat(Math.ceil(length / piece.length)).slice(0, length);
      const message = stored({
        id: text,
        attributes: { [text]: text, [`${text}-key`]: 'ascii', ascii: text },
        orderingKey: text,
        traceparent: text,
        tracestate: text,
        originalId: text,
        deadLetter: { sourceTopic: text, subscription: text, reason: text, attempts: 1 },
      });
      const response = gatewayResponse([delivery(message)]);
      response.deliveries![0]!.receipt = text;
      response.invalidReceipts = [text, `x${text}`];
      assertSameAsProtoLoader(response, `${JSON.stringify(piece)} x ${length}`);
    }
  }
  assertSameAsProtoLoader(gatewayResponse([delivery(stored({ id: 'héllo wörld ✓ 🚀 日本語', attributes: { 'clé': 'valeur', 'ключ': 'значение' } }))]), 'mixed');
});

test('payloads empty, around the varint boundaries of the lengths, 64 KiB and 10 MiB, encode as proto-loader does', () => {
  const lengths = [0, 1, 100, 127, 128, 129, 200, 16_000, 64 * 1024, 2 ** 21 - 300, 10 * 1024 * 1024];
  for (let length = 15_900; length < 16_400; length += 7) lengths.push(length);
  for (const length of lengths) {
    const data = Buffer.alloc(length, length % 251);
    assertSameAsProtoLoader(gatewayResponse([delivery(stored({ data }))]), `payload of ${length} bytes`);
  }
  const mixed = [0, 1024, 64 * 1024, 0, 16_300].map((length) => delivery(stored({ data: Buffer.alloc(length, 7), traceparent })));
  assertSameAsProtoLoader(gatewayResponse(mixed), 'payloads of several sizes in one response');
});

test('many and large attributes, integer-like keys first as Object.keys orders them, encode as proto-loader does', () => {
  const many: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) many[i % 3 === 0 ? String(1000 - i) : `attribute.${i}`] = `value ${i}`;
  assertSameAsProtoLoader(gatewayResponse([delivery(stored({ attributes: many }))]), 'a thousand attributes');
  const large: Record<string, string> = {};
  for (let i = 0; i < 100; i++) large[`k${i}`.padEnd(256, 'k')] = 'v'.repeat(4096);
  assertSameAsProtoLoader(gatewayResponse([delivery(stored({ attributes: large })), delivery(stored())]), '100 attributes of 4 KiB');
  assertSameAsProtoLoader(gatewayResponse([delivery(stored({ attributes: JSON.parse('{"__proto__":"own key","b":"2"}') }))]), 'a key named __proto__');
});

test('every form the generated input type allows encodes as proto-loader does', () => {
  const timestamps: Record<string, Timestamp | null | undefined> = {
    'seconds as a decimal string': { seconds: '1732423423', nanos: 5 },
    'negative seconds as a string': { seconds: '-62135596800', nanos: 0 },
    'seconds beyond int64 as a string': { seconds: '99999999999999999999', nanos: 1 },
    'seconds as long.js reads junk': { seconds: '12ab', nanos: 1 },
    'seconds of 9 digits and a fraction': { seconds: '123456789.5' },
    'seconds as NaN text': { seconds: 'NaN' },
    'seconds as a Long': { seconds: Long.fromString('-9223372036854775808') },
    'seconds as low and high halves': { seconds: { low: -1, high: 0x7fffffff, unsigned: false } as Long },
    'seconds beyond int64 as numbers': { seconds: 2 ** 64, nanos: -(2 ** 31) },
    'seconds below int64 as numbers': { seconds: -(2 ** 64) },
    'seconds just below 2^63': { seconds: 2 ** 63 - 1024 },
    'seconds as fractions': { seconds: -1.5, nanos: 1.9 },
    'seconds as NaN and Infinity': { seconds: Number.NaN, nanos: Number.POSITIVE_INFINITY },
    'seconds as -Infinity': { seconds: Number.NEGATIVE_INFINITY },
    'only seconds': { seconds: 0 },
    'only nanos': { nanos: 999_999_999 },
    'neither': {},
    'null fields': { seconds: null, nanos: null } as unknown as Timestamp,
    'null': null,
    'undefined': undefined,
  };
  for (const [what, timestamp] of Object.entries(timestamps)) {
    assertSameAsProtoLoader({ deliveries: [{ leaseDeadline: timestamp, message: { publishTime: timestamp } }] }, what);
  }
  const reasons: unknown[] = ['DELIVERY_REASON_UNSPECIFIED', 0, 1, 6, 7, 99, -1, -(2 ** 31), 2 ** 31, 2 ** 32 + 5, 1.5, -0.5, Number.NaN, 'NOT_A_REASON', 'toString', '1', null, undefined];
  for (const reason of reasons) assertSameAsProtoLoader({ deliveries: [{ reason: reason as DeliveryReason }] }, `reason ${String(reason)}`);
  const int32s = [0, 1, -1, 127, 128, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32 + 3, -(2 ** 40), 3.7, -3.7, Number.NaN, Number.POSITIVE_INFINITY];
  for (const value of int32s) {
    assertSameAsProtoLoader(
      { deliveries: [{ deliveryAttempt: value, message: { deadLetter: { deliveryAttempts: value } } }] },
      `int32 ${value}`,
    );
  }
  const payloads: Record<string, ReceivedMessage['data']> = {
    'a Uint8Array': new Uint8Array([0, 1, 2, 255]),
    'a Uint8Array view at an offset': new Uint8Array([9, 9, 0, 1, 2, 9]).subarray(2, 5),
    'base64': Buffer.from('any payload at all').toString('base64'),
    'base64 with one =': 'QUI=',
    'base64 without padding': 'QUI',
    'base64 of one byte without padding': 'QQ',
    'empty base64': '',
    'base64 of 64 KiB': Buffer.alloc(64 * 1024, 3).toString('base64'),
  };
  for (const [what, data] of Object.entries(payloads)) assertSameAsProtoLoader({ deliveries: [{ message: { data } }] }, `payload as ${what}`);
  const sparse: Record<string, Delivery> = {
    'an empty delivery': {},
    'an empty message': { message: {} },
    'null fields': { message: null, receipt: undefined, leaseDeadline: null },
    'zeros and empty strings, all written': {
      message: { messageId: '', data: Buffer.alloc(0), attributes: {}, orderingKey: '', traceparent: '', tracestate: '', originalMessageId: '', deadLetter: {} },
      receipt: '',
      deliveryAttempt: 0,
      leaseDeadline: { seconds: 0, nanos: 0 },
      reason: 0,
    },
    'null message fields': {
      message: { messageId: null, data: null, attributes: null, publishTime: null, deadLetter: null } as unknown as ReceivedMessage,
    },
    'an empty dead letter': { message: { deadLetter: { sourceTopic: '', subscription: undefined, deliveryAttempts: 0 } } },
  };
  for (const [what, one] of Object.entries(sparse)) assertSameAsProtoLoader({ deliveries: [one, one] }, what);
});

test('what proto-loader refuses to encode is refused too: empty seconds, base64 outside its alphabet', () => {
  const refused: SubscribeResponse[] = [
    { deliveries: [{ leaseDeadline: { seconds: '' } }] },
    { deliveries: [{ leaseDeadline: { seconds: '12-3' } }] },
    { deliveries: [{ message: { data: 'a-_b' } }] },
    { deliveries: [{ message: { data: 'QUJDR' } }] },
    { deliveries: [{ message: { data: 'QU JD' } }] },
    { deliveries: [{ message: { data: 'Q=' } }] },
    { deliveries: [{ message: { data: '=QUJD' } }] },
  ];
  for (const response of refused) {
    assert.throws(() => protoLoaderSerialize(response), undefined, `proto-loader refuses ${JSON.stringify(response)}`);
    assert.throws(() => encodeSubscribeResponse(response), undefined, `ours refuses ${JSON.stringify(response)}`);
  }
});

test('base64 whose length protobufjs overstates (text after the padding) encodes to as many bytes, zeros where it has uninitialised memory', () => {
  const response: SubscribeResponse = { deliveries: [{ message: { data: 'QQ==garbage' } }] };
  const ours = encodeSubscribeResponse(response);
  assert.is(ours.length, protoLoaderSerialize(response).length);
  assert.equal([...decode(ours).deliveries[0]!.message!.data], [0x41, 0, 0, 0, 0, 0, 0, 0]);
});

test('three hundred random responses encode as proto-loader does', () => {
  const random = seeded(42);
  for (let i = 0; i < 300; i++) {
    const response: SubscribeResponse = {};
    if (random() < 0.9) response.deliveries = Array.from({ length: Math.floor(random() * 6) }, () => randomDelivery(random));
    if (random() < 0.3) response.invalidReceipts = Array.from({ length: Math.floor(random() * 4) }, () => randomString(random, 60));
    assertSameAsProtoLoader(response, `random response ${i}`);
  }
});

test('through a gateway, Subscribe streams bytes that proto-loader decodes to what was published and encodes back the same', async () => {
  const running = await startInProcess({ store: new MemoryMessageStore(), cleanup: async () => {} });
  const address = `127.0.0.1:${running.gateway.port}`;
  const raw = new GrpcClient(address, credentials.createInsecure(), { 'grpc.max_receive_message_length': -1 });
  const streams: ClientDuplexStream<unknown, Buffer>[] = [];
  try {
    const { client } = running;
    const dlq = await topicWithSubscriptions(client);
    const { topic, subscriptions } = await topicWithSubscriptions(client, [{ deadLetterTopic: dlq.topic }]);
    const metadata = new Metadata();
    metadata.set('traceparent', traceparent);
    metadata.set('tracestate', 'rojo=00f067aa0ba902b7');
    const messages = [
      { data: Buffer.from('plain'), attributes: {} },
      { data: Buffer.alloc(0), attributes: { 'clé': 'valeur ✓', '10': 'ten', '2': 'two' }, orderingKey: 'client-🚀' },
      { data: Buffer.alloc(64 * 1024, 5), attributes: { kind: 'large' } },
    ];
    const published = (await publish(client, topic, messages, metadata)).results;

    /** Responses of a raw Subscribe stream, as the bytes on the wire, until `count` deliveries came. */
    const receive = (subscription: string, count: number) =>
      new Promise<{ bytes: Buffer[]; deliveries: SubscribeResponse__Output['deliveries'] }>((resolve, reject) => {
        const call = raw.makeBidiStreamRequest('/relay.v1.SubscriberService/Subscribe', subscribeMethod.requestSerialize, (bytes: Buffer) => bytes);
        streams.push(call);
        const bytes: Buffer[] = [];
        const deliveries: SubscribeResponse__Output['deliveries'] = [];
        const timer = setTimeout(() => reject(new Error(`${deliveries.length} of ${count} deliveries within 5 s`)), 5000);
        call.on('data', (response: Buffer) => {
          bytes.push(response);
          deliveries.push(...decode(response).deliveries);
          if (deliveries.length >= count) {
            clearTimeout(timer);
            resolve({ bytes, deliveries });
          }
        });
        call.on('error', reject);
        call.write({ subscription });
      });

    const first = await receive(subscriptions[0]!, messages.length);
    const dead = first.deliveries.find((one) => one.message!.messageId === published[1]!.messageId)!;
    await client.call(client.subscriber, 'Reject', { subscription: subscriptions[0], receipts: [dead.receipt], reason: 'schéma' });
    const second = await receive(dlq.subscriptions[0]!, 1);

    for (const bytes of [...first.bytes, ...second.bytes]) assert.ok(protoLoaderSerialize(decode(bytes)).equals(bytes), 'the wire bytes are proto-loader\'s');
    assert.equal(
      first.deliveries.map(({ message }) => [message!.messageId, [...message!.data], message!.attributes, message!.orderingKey, message!.traceparent, message!.tracestate]),
      messages.map((message, i) => [published[i]!.messageId, [...message.data], message.attributes, message.orderingKey ?? '', traceparent, 'rojo=00f067aa0ba902b7']),
    );
    assert.ok(first.deliveries.every((one) => one.reason === 'DELIVERY_REASON_FIRST' && one.deliveryAttempt === 1 && Number(one.leaseDeadline!.seconds) * 1000 > Date.now()));
    const deadLetter = second.deliveries[0]!.message!;
    assert.is(deadLetter.originalMessageId, published[1]!.messageId);
    assert.equal(deadLetter.attributes, messages[1]!.attributes);
    assert.equal(deadLetter.deadLetter, { sourceTopic: topic, subscription: subscriptions[0], reason: 'schéma', deliveryAttempts: 1 });
  } finally {
    for (const stream of streams) stream.cancel();
    raw.close();
    await running.stop();
  }
});

/** Each field absent, null, undefined or set, as `make` gives it. */
function maybe<T>(random: () => number, make: () => T): T | null | undefined {
  const pick = random();
  return pick < 0.1 ? null : pick < 0.2 ? undefined : make();
}

function randomInt32(random: () => number): number {
  const shapes = [() => Math.floor(random() * 10), () => Math.floor((random() - 0.5) * 2 ** 32), () => Math.floor(random() * 2 ** 31)];
  return shapes[Math.floor(random() * shapes.length)]!();
}

function randomTimestamp(random: () => number): Timestamp {
  const ms = Math.floor((random() - 0.2) * 4e12);
  const shapes: (() => Timestamp)[] = [
    () => toTimestamp(ms),
    () => ({ seconds: String(Math.floor(ms / 1000)), nanos: randomInt32(random) }),
    () => ({ seconds: Long.fromNumber(Math.floor(ms / 1000)) }),
    () => ({ nanos: Math.floor(random() * 1e9) }),
  ];
  return shapes[Math.floor(random() * shapes.length)]!();
}

function randomData(random: () => number): ReceivedMessage['data'] {
  const bytes = Buffer.alloc(Math.floor(random() * (random() < 0.1 ? 20_000 : 300)), Math.floor(random() * 256));
  const pick = random();
  return pick < 0.6 ? bytes : pick < 0.8 ? new Uint8Array(bytes) : bytes.toString('base64');
}

function randomDelivery(random: () => number): Delivery {
  const reasons: DeliveryReason[] = ['DELIVERY_REASON_UNSPECIFIED', 'DELIVERY_REASON_FIRST', 'DELIVERY_REASON_NACK', 'DELIVERY_REASON_REDRIVE', 0, 3, 6];
  const one = {
    message: maybe(random, () => {
      const attributes: Record<string, string> = {};
      for (let j = 0; j < random() * 8; j++) attributes[random() < 0.2 ? String(Math.floor(random() * 100)) : randomString(random, 30)] = randomString(random, 50);
      return {
        messageId: maybe(random, () => randomString(random, 30)),
        data: maybe(random, () => randomData(random)),
        attributes: maybe(random, () => attributes),
        orderingKey: maybe(random, () => randomString(random, 45)),
        publishTime: maybe(random, () => randomTimestamp(random)),
        traceparent: maybe(random, () => (random() < 0.5 ? traceparent : randomString(random, 60))),
        tracestate: maybe(random, () => randomString(random, 60)),
        originalMessageId: maybe(random, () => randomString(random, 30)),
        deadLetter: maybe(random, () => ({
          sourceTopic: maybe(random, () => randomString(random, 20)),
          subscription: maybe(random, () => randomString(random, 20)),
          reason: maybe(random, () => randomString(random, 60)),
          deliveryAttempts: maybe(random, () => randomInt32(random)),
        })),
      };
    }),
    receipt: maybe(random, () => randomString(random, 70)),
    deliveryAttempt: maybe(random, () => randomInt32(random)),
    leaseDeadline: maybe(random, () => randomTimestamp(random)),
    reason: maybe(random, () => reasons[Math.floor(random() * reasons.length)]!),
  };
  return one as Delivery;
}

test.run();
