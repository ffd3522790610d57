import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/** Everything the gateway can be told, validated at start. Nothing else reads process.env (OTEL_* aside). */
export interface Config {
  /** host:port to serve gRPC on. */
  readonly listen: string;
  /** Redis URL; undefined runs on the embedded memory store. */
  readonly redisUrl: string | undefined;
  /** host:port of Redis Cluster nodes; empty = one Redis server (the URL's). */
  readonly redisClusterNodes: readonly string[];
  /** PEM files for rediss://: the CA(s) to trust, and a client certificate and key; '' = none. */
  readonly redisTlsCaFile: string;
  readonly redisTlsCertFile: string;
  readonly redisTlsKeyFile: string;
  /** host:port of Redis Sentinels; set = find the primary named redisSentinelName through them. */
  readonly redisSentinels: readonly string[];
  readonly redisSentinelName: string;
  /** Replicas that must acknowledge a publish or commit (Redis WAIT) before it is confirmed; 0 = off. */
  readonly redisWaitReplicas: number;
  readonly redisWaitTimeoutMs: number;
  /** Names this gateway's Redis consumers; unique per running gateway. */
  readonly gatewayId: string;
  readonly logLevel: string;
  /** Named debug tracers, e.g. ['store', 'stream']. */
  readonly trace: readonly string[];
  /** Defaults of new topics and subscriptions. */
  readonly dedupWindowMs: number;
  readonly retentionMs: number;
  /** Max backlog of new topics (see TopicConfig); 0 = no limit. */
  readonly maxBacklogMessages: number;
  readonly maxBacklogAgeMs: number;
  readonly ackDeadlineMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxDeliveryAttempts: number;
  /** Limits. */
  readonly maxPayloadBytes: number;
  readonly maxAttributes: number;
  readonly maxAttributeKeyBytes: number;
  readonly maxAttributeValueBytes: number;
  readonly maxBatchMessages: number;
  readonly maxBatchBytes: number;
  readonly maxMetadataBytes: number;
  /** How long SIGTERM waits for calls to finish before cutting them. */
  readonly drainTimeoutMs: number;
  /** Each subscription is checked this often for due redeliveries of other gateways. */
  readonly pollIntervalMs: number;
  /** Every topic's retention is applied this often. */
  readonly trimIntervalMs: number;
  /** How long a committed or aborted transaction is remembered (repeats of Commit/Abort answer as before). */
  readonly finishedTransactionTtlMs: number;
  /** Serves Prometheus metrics on GET /metrics on this port (host of `listen`); 0 = off. */
  readonly metricsPort: number;
  /** Security (gateway/security/): PEM files of TLS on the gRPC port; a client CA requires client certificates (mTLS). '' = none. */
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
  readonly tlsClientCaFile: string;
  /** Static bearer tokens, JWKS of JWT signing keys, JWT audience and issuer, permissions per principal. '' = none. */
  readonly tokensFile: string;
  readonly jwksFile: string;
  readonly jwtAudience: string;
  readonly jwtIssuer: string;
  readonly permissionsFile: string;
  /** Per principal: publish rate (messages, payload bytes) and open streams (Subscribe and PublishStream); 0 = unlimited. */
  readonly publishMessagesPerSecond: number;
  readonly publishBytesPerSecond: number;
  readonly maxStreamsPerPrincipal: number;
  /** HTTP/2 keepalive: ping an idle connection after this long, drop it when the ping is not answered within the timeout. */
  readonly keepaliveTimeMs: number;
  readonly keepaliveTimeoutMs: number;
  /** Clients may ping a connection without calls at most this often (gRPC's min_ping_interval_without_data); 0 = any rate. */
  readonly keepaliveMinPingIntervalMs: number;
}

interface Setting {
  readonly env: string;
  readonly description: string;
  readonly fallback: string | undefined;
}

