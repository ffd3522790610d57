// Original file: proto/relay/v1/subscriber.proto

import type { FlowControl as _relay_v1_FlowControl, FlowControl__Output as _relay_v1_FlowControl__Output } from '../../relay/v1/FlowControl';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface SubscribeRequest {
  'subscription'?: (string);
  'flowControl'?: (_relay_v1_FlowControl | null);
  'ackReceipts'?: (string)[];
  'nackReceipts'?: (string)[];
  'nackDelay'?: (_google_protobuf_Duration | null);
  'extendReceipts'?: (string)[];
  'extension'?: (_google_protobuf_Duration | null);
  'rejectReceipts'?: (string)[];
  'rejectReason'?: (string);
  'nackReason'?: (string);
  'autoExtendLease'?: (boolean);
  'maxLeaseExtension'?: (_google_protobuf_Duration | null);
}

export interface SubscribeRequest__Output {
  'subscription': (string);
  'flowControl': (_relay_v1_FlowControl__Output | null);
  'ackReceipts': (string)[];
  'nackReceipts': (string)[];
  'nackDelay': (_google_protobuf_Duration__Output | null);
  'extendReceipts': (string)[];
  'extension': (_google_protobuf_Duration__Output | null);
  'rejectReceipts': (string)[];
  'rejectReason': (string);
  'nackReason': (string);
  'autoExtendLease': (boolean);
  'maxLeaseExtension': (_google_protobuf_Duration__Output | null);
}
