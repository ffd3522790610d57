// Original file: proto/relay/v1/resources.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { StartPosition as _relay_v1_StartPosition, StartPosition__Output as _relay_v1_StartPosition__Output } from '../../relay/v1/StartPosition';
import type { RetryPolicy as _relay_v1_RetryPolicy, RetryPolicy__Output as _relay_v1_RetryPolicy__Output } from '../../relay/v1/RetryPolicy';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface Subscription {
  'name'?: (string);
  'topic'?: (string);
  'ackDeadline'?: (_google_protobuf_Duration | null);
  'startPosition'?: (_relay_v1_StartPosition);
  'retryPolicy'?: (_relay_v1_RetryPolicy | null);
  'maxDeliveryAttempts'?: (number);
  'deadLetterTopic'?: (string);
  'enableOrdering'?: (boolean);
  'createTime'?: (_google_protobuf_Timestamp | null);
  '_maxDeliveryAttempts'?: "maxDeliveryAttempts";
}

export interface Subscription__Output {
  'name': (string);
  'topic': (string);
  'ackDeadline': (_google_protobuf_Duration__Output | null);
  'startPosition': (_relay_v1_StartPosition__Output);
  'retryPolicy': (_relay_v1_RetryPolicy__Output | null);
  'maxDeliveryAttempts'?: (number);
  'deadLetterTopic': (string);
  'enableOrdering': (boolean);
  'createTime': (_google_protobuf_Timestamp__Output | null);
  '_maxDeliveryAttempts'?: "maxDeliveryAttempts";
}
