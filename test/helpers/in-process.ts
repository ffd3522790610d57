import type { MessageStore } from '../../adapters/store.ts';
import { loadConfig } from '../../gateway/config.ts';
import { createLogger } from '../../gateway/log.ts';
import { serve, type RunningGateway } from '../../gateway/server.ts';
import { connect, type Client } from './client.ts';

export interface StoreFixture {
  readonly store: MessageStore;
  cleanup(): Promise<void>;
}

export interface InProcessGateway {
  readonly gateway: RunningGateway;
  readonly client: Client;
  /** Closes the client, drains the gateway, cleans the store up. */
  stop(): Promise<void>;
}

/** A gateway in this process (real gRPC over loopback) on the given store, with a client connected. */
export async function startInProcess(fixture: StoreFixture, env: Record<string, string> = {}): Promise<InProcessGateway> {
  const config = loadConfig({ RELAY_LISTEN: '127.0.0.1:0', RELAY_POLL_INTERVAL_MS: '100', RELAY_DRAIN_TIMEOUT_MS: '2000', ...env });
  const gateway = await serve(config, fixture.store, createLogger('silent'));
  const client = connect(`127.0.0.1:${gateway.port}`);
  return {
    gateway,
    client,
    async stop() {
      client.close();
      await gateway.close();
      await fixture.cleanup();
    },
  };
}
