// Original file: proto/relay/v1/subscriber.proto


export interface AckRequest {
  'subscription'?: (string);
  'receipts'?: (string)[];
}

export interface AckRequest__Output {
  'subscription': (string);
  'receipts': (string)[];
}
