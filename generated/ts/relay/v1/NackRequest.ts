// Original file: proto/relay/v1/subscriber.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface NackRequest {
  'subscription'?: (string);
  'receipts'?: (string)[];
  'delay'?: (_google_protobuf_Duration | null);
  'reason'?: (string);
}

export interface NackRequest__Output {
  'subscription': (string);
  'receipts': (string)[];
  'delay': (_google_protobuf_Duration__Output | null);
  'reason': (string);
}
