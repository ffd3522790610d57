// Original file: proto/relay/v1/admin.proto


export interface InspectMessageRequest {
  'topic'?: (string);
  'messageId'?: (string);
}

export interface InspectMessageRequest__Output {
  'topic': (string);
  'messageId': (string);
}
