// Original file: proto/relay/v1/admin.proto


export interface DeleteSubscriptionRequest {
  'name'?: (string);
}

export interface DeleteSubscriptionRequest__Output {
  'name': (string);
}
