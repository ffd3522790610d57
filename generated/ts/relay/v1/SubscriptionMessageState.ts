// Original file: proto/relay/v1/admin.proto

import type { MessageState as _relay_v1_MessageState, MessageState__Output as _relay_v1_MessageState__Output } from '../../relay/v1/MessageState';

export interface SubscriptionMessageState {
  'subscription'?: (string);
  'state'?: (_relay_v1_MessageState);
  'deliveryAttempts'?: (number);
  'lastError'?: (string);
  'consumer'?: (string);
}

export interface SubscriptionMessageState__Output {
  'subscription': (string);
  'state': (_relay_v1_MessageState__Output);
  'deliveryAttempts': (number);
  'lastError': (string);
  'consumer': (string);
}
