// Original file: proto/relay/v1/transaction.proto

import type { TransactionMessage as _relay_v1_TransactionMessage, TransactionMessage__Output as _relay_v1_TransactionMessage__Output } from '../../relay/v1/TransactionMessage';
import type { TransactionAck as _relay_v1_TransactionAck, TransactionAck__Output as _relay_v1_TransactionAck__Output } from '../../relay/v1/TransactionAck';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface PrepareRequest {
  'messages'?: (_relay_v1_TransactionMessage)[];
  'acks'?: (_relay_v1_TransactionAck)[];
  'timeout'?: (_google_protobuf_Duration | null);
  'transactionId'?: (string);
}

export interface PrepareRequest__Output {
  'messages': (_relay_v1_TransactionMessage__Output)[];
  'acks': (_relay_v1_TransactionAck__Output)[];
  'timeout': (_google_protobuf_Duration__Output | null);
  'transactionId': (string);
}
