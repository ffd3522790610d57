// Original file: proto/relay/v1/resources.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { DeadLetterInfo as _relay_v1_DeadLetterInfo, DeadLetterInfo__Output as _relay_v1_DeadLetterInfo__Output } from '../../relay/v1/DeadLetterInfo';

export interface ReceivedMessage {
  'messageId'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'attributes'?: ({[key: string]: string});
  'orderingKey'?: (string);
  'publishTime'?: (_google_protobuf_Timestamp | null);
  'traceparent'?: (string);
  'tracestate'?: (string);
  'originalMessageId'?: (string);
  'deadLetter'?: (_relay_v1_DeadLetterInfo | null);
}

export interface ReceivedMessage__Output {
  'messageId': (string);
  'data': (Buffer);
  'attributes': ({[key: string]: string});
  'orderingKey': (string);
  'publishTime': (_google_protobuf_Timestamp__Output | null);
  'traceparent': (string);
  'tracestate': (string);
  'originalMessageId': (string);
  'deadLetter': (_relay_v1_DeadLetterInfo__Output | null);
}
