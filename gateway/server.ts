import { Server, type ServiceDefinition } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { MessageStore } from '../adapters/store.ts';
import type { Config } from './config.ts';
import type { GatewayContext } from './context.ts';
import type { Logger } from './log.ts';
import { adminService } from './admin-service.ts';
import { metadataLimit } from './metadata-limit.ts';
import { loadRelayProto } from '../proto/load.ts';
import { publisherService } from './publisher-service.ts';
import { enforcePingPolicy } from './security/ping-policy.ts';
import { GatewaySecurity } from './security/security.ts';
import { runHousekeeping } from './housekeeping.ts';
import { encodePublishResponse } from './publish-response-encoding.ts';
import { encodeSubscribeResponse } from './subscribe-response-encoding.ts';
import { subscriberService } from './subscriber-service.ts';
import { GatewayMetrics } from './telemetry/metrics.ts';
import { serviceName } from './telemetry/sdk.ts';
import { transactionService } from './transaction-service.ts';
import { tuneAfterBind, tuneBeforeBind } from './transport-tuning.ts';

export interface RunningGateway {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** The port /metrics is served on; undefined when metrics are off. */
  readonly metricsPort: number | undefined;
  /** Drains: refuses new calls, ends streams and releases their deliveries, waits for calls, closes the store. Idempotent. */
  close(): Promise<void>;
  /** Reads the TLS, token, JWKS and permission files again (SIGHUP); open connections and streams carry on. */
  reload(): void;
}

const serviceNames = ['PublisherService', 'SubscriberService', 'AdminService', 'TransactionService'] as const;

/** The composition root of the gRPC side: services, health, reflection, drain. */
export async function serve(config: Config, store: MessageStore, log: Logger): Promise<RunningGateway> {
  let draining = false;
  const metrics = config.metricsPort
    ? await GatewayMetrics.start({ port: config.metricsPort, host: listenHost(config.listen), store, serviceName: serviceName() })
    : undefined;
  const context: GatewayContext = { config, store, log, metrics, draining: () => draining };
  const security = new GatewaySecurity(config);
  if (!security.authentication) {
    log.warn('authentication is off: any client may publish, subscribe and administer (see SECURITY.md)');
  }
  if (!security.tls) log.warn('TLS is off: traffic on the gRPC port is plaintext');
  const { definition, relay } = loadRelayProto();
  // A whole Publish batch, plus room for protobuf framing.
  const maxMessageBytes = config.maxBatchBytes + 1024 * 1024;
  const server = new Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': -1,
    // No channelz service is offered, and its per-call bookkeeping cost about 9% of the gateway's CPU
    // at 1,000 single-message publishes/s.
    'grpc.enable_channelz': 0,
    'grpc.keepalive_time_ms': config.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': config.keepaliveTimeoutMs,
    interceptors: [metadataLimit(config.maxMetadataBytes), ...security.interceptors()],
  });

  const subscriber = subscriberService(context);
  const publisher = publisherService(context);
  const publisherDefinition = withResponseEncoder(relay.PublisherService!.service, 'Publish', encodePublishResponse);
  server.addService(withResponseEncoder(publisherDefinition, 'PublishStream', encodePublishResponse), publisher.handlers);
  server.addService(withResponseEncoder(relay.SubscriberService!.service, 'Subscribe', encodeSubscribeResponse), subscriber.handlers);
  server.addService(relay.AdminService!.service, adminService(context));
  server.addService(relay.TransactionService!.service, transactionService(context));

  const health = new HealthImplementation({ '': 'SERVING', ...Object.fromEntries(serviceNames.map((name) => [`relay.v1.${name}`, 'SERVING'])) });
  health.addToServer(server);
  new ReflectionService(definition).addToServer(server);

  metrics?.observe(() => subscriber.holding());

  tuneBeforeBind(server, log);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(config.listen, security.credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  ).catch(async (error: unknown) => {
    await metrics?.close();
    throw error;
  });
  tuneAfterBind(server);
  enforcePingPolicy(server, config.keepaliveMinPingIntervalMs, log);

  const stopHousekeeping = runHousekeeping(store, config.trimIntervalMs, config.pollIntervalMs, log);
  let closing: Promise<void> | undefined;
  const drain = async () => {
    draining = true;
    stopHousekeeping();
    health.setStatus('', 'NOT_SERVING');
    for (const name of serviceNames) health.setStatus(`relay.v1.${name}`, 'NOT_SERVING');
    await Promise.all([subscriber.drain(), publisher.drain()]);
    await new Promise<void>((resolve) => {
      const cut = setTimeout(() => {
        log.warn({ drainTimeoutMs: config.drainTimeoutMs }, 'calls still running after the drain timeout; cutting them');
        server.forceShutdown();
        resolve();
      }, config.drainTimeoutMs);
      server.tryShutdown(() => {
        clearTimeout(cut);
        resolve();
      });
    });
    await metrics?.close();
    await store.close();
  };
  return {
    port,
    metricsPort: metrics?.port,
    close: () => (closing ??= drain()),
    reload: () => {
      const problems = security.reload();
      if (problems.length === 0) log.info({ tls: security.tls, mutualTls: security.mutualTls }, 'security files reloaded');
      else log.error({ problems }, 'security files not all reloaded; the previous ones stay in force where a file is wrong');
    },
  };
}

/**
 * The service with one method's responses encoded by Relay's own encoder: the same bytes as
 * protobufjs's fromObject and encode, for a fraction of the CPU and garbage. Handlers still answer
 * the generated response objects.
 */
function withResponseEncoder<Response>(service: ServiceDefinition, method: string, encode: (response: Response) => Buffer): ServiceDefinition {
  return { ...service, [method]: { ...service[method]!, responseSerialize: encode } };
}

/** The host part of host:port ([v6] without brackets): /metrics listens where gRPC does. */
function listenHost(listen: string): string {
  return listen.slice(0, listen.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
}
