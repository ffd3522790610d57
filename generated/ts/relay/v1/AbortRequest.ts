// Original file: proto/relay/v1/transaction.proto


export interface AbortRequest {
  'transactionId'?: (string);
}

export interface AbortRequest__Output {
  'transactionId': (string);
}
