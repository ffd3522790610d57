// Original file: proto/relay/v1/admin.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { Long } from '@grpc/proto-loader';

export interface GetSubscriptionStatsResponse {
  'backlog'?: (number | string | Long);
  'inFlight'?: (number | string | Long);
  'oldestUnackedAge'?: (_google_protobuf_Duration | null);
  'deadLettered'?: (number | string | Long);
}

export interface GetSubscriptionStatsResponse__Output {
  'backlog': (string);
  'inFlight': (string);
  'oldestUnackedAge': (_google_protobuf_Duration__Output | null);
  'deadLettered': (string);
}
