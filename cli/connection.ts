// The generated gRPC clients of every Relay service and grpc.health.v1, on one channel, with the
// address, TLS and token the command line asked for.
import { credentials, makeGenericClientConstructor, Metadata, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { readFileSync } from 'node:fs';
import { loadRelayProto } from '../proto/load.ts';
import type { AdminServiceClient } from '../generated/ts/relay/v1/AdminService.ts';
import type { PublisherServiceClient } from '../generated/ts/relay/v1/PublisherService.ts';
import type { SubscriberServiceClient } from '../generated/ts/relay/v1/SubscriberService.ts';
import type { TransactionServiceClient } from '../generated/ts/relay/v1/TransactionService.ts';
import { UsageError, type Input } from './command.ts';

export const defaultAddress = 'localhost:50051';

/** A unary call gives up after this long (the gateway answers far sooner or is not there). */
const callTimeoutMs = 30_000;

export type Connection = ReturnType<typeof connect>;

function readPem(path: string | undefined, flag: string): Buffer | null {
  if (path === undefined) return null;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Connects as the global flags say: --addr / RELAY_ADDR, --tls*, --token / RELAY_TOKEN. */
export function connect(input: Input) {
  const address = input.string('addr') ?? input.env.RELAY_ADDR ?? defaultAddress;
  if (!/^[^\s/:]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(address)) {
    throw new UsageError(`the gateway address (--addr or RELAY_ADDR) must be HOST:PORT, got ${JSON.stringify(address)}`);
  }
  const ca = readPem(input.string('tls-ca'), '--tls-ca');
  const cert = readPem(input.string('tls-cert'), '--tls-cert');
  const key = readPem(input.string('tls-key'), '--tls-key');
  if ((cert === null) !== (key === null)) throw new UsageError('--tls-cert and --tls-key go together');
  const secure = input.boolean('tls') === true || ca !== null || cert !== null;
  const channelCredentials = secure ? credentials.createSsl(ca, key, cert) : credentials.createInsecure();
  const token = input.string('token') ?? input.env.RELAY_TOKEN;

  const { relay } = loadRelayProto();
  const options = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
  const publisher = new relay.PublisherService!(address, channelCredentials, options) as unknown as PublisherServiceClient;
  const shared = { ...options, channelOverride: publisher.getChannel() };
  const Health = makeGenericClientConstructor(healthService as unknown as ServiceDefinition, 'Health');
  const clients = {
    publisher,
    subscriber: new relay.SubscriberService!(address, channelCredentials, shared) as unknown as SubscriberServiceClient,
    admin: new relay.AdminService!(address, channelCredentials, shared) as unknown as AdminServiceClient,
    transactions: new relay.TransactionService!(address, channelCredentials, shared) as unknown as TransactionServiceClient,
    health: new Health(address, channelCredentials, shared),
  };
  return {
    address,
    ...clients,
    /** Metadata of a call: the bearer token, when there is one, and `headers`. */
    metadata(headers: Readonly<Record<string, string>> = {}): Metadata {
      const metadata = new Metadata();
      if (token) metadata.set('authorization', `Bearer ${token}`);
      for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
      return metadata;
    },
    /** Calls a unary method; resolves with its response, rejects with its ServiceError. */
    call<R>(client: object, method: string, request: object, headers: Readonly<Record<string, string>> = {}): Promise<R> {
      return new Promise((resolve, reject) => {
        const deadline = Date.now() + callTimeoutMs;
        const metadata = this.metadata(headers);
        (client as Record<string, Function>)[method]!.call(client, request, metadata, { deadline }, (error: ServiceError | null, response: R) =>
          error ? reject(error) : resolve(response),
        );
      });
    },
    close(): void {
      publisher.close();
    },
  };
}

/** Runs `use` on a connection made from the command line, and closes it after. */
export async function withConnection<T>(input: Input, use: (relay: Connection) => Promise<T>): Promise<T> {
  const relay = connect(input);
  try {
    return await use(relay);
  } finally {
    relay.close();
  }
}
