// Original file: proto/relay/v1/transaction.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface PrepareResponse {
  'transactionId'?: (string);
  'expireTime'?: (_google_protobuf_Timestamp | null);
}

export interface PrepareResponse__Output {
  'transactionId': (string);
  'expireTime': (_google_protobuf_Timestamp__Output | null);
}