/** Every setting: an environment variable, and a flag of the same name (RELAY_ACK_DEADLINE_MS = --ack-deadline-ms). */
export const settings = {
  listen: { env: 'RELAY_LISTEN', description: 'host:port to serve gRPC on', fallback: '0.0.0.0:50051' },
  redisUrl: { env: 'REDIS_URL', description: 'redis:// URL; unset runs on the embedded memory store', fallback: undefined },
  redisClusterNodes: {
    env: 'RELAY_REDIS_CLUSTER_NODES',
    description: 'host:port of Redis Cluster nodes, comma separated (REDIS_URL then gives only user, password and TLS)',
    fallback: '',
  },
  redisTlsCaFile: { env: 'RELAY_REDIS_TLS_CA_FILE', description: 'PEM file of the CA(s) trusted for rediss://', fallback: '' },
  redisTlsCertFile: { env: 'RELAY_REDIS_TLS_CERT_FILE', description: 'PEM client certificate for rediss://', fallback: '' },
  redisTlsKeyFile: { env: 'RELAY_REDIS_TLS_KEY_FILE', description: 'PEM key of the client certificate', fallback: '' },
  redisSentinels: {
    env: 'RELAY_REDIS_SENTINELS',
    description: 'host:port of Redis Sentinels, comma separated (REDIS_URL then gives only user, password, TLS and db)',
    fallback: '',
  },
  redisSentinelName: { env: 'RELAY_REDIS_SENTINEL_NAME', description: 'the name the Sentinels monitor the primary under', fallback: 'mymaster' },
  redisWaitReplicas: {
    env: 'RELAY_REDIS_WAIT_REPLICAS',
    description: 'replicas that must acknowledge a publish or commit before it is confirmed (Redis WAIT); 0 = off',
    fallback: '0',
  },
  redisWaitTimeoutMs: {
    env: 'RELAY_REDIS_WAIT_TIMEOUT_MS',
    description: 'how long a publish waits for those replicas before it answers UNAVAILABLE',
    fallback: '1000',
  },
  gatewayId: { env: 'RELAY_GATEWAY_ID', description: 'unique name of this gateway', fallback: undefined },
  logLevel: { env: 'RELAY_LOG_LEVEL', description: 'trace, debug, info, warn, error or silent', fallback: 'info' },
  trace: { env: 'RELAY_TRACE', description: 'debug tracers to turn on: store, stream (comma separated)', fallback: '' },
  dedupWindowMs: { env: 'RELAY_DEDUP_WINDOW_MS', description: 'default idempotency window of new topics', fallback: '120000' },
  retentionMs: { env: 'RELAY_RETENTION_MS', description: 'default retention of new topics', fallback: String(7 * 24 * 3600 * 1000) },
  maxBacklogMessages: {
    env: 'RELAY_MAX_BACKLOG_MESSAGES',
    description: 'default max backlog of new topics: unsettled messages per subscription before publish is refused; 0 = no limit',
    fallback: '0',
  },
  maxBacklogAgeMs: {
    env: 'RELAY_MAX_BACKLOG_AGE_MS',
    description: 'default max backlog of new topics: age of the oldest unsettled message before publish is refused; 0 = no limit',
    fallback: '0',
  },
  ackDeadlineMs: { env: 'RELAY_ACK_DEADLINE_MS', description: 'default ack deadline of new subscriptions', fallback: '30000' },
  minBackoffMs: { env: 'RELAY_MIN_BACKOFF_MS', description: 'default first nack backoff', fallback: '1000' },
  maxBackoffMs: { env: 'RELAY_MAX_BACKOFF_MS', description: 'default largest nack backoff', fallback: '60000' },
  maxDeliveryAttempts: { env: 'RELAY_MAX_DELIVERY_ATTEMPTS', description: 'default delivery attempts before dead-lettering', fallback: '5' },
  maxPayloadBytes: { env: 'RELAY_MAX_PAYLOAD_BYTES', description: 'largest message payload', fallback: String(1024 * 1024) },
  maxAttributes: { env: 'RELAY_MAX_ATTRIBUTES', description: 'most attributes per message', fallback: '100' },
  maxAttributeKeyBytes: { env: 'RELAY_MAX_ATTRIBUTE_KEY_BYTES', description: 'longest attribute key', fallback: '256' },
  maxAttributeValueBytes: { env: 'RELAY_MAX_ATTRIBUTE_VALUE_BYTES', description: 'longest attribute value', fallback: '4096' },
  maxBatchMessages: { env: 'RELAY_MAX_BATCH_MESSAGES', description: 'most messages per Publish', fallback: '1000' },
  maxBatchBytes: { env: 'RELAY_MAX_BATCH_BYTES', description: 'largest Publish request', fallback: String(10 * 1024 * 1024) },
  maxMetadataBytes: { env: 'RELAY_MAX_METADATA_BYTES', description: 'largest request metadata (headers)', fallback: '8192' },
  drainTimeoutMs: { env: 'RELAY_DRAIN_TIMEOUT_MS', description: 'grace period of SIGTERM', fallback: '10000' },
  pollIntervalMs: {
    env: 'RELAY_POLL_INTERVAL_MS',
    description: 'how often idle subscriptions look for due redeliveries, and expired transactions are aborted',
    fallback: '1000',
  },
  trimIntervalMs: { env: 'RELAY_TRIM_INTERVAL_MS', description: 'how often retention is applied to every topic', fallback: '60000' },
  metricsPort: { env: 'RELAY_METRICS_PORT', description: 'port of the Prometheus /metrics endpoint; 0 = off', fallback: '0' },
  finishedTransactionTtlMs: { env: 'RELAY_FINISHED_TRANSACTION_TTL_MS', description: 'how long finished transactions are remembered', fallback: '3600000' },
  tlsCertFile: { env: 'RELAY_TLS_CERT_FILE', description: 'PEM certificate (chain) of the gRPC port; turns TLS on', fallback: '' },
  tlsKeyFile: { env: 'RELAY_TLS_KEY_FILE', description: 'PEM private key of that certificate', fallback: '' },
  tlsClientCaFile: { env: 'RELAY_TLS_CLIENT_CA_FILE', description: 'PEM CA(s) of client certificates; requires them (mTLS)', fallback: '' },
  tokensFile: { env: 'RELAY_TOKENS_FILE', description: 'JSON file of static bearer tokens -> principal', fallback: '' },
  jwksFile: { env: 'RELAY_JWKS_FILE', description: 'JWKS file of the keys JWTs are signed with (HS256, RS256, ES256)', fallback: '' },
  jwtAudience: { env: 'RELAY_JWT_AUDIENCE', description: 'the aud a JWT must carry', fallback: '' },
  jwtIssuer: { env: 'RELAY_JWT_ISSUER', description: 'the iss a JWT must carry; empty = any', fallback: '' },
  permissionsFile: { env: 'RELAY_PERMISSIONS_FILE', description: 'JSON file of permissions per principal', fallback: '' },
  publishMessagesPerSecond: { env: 'RELAY_PUBLISH_MESSAGES_PER_SECOND', description: 'publish rate per principal; 0 = unlimited', fallback: '0' },
  publishBytesPerSecond: { env: 'RELAY_PUBLISH_BYTES_PER_SECOND', description: 'published payload bytes per second per principal; 0 = unlimited', fallback: '0' },
  maxStreamsPerPrincipal: { env: 'RELAY_MAX_STREAMS_PER_PRINCIPAL', description: 'open Subscribe and PublishStream streams per principal; 0 = unlimited', fallback: '0' },
  keepaliveTimeMs: { env: 'RELAY_KEEPALIVE_TIME_MS', description: 'idle time before the gateway pings a connection', fallback: '7200000' },
  keepaliveTimeoutMs: { env: 'RELAY_KEEPALIVE_TIMEOUT_MS', description: 'how long a keepalive ping may go unanswered', fallback: '20000' },
  keepaliveMinPingIntervalMs: {
    env: 'RELAY_KEEPALIVE_MIN_PING_INTERVAL_MS',
    description: 'shortest interval between client pings on a connection without calls; 0 = any',
    fallback: '300000',
  },
} satisfies Record<keyof Config, Setting>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function flagName(setting: Setting): string {
  return '--' + setting.env.replace(/^RELAY_/, '').toLowerCase().replace(/_/g, '-');
}

