// Original file: proto/relay/v1/admin.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface SeekRequest {
  'subscription'?: (string);
  'time'?: (_google_protobuf_Timestamp | null);
  'messageId'?: (string);
  'target'?: "time"|"messageId";
}

export interface SeekRequest__Output {
  'subscription': (string);
  'time'?: (_google_protobuf_Timestamp__Output | null);
  'messageId'?: (string);
  'target'?: "time"|"messageId";
}
