// Original file: proto/relay/v1/subscriber.proto

import type { Delivery as _relay_v1_Delivery, Delivery__Output as _relay_v1_Delivery__Output } from '../../relay/v1/Delivery';

export interface SubscribeResponse {
  'deliveries'?: (_relay_v1_Delivery)[];
  'invalidReceipts'?: (string)[];
}

export interface SubscribeResponse__Output {
  'deliveries': (_relay_v1_Delivery__Output)[];
  'invalidReceipts': (string)[];
}
