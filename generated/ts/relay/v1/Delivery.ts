// Original file: proto/relay/v1/resources.proto

import type { ReceivedMessage as _relay_v1_ReceivedMessage, ReceivedMessage__Output as _relay_v1_ReceivedMessage__Output } from '../../relay/v1/ReceivedMessage';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { DeliveryReason as _relay_v1_DeliveryReason, DeliveryReason__Output as _relay_v1_DeliveryReason__Output } from '../../relay/v1/DeliveryReason';

export interface Delivery {
  'message'?: (_relay_v1_ReceivedMessage | null);
  'receipt'?: (string);
  'deliveryAttempt'?: (number);
  'leaseDeadline'?: (_google_protobuf_Timestamp | null);
  'reason'?: (_relay_v1_DeliveryReason);
}

export interface Delivery__Output {
  'message': (_relay_v1_ReceivedMessage__Output | null);
  'receipt': (string);
  'deliveryAttempt': (number);
  'leaseDeadline': (_google_protobuf_Timestamp__Output | null);
  'reason': (_relay_v1_DeliveryReason__Output);
}
