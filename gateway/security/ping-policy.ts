import { constants, type Http2Server, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import { performance } from 'node:perf_hooks';
import type { Server } from '@grpc/grpc-js';
import type { Logger } from '../log.ts';

// gRPC core's server ping policy, which grpc-js lacks: a client may ping a connection that carries no
// call at most once per interval (`grpc.http2.min_ping_interval_without_data_ms`); pings while calls
// are open are free (they ride along with data, as BDP pings do). The third ping too soon is answered
// with GOAWAY ENHANCE_YOUR_CALM "too_many_pings", on which gRPC clients back their keepalive off.

/** Pings too soon that are forgiven, as in gRPC core (`grpc.http2.max_ping_strikes`). */
const maxPingStrikes = 2;

/** Watches every connection of the bound server; 0 turns the policy off. */
export function enforcePingPolicy(server: Server, minPingIntervalMs: number, log: Logger): void {
  if (minPingIntervalMs === 0) return;
  const servers = (server as unknown as { http2Servers?: Map<Http2Server | Http2SecureServer, unknown> }).http2Servers;
  if (!servers) {
    log.warn('grpc-js internals changed: the keepalive ping policy is not enforced');
    return;
  }
  for (const http2Server of servers.keys()) {
    http2Server.on('session', (session: ServerHttp2Session) => watch(session, minPingIntervalMs));
  }
}

function watch(session: ServerHttp2Session, minPingIntervalMs: number): void {
  let openStreams = 0;
  let lastPingMs = -Infinity;
  let strikes = 0;
  session.on('stream', (stream) => {
    openStreams++;
    stream.once('close', () => openStreams--);
  });
  session.on('ping', () => {
    const now = performance.now();
    const tooSoon = openStreams === 0 && now - lastPingMs < minPingIntervalMs;
    lastPingMs = now;
    if (tooSoon && ++strikes > maxPingStrikes && !session.closed) {
      session.goaway(constants.NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from('too_many_pings'));
      session.close();
    }
  });
}
