// Original file: proto/relay/v1/publisher.proto

import type { PublishMessage as _relay_v1_PublishMessage, PublishMessage__Output as _relay_v1_PublishMessage__Output } from '../../relay/v1/PublishMessage';

export interface PublishStreamRequest {
  'topic'?: (string);
  'messages'?: (_relay_v1_PublishMessage)[];
  'traceparent'?: (string);
  'tracestate'?: (string);
}

export interface PublishStreamRequest__Output {
  'topic': (string);
  'messages': (_relay_v1_PublishMessage__Output)[];
  'traceparent': (string);
  'tracestate': (string);
}
