// Original file: proto/relay/v1/admin.proto


export interface DeleteTopicRequest {
  'name'?: (string);
}

export interface DeleteTopicRequest__Output {
  'name': (string);
}
