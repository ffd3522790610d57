// relay stats SUBSCRIPTION
import type { GetSubscriptionStatsResponse__Output } from '../../generated/ts/relay/v1/GetSubscriptionStatsResponse.ts';
import type { Command } from '../command.ts';
import { withConnection } from '../connection.ts';
import { fields, formatDuration, millis } from '../format.ts';

export const stats: Command = {
  path: 'stats',
  summary: "Shows a subscription's backlog, in-flight count, oldest unacked age and dead letters.",
  args: 'SUBSCRIPTION',
  positionals: [1, 1],
  flags: {},
  async run(input) {
    const subscription = input.positionals[0]!;
    const response = await withConnection(input, (relay) =>
      relay.call<GetSubscriptionStatsResponse__Output>(relay.admin, 'GetSubscriptionStats', { subscription }),
    );
    const document = {
      subscription,
      backlog: Number(response.backlog),
      inFlight: Number(response.inFlight),
      oldestUnackedAgeMs: millis(response.oldestUnackedAge),
      deadLettered: Number(response.deadLettered),
    };
    input.print(document, () =>
      fields([
        ['subscription', subscription],
        ['backlog', String(document.backlog)],
        ['in flight', String(document.inFlight)],
        ['oldest unacked age', document.oldestUnackedAgeMs ? formatDuration(document.oldestUnackedAgeMs) : '-'],
        ['dead lettered', String(document.deadLettered)],
      ]),
    );
  },
};
