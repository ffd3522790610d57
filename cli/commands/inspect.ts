// relay inspect TOPIC MESSAGE_ID
import type { InspectMessageResponse__Output } from '../../generated/ts/relay/v1/InspectMessageResponse.ts';
import type { Command } from '../command.ts';
import { withConnection } from '../connection.ts';
import { fields, table } from '../format.ts';
import { describeData } from '../payload.ts';
import { enumWord, messageFields, messageJson } from '../resources.ts';

export const inspect: Command = {
  path: 'inspect',
  summary: 'Shows one message: its state in every subscription, attempts, last error, trace.',
  args: 'TOPIC MESSAGE_ID',
  positionals: [2, 2],
  flags: {},
  details: 'With RELAY_JAEGER_URL set (e.g. http://localhost:16686), it also links the trace in Jaeger.',
  async run(input) {
    const [topic, messageId] = input.positionals as [string, string];
    const response = await withConnection(input, (relay) =>
      relay.call<InspectMessageResponse__Output>(relay.admin, 'InspectMessage', { topic, messageId }),
    );
    const jaeger = input.env.RELAY_JAEGER_URL?.replace(/\/+$/, '');
    const traceUrl = jaeger && response.traceId ? `${jaeger}/trace/${response.traceId}` : null;
    const states = response.states.map((state) => ({
      subscription: state.subscription,
      state: enumWord(state.state, 'MESSAGE_STATE_'),
      deliveryAttempts: state.deliveryAttempts,
      lastError: state.lastError || null,
      consumer: state.consumer || null,
    }));
    const document = { topic, message: messageJson(response.message!), traceId: response.traceId || null, traceUrl, states };
    input.print(document, () => {
      const about = fields([
        ['topic', topic],
        ...messageFields(response.message!),
        ['data', describeData(response.message!.data)],
        ['trace id', document.traceId],
        ['trace', traceUrl],
      ]);
      const rows = states.map((state) => [
        state.subscription,
        state.state,
        String(state.deliveryAttempts),
        state.lastError ?? '-',
        state.consumer ?? '-',
      ]);
      const perSubscription = rows.length ? table(['SUBSCRIPTION', 'STATE', 'ATTEMPTS', 'LAST ERROR', 'CONSUMER'], rows) : 'no subscriptions\n';
      return `${about}\n${perSubscription}`;
    });
  },
};
