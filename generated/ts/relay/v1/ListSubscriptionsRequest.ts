// Original file: proto/relay/v1/admin.proto


export interface ListSubscriptionsRequest {
  'topic'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListSubscriptionsRequest__Output {
  'topic': (string);
  'pageSize': (number);
  'pageToken': (string);
}
