// Original file: proto/relay/v1/resources.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface RetryPolicy {
  'minimumBackoff'?: (_google_protobuf_Duration | null);
  'maximumBackoff'?: (_google_protobuf_Duration | null);
}

export interface RetryPolicy__Output {
  'minimumBackoff': (_google_protobuf_Duration__Output | null);
  'maximumBackoff': (_google_protobuf_Duration__Output | null);
}
