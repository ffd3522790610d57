// Original file: proto/relay/v1/admin.proto

import type { Subscription as _relay_v1_Subscription, Subscription__Output as _relay_v1_Subscription__Output } from '../../relay/v1/Subscription';

export interface ListSubscriptionsResponse {
  'subscriptions'?: (_relay_v1_Subscription)[];
  'nextPageToken'?: (string);
}

export interface ListSubscriptionsResponse__Output {
  'subscriptions': (_relay_v1_Subscription__Output)[];
  'nextPageToken': (string);
}
