// Original file: proto/relay/v1/resources.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface Topic {
  'name'?: (string);
  'dedupWindow'?: (_google_protobuf_Duration | null);
  'retentionDuration'?: (_google_protobuf_Duration | null);
  'retentionMessages'?: (number | string | Long);
  'createTime'?: (_google_protobuf_Timestamp | null);
  'maxBacklogMessages'?: (number | string | Long);
  'maxBacklogAge'?: (_google_protobuf_Duration | null);
}

export interface Topic__Output {
  'name': (string);
  'dedupWindow': (_google_protobuf_Duration__Output | null);
  'retentionDuration': (_google_protobuf_Duration__Output | null);
  'retentionMessages': (string);
  'createTime': (_google_protobuf_Timestamp__Output | null);
  'maxBacklogMessages': (string);
  'maxBacklogAge': (_google_protobuf_Duration__Output | null);
}
