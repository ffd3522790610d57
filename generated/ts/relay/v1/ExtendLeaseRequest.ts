// Original file: proto/relay/v1/subscriber.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface ExtendLeaseRequest {
  'subscription'?: (string);
  'receipts'?: (string)[];
  'extension'?: (_google_protobuf_Duration | null);
}

export interface ExtendLeaseRequest__Output {
  'subscription': (string);
  'receipts': (string)[];
  'extension': (_google_protobuf_Duration__Output | null);
}
