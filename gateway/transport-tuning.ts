import type { Server } from '@grpc/grpc-js';
import type { Http2Server, ServerHttp2Session, Settings } from 'node:http2';
import type { Logger } from './log.ts';

/** HTTP/2 receive window per stream and per connection: a whole Publish batch fits without stalls. */
const streamWindowBytes = 4 * 1024 * 1024;
const connectionWindowBytes = 16 * 1024 * 1024;

/**
 * grpc-js 1.14 offers no option for these, and its defaults cost latency: server sockets keep Nagle's
 * algorithm on (small deliveries wait for the previous segment's ACK), and Node's 64 KiB HTTP/2
 * receive window stalls concurrent calls (PERF-NOTES.md: p99 ~400 ms at 100 calls in flight).
 * They live in the server's private options, read when it binds; if a grpc-js upgrade moves them,
 * the gateway logs it and runs with the defaults.
 */
export function tuneBeforeBind(server: Server, log: Logger): void {
  const options = (server as unknown as { commonServerOptions?: { noDelay?: boolean; settings?: Settings } }).commonServerOptions;
  if (!options) {
    log.warn('grpc-js internals changed: running with its default HTTP/2 window and Nagle on');
    return;
  }
  options.noDelay = true;
  options.settings = { ...options.settings, initialWindowSize: streamWindowBytes };
}

/** Raises each new connection's window (settings cover streams only). */
export function tuneAfterBind(server: Server): void {
  const servers = (server as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  for (const http2Server of servers?.keys() ?? []) {
    http2Server.on('session', (session: ServerHttp2Session) => session.setLocalWindowSize(connectionWindowBytes));
  }
}
