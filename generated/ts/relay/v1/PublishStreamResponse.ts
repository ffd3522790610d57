// Original file: proto/relay/v1/publisher.proto

import type { PublishResult as _relay_v1_PublishResult, PublishResult__Output as _relay_v1_PublishResult__Output } from '../../relay/v1/PublishResult';

export interface PublishStreamResponse {
  'results'?: (_relay_v1_PublishResult)[];
  'statusCode'?: (number);
  'statusMessage'?: (string);
  'retryAfterMs'?: (number);
}

export interface PublishStreamResponse__Output {
  'results': (_relay_v1_PublishResult__Output)[];
  'statusCode': (number);
  'statusMessage': (string);
  'retryAfterMs': (number);
}
