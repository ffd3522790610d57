// Original file: proto/relay/v1/admin.proto

import type { Subscription as _relay_v1_Subscription, Subscription__Output as _relay_v1_Subscription__Output } from '../../relay/v1/Subscription';

export interface GetSubscriptionResponse {
  'subscription'?: (_relay_v1_Subscription | null);
}

export interface GetSubscriptionResponse__Output {
  'subscription': (_relay_v1_Subscription__Output | null);
}
