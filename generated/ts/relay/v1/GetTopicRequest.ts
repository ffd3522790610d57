// Original file: proto/relay/v1/admin.proto


export interface GetTopicRequest {
  'name'?: (string);
}

export interface GetTopicRequest__Output {
  'name': (string);
}
