// Original file: proto/relay/v1/subscriber.proto


export interface RejectRequest {
  'subscription'?: (string);
  'receipts'?: (string)[];
  'reason'?: (string);
}

export interface RejectRequest__Output {
  'subscription': (string);
  'receipts': (string)[];
  'reason': (string);
}
