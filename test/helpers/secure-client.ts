import { credentials, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { loadRelayProto } from '../../proto/load.ts';
import type { AdminServiceClient } from '../../generated/ts/relay/v1/AdminService.ts';
import type { PublisherServiceClient } from '../../generated/ts/relay/v1/PublisherService.ts';
import type { SubscriberServiceClient } from '../../generated/ts/relay/v1/SubscriberService.ts';
import type { TransactionServiceClient } from '../../generated/ts/relay/v1/TransactionService.ts';
import type { CertificateFiles } from './certs.ts';

/** How a test client connects: plaintext, TLS trusting a CA, or mTLS with a client certificate too. */
export type Transport = { kind: 'plaintext' } | { kind: 'tls'; ca: string; client?: CertificateFiles };

export function channelCredentials(transport: Transport): ChannelCredentials {
  if (transport.kind === 'plaintext') return credentials.createInsecure();
  const client = transport.client;
  return credentials.createSsl(
    readFileSync(transport.ca),
    client ? readFileSync(client.key) : null,
    client ? readFileSync(client.cert) : null,
  );
}

/** Generated clients on one channel; every call carries `authorization: Bearer <token>` when a token is given. */
export function connectAs(address: string, transport: Transport, token?: string) {
  const { relay } = loadRelayProto();
  const channel = channelCredentials(transport);
  // Test certificates name 127.0.0.1 and localhost; TLS verifies the name localhost (SNI takes no IP address).
  const options = transport.kind === 'tls' ? { 'grpc.ssl_target_name_override': 'localhost' } : {};
  const publisher = new relay.PublisherService!(address, channel, options) as unknown as PublisherServiceClient;
  const shared = { ...options, channelOverride: publisher.getChannel() };
  const subscriber = new relay.SubscriberService!(address, channel, shared) as unknown as SubscriberServiceClient;
  const admin = new relay.AdminService!(address, channel, shared) as unknown as AdminServiceClient;
  const transactions = new relay.TransactionService!(address, channel, shared) as unknown as TransactionServiceClient;
  const metadata = () => {
    const m = new Metadata();
    if (token) m.set('authorization', `Bearer ${token}`);
    return m;
  };
  return {
    publisher,
    subscriber,
    admin,
    transactions,
    metadata,
    /** A unary call; rejects with the ServiceError. */
    call<R>(client: object, method: string, request: object): Promise<R> {
      return new Promise((resolve, reject) => {
        (client as Record<string, Function>)[method]!.call(
          client,
          request,
          metadata(),
          { deadline: Date.now() + 20_000 },
          (error: ServiceError | null, response: R) => (error ? reject(error) : resolve(response)),
        );
      });
    },
    close() {
      publisher.close();
    },
  };
}

export type SecureClient = ReturnType<typeof connectAs>;

/** The status code and trailers a call ends with (code 0 when it succeeds). */
export async function outcome(call: Promise<unknown>): Promise<{ code: number; details: string; trailers: Metadata | undefined }> {
  try {
    await call;
    return { code: 0, details: '', trailers: undefined };
  } catch (error) {
    const { code, details, metadata } = error as ServiceError;
    if (code === undefined) throw error;
    return { code, details, trailers: metadata };
  }
}
