// Original file: proto/relay/v1/admin.proto

import type { Topic as _relay_v1_Topic, Topic__Output as _relay_v1_Topic__Output } from '../../relay/v1/Topic';

export interface ListTopicsResponse {
  'topics'?: (_relay_v1_Topic)[];
  'nextPageToken'?: (string);
}

export interface ListTopicsResponse__Output {
  'topics': (_relay_v1_Topic__Output)[];
  'nextPageToken': (string);
}
