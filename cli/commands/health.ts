// relay health: grpc.health.v1.Health/Check
import type { Command } from '../command.ts';
import { withConnection } from '../connection.ts';

export const health: Command = {
  path: 'health',
  summary: 'Checks grpc.health.v1 on the gateway; exits 1 unless SERVING.',
  args: '',
  positionals: [0, 0],
  flags: {
    service: { type: 'string', value: 'NAME', description: 'one service, e.g. relay.v1.PublisherService (default: the whole gateway)' },
  },
  async run(input) {
    const service = input.string('service') ?? '';
    const document = await withConnection(input, async (relay) => {
      const response = await relay.call<{ status: string }>(relay.health, 'Check', { service });
      return { address: relay.address, service, status: response.status };
    });
    input.print(document, () => `${document.status}\n`);
    if (document.status !== 'SERVING') process.exitCode = 1;
  },
};
