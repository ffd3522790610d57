// Original file: proto/relay/v1/admin.proto


export interface RedriveRequest {
  'deadLetterTopic'?: (string);
  'messageIds'?: (string)[];
}

export interface RedriveRequest__Output {
  'deadLetterTopic': (string);
  'messageIds': (string)[];
}
