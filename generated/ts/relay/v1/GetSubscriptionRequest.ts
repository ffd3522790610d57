// Original file: proto/relay/v1/admin.proto


export interface GetSubscriptionRequest {
  'name'?: (string);
}

export interface GetSubscriptionRequest__Output {
  'name': (string);
}
