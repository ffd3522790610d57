// Original file: proto/relay/v1/subscriber.proto

import type { Long } from '@grpc/proto-loader';

export interface FlowControl {
  'maxOutstandingMessages'?: (number | string | Long);
  'maxOutstandingBytes'?: (number | string | Long);
  '_maxOutstandingMessages'?: "maxOutstandingMessages";
  '_maxOutstandingBytes'?: "maxOutstandingBytes";
}

export interface FlowControl__Output {
  'maxOutstandingMessages'?: (string);
  'maxOutstandingBytes'?: (string);
  '_maxOutstandingMessages'?: "maxOutstandingMessages";
  '_maxOutstandingBytes'?: "maxOutstandingBytes";
}
