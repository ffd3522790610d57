// relay serve: the gateway itself, the same code path as `npm start` (gateway/main.ts).
import { settings } from '../../gateway/config.ts';
import type { Command } from '../command.ts';

/** The flag of a setting, as gateway/config.ts reads it: RELAY_ACK_DEADLINE_MS is --ack-deadline-ms. */
function flagName(env: string): string {
  return '--' + env.replace(/^RELAY_/, '').toLowerCase().replace(/_/g, '-');
}

const rows = Object.values(settings).map((setting) => [`${flagName(setting.env)} (${setting.env})`, setting.description] as const);
const width = Math.max(...rows.map(([left]) => left.length));

export const serve: Command = {
  path: 'serve',
  summary: 'Starts a gateway: on the memory store, or on Redis with REDIS_URL; SIGTERM drains and exits.',
  args: '[--SETTING VALUE ...]',
  positionals: [0, 0],
  flags: {},
  passthrough: true,
  details: [
    'Every setting is an environment variable and a flag of the same name (flags win):',
    '',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
    'Tracing is configured by the standard OTEL_* variables. Example:',
    '  relay serve --listen 127.0.0.1:50051 --redis-url redis://127.0.0.1:6379',
  ].join('\n'),
  async run(input) {
    // gateway/main.ts reads its flags from process.argv and installs tracing before loading gRPC.
    process.argv = [process.argv[0]!, new URL('../../gateway/main.ts', import.meta.url).pathname, ...input.rest];
    await import('../../gateway/main.ts');
  },
};
