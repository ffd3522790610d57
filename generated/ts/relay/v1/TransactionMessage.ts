// Original file: proto/relay/v1/transaction.proto


export interface TransactionMessage {
  'topic'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'attributes'?: ({[key: string]: string});
  'orderingKey'?: (string);
  'idempotencyKey'?: (string);
}

export interface TransactionMessage__Output {
  'topic': (string);
  'data': (Buffer);
  'attributes': ({[key: string]: string});
  'orderingKey': (string);
  'idempotencyKey': (string);
}
