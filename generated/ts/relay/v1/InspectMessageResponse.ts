// Original file: proto/relay/v1/admin.proto

import type { ReceivedMessage as _relay_v1_ReceivedMessage, ReceivedMessage__Output as _relay_v1_ReceivedMessage__Output } from '../../relay/v1/ReceivedMessage';
import type { SubscriptionMessageState as _relay_v1_SubscriptionMessageState, SubscriptionMessageState__Output as _relay_v1_SubscriptionMessageState__Output } from '../../relay/v1/SubscriptionMessageState';

export interface InspectMessageResponse {
  'message'?: (_relay_v1_ReceivedMessage | null);
  'states'?: (_relay_v1_SubscriptionMessageState)[];
  'traceId'?: (string);
}

export interface InspectMessageResponse__Output {
  'message': (_relay_v1_ReceivedMessage__Output | null);
  'states': (_relay_v1_SubscriptionMessageState__Output)[];
  'traceId': (string);
}
