// Original file: proto/relay/v1/subscriber.proto

import type { SettlementResult as _relay_v1_SettlementResult, SettlementResult__Output as _relay_v1_SettlementResult__Output } from '../../relay/v1/SettlementResult';

export interface AckResponse {
  'results'?: (_relay_v1_SettlementResult)[];
}

export interface AckResponse__Output {
  'results': (_relay_v1_SettlementResult__Output)[];
}
