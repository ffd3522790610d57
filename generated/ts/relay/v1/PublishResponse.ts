// Original file: proto/relay/v1/publisher.proto

import type { PublishResult as _relay_v1_PublishResult, PublishResult__Output as _relay_v1_PublishResult__Output } from '../../relay/v1/PublishResult';

export interface PublishResponse {
  'results'?: (_relay_v1_PublishResult)[];
}

export interface PublishResponse__Output {
  'results': (_relay_v1_PublishResult__Output)[];
}
