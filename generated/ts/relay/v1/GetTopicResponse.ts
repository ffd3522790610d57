// Original file: proto/relay/v1/admin.proto

import type { Topic as _relay_v1_Topic, Topic__Output as _relay_v1_Topic__Output } from '../../relay/v1/Topic';

export interface GetTopicResponse {
  'topic'?: (_relay_v1_Topic | null);
}

export interface GetTopicResponse__Output {
  'topic': (_relay_v1_Topic__Output | null);
}