/** Reads flags (which win) and environment; lists every problem at once in one ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[] = []): Config {
  const problems: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2);
    const known = Object.values(settings).some((setting) => flagName(setting) === flag);
    if (!known) {
      problems.push(`unknown flag ${flag}`);
      if (inline === undefined && argv[i + 1] && !argv[i + 1]!.startsWith('--')) i++;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) problems.push(`flag ${flag} needs a value`);
    else flags.set(flag!, value);
  }
  const raw = (setting: Setting) => flags.get(flagName(setting)) ?? env[setting.env] ?? setting.fallback;
  const integer = (setting: Setting, min: number, max: number): number => {
    const text = raw(setting)!;
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
      problems.push(`${setting.env} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  };

  const listen = raw(settings.listen)!;
  if (!/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(listen) || Number(listen.slice(listen.lastIndexOf(':') + 1)) > 65535) {
    problems.push(`${settings.listen.env} must be host:port, got ${JSON.stringify(listen)}`);
  }
  const redisUrl = raw(settings.redisUrl) || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    problems.push(`${settings.redisUrl.env} must be a redis:// or rediss:// URL`);
  }
  const redisClusterNodes = raw(settings.redisClusterNodes)!.split(',').map((node) => node.trim()).filter(Boolean);
  for (const node of redisClusterNodes) {
    if (!/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(node)) problems.push(`${settings.redisClusterNodes.env}: ${JSON.stringify(node)} is not host:port`);
  }
  if (redisClusterNodes.length > 0 && redisUrl === undefined) problems.push(`${settings.redisClusterNodes.env} needs ${settings.redisUrl.env}`);
  const redisTlsCaFile = raw(settings.redisTlsCaFile)!;
  const redisTlsCertFile = raw(settings.redisTlsCertFile)!;
  const redisTlsKeyFile = raw(settings.redisTlsKeyFile)!;
  for (const [setting, file] of [[settings.redisTlsCaFile, redisTlsCaFile], [settings.redisTlsCertFile, redisTlsCertFile], [settings.redisTlsKeyFile, redisTlsKeyFile]] as const) {
    if (file && !existsSync(file)) problems.push(`${setting.env}: no file ${file}`);
  }
  const redisSentinels = raw(settings.redisSentinels)!.split(',').map((node) => node.trim()).filter(Boolean);
  for (const node of redisSentinels) {
    if (!/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(node)) problems.push(`${settings.redisSentinels.env}: ${JSON.stringify(node)} is not host:port`);
  }
  if (redisSentinels.length > 0 && redisUrl === undefined) problems.push(`${settings.redisSentinels.env} needs ${settings.redisUrl.env}`);
  if (redisSentinels.length > 0 && redisClusterNodes.length > 0) {
    problems.push(`${settings.redisSentinels.env} and ${settings.redisClusterNodes.env} exclude each other`);
  }
  const redisSentinelName = raw(settings.redisSentinelName)!;
  if (!/^[a-zA-Z0-9._-]{1,100}$/.test(redisSentinelName)) problems.push(`${settings.redisSentinelName.env} must match [a-zA-Z0-9._-]{1,100}`);
  if (!redisTlsCertFile !== !redisTlsKeyFile) {
    problems.push(`${settings.redisTlsCertFile.env} and ${settings.redisTlsKeyFile.env} go together`);
  }
  const logLevel = raw(settings.logLevel)!;
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(logLevel)) {
    problems.push(`${settings.logLevel.env} must be one of trace, debug, info, warn, error, fatal, silent`);
  }
  const trace = raw(settings.trace)!.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of trace) if (!['store', 'stream'].includes(name)) problems.push(`${settings.trace.env}: unknown tracer ${name}`);
  const gatewayId = raw(settings.gatewayId) ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  if (!/^[a-zA-Z0-9._-]{1,100}$/.test(gatewayId)) problems.push(`${settings.gatewayId.env} must match [a-zA-Z0-9._-]{1,100}`);

  const file = (setting: Setting) => {
    const path = raw(setting)!;
    if (path && !existsSync(path)) problems.push(`${setting.env}: no file ${path}`);
    return path;
  };
  const tlsCertFile = file(settings.tlsCertFile);
  const tlsKeyFile = file(settings.tlsKeyFile);
  const tlsClientCaFile = file(settings.tlsClientCaFile);
  const tokensFile = file(settings.tokensFile);
  const jwksFile = file(settings.jwksFile);
  const permissionsFile = file(settings.permissionsFile);
  const jwtAudience = raw(settings.jwtAudience)!;
  const jwtIssuer = raw(settings.jwtIssuer)!;
  if (!tlsCertFile !== !tlsKeyFile) problems.push(`${settings.tlsCertFile.env} and ${settings.tlsKeyFile.env} go together`);
  if (tlsClientCaFile && !tlsCertFile) problems.push(`${settings.tlsClientCaFile.env} needs ${settings.tlsCertFile.env} (mTLS is TLS first)`);
  if (jwksFile && !jwtAudience) problems.push(`${settings.jwksFile.env} needs ${settings.jwtAudience.env} (tokens meant for other services must not pass)`);
  if (permissionsFile && !tokensFile && !jwksFile && !tlsClientCaFile) {
    problems.push(`${settings.permissionsFile.env} needs a way to authenticate: ${settings.tokensFile.env}, ${settings.jwksFile.env} or ${settings.tlsClientCaFile.env}`);
  }

  const day = 24 * 3600 * 1000;
  const config: Config = {
    listen,
    redisUrl,
    redisClusterNodes,
    redisTlsCaFile,
    redisTlsCertFile,
    redisTlsKeyFile,
    redisSentinels,
    redisSentinelName,
    redisWaitReplicas: integer(settings.redisWaitReplicas, 0, 100),
    redisWaitTimeoutMs: integer(settings.redisWaitTimeoutMs, 1, 60_000),
    gatewayId,
    logLevel,
    trace,
    dedupWindowMs: integer(settings.dedupWindowMs, 1000, 7 * day),
    retentionMs: integer(settings.retentionMs, 1000, 365 * day),
    maxBacklogMessages: integer(settings.maxBacklogMessages, 0, Number.MAX_SAFE_INTEGER),
    maxBacklogAgeMs: integer(settings.maxBacklogAgeMs, 0, 365 * day),
    ackDeadlineMs: integer(settings.ackDeadlineMs, 1000, 600_000),
    minBackoffMs: integer(settings.minBackoffMs, 0, 600_000),
    maxBackoffMs: integer(settings.maxBackoffMs, 0, 600_000),
    maxDeliveryAttempts: integer(settings.maxDeliveryAttempts, 0, 1000),
    maxPayloadBytes: integer(settings.maxPayloadBytes, 1, 64 * 1024 * 1024),
    maxAttributes: integer(settings.maxAttributes, 0, 10_000),
    maxAttributeKeyBytes: integer(settings.maxAttributeKeyBytes, 1, 65_536),
    maxAttributeValueBytes: integer(settings.maxAttributeValueBytes, 1, 1024 * 1024),
    maxBatchMessages: integer(settings.maxBatchMessages, 1, 10_000),
    maxBatchBytes: integer(settings.maxBatchBytes, 1, 256 * 1024 * 1024),
    maxMetadataBytes: integer(settings.maxMetadataBytes, 1024, 1024 * 1024),
    drainTimeoutMs: integer(settings.drainTimeoutMs, 0, 600_000),
    pollIntervalMs: integer(settings.pollIntervalMs, 10, 60_000),
    trimIntervalMs: integer(settings.trimIntervalMs, 100, 24 * 3600 * 1000),
    finishedTransactionTtlMs: integer(settings.finishedTransactionTtlMs, 100, 7 * day),
    metricsPort: integer(settings.metricsPort, 0, 65535),
    tlsCertFile,
    tlsKeyFile,
    tlsClientCaFile,
    tokensFile,
    jwksFile,
    jwtAudience,
    jwtIssuer,
    permissionsFile,
    publishMessagesPerSecond: integer(settings.publishMessagesPerSecond, 0, 10_000_000),
    publishBytesPerSecond: integer(settings.publishBytesPerSecond, 0, 10 * 1024 * 1024 * 1024),
    maxStreamsPerPrincipal: integer(settings.maxStreamsPerPrincipal, 0, 1_000_000),
    keepaliveTimeMs: integer(settings.keepaliveTimeMs, 1000, 24 * 3600 * 1000),
    keepaliveTimeoutMs: integer(settings.keepaliveTimeoutMs, 1000, 600_000),
    keepaliveMinPingIntervalMs: integer(settings.keepaliveMinPingIntervalMs, 0, 24 * 3600 * 1000),
  };
  if (config.metricsPort !== 0 && config.metricsPort === Number(listen.slice(listen.lastIndexOf(':') + 1))) {
    problems.push(`${settings.metricsPort.env} must differ from the port of ${settings.listen.env}`);
  }
  if (config.minBackoffMs > config.maxBackoffMs) {
    problems.push(`${settings.minBackoffMs.env} must not exceed ${settings.maxBackoffMs.env}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
