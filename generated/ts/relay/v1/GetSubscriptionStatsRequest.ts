// Original file: proto/relay/v1/admin.proto


export interface GetSubscriptionStatsRequest {
  'subscription'?: (string);
}

export interface GetSubscriptionStatsRequest__Output {
  'subscription': (string);
}
