// Original file: proto/relay/v1/transaction.proto


export interface TransactionAck {
  'subscription'?: (string);
  'receipt'?: (string);
}

export interface TransactionAck__Output {
  'subscription': (string);
  'receipt': (string);
}
