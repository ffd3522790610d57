// Original file: proto/relay/v1/transaction.proto


export interface CommitRequest {
  'transactionId'?: (string);
}

export interface CommitRequest__Output {
  'transactionId': (string);
}
