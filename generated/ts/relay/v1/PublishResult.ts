// Original file: proto/relay/v1/publisher.proto


export interface PublishResult {
  'messageId'?: (string);
  'duplicate'?: (boolean);
}

export interface PublishResult__Output {
  'messageId': (string);
  'duplicate': (boolean);
}
