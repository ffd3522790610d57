// Original file: proto/relay/v1/resources.proto

export const SettlementResult = {
  SETTLEMENT_RESULT_UNSPECIFIED: 'SETTLEMENT_RESULT_UNSPECIFIED',
  SETTLEMENT_RESULT_OK: 'SETTLEMENT_RESULT_OK',
  SETTLEMENT_RESULT_INVALID_RECEIPT: 'SETTLEMENT_RESULT_INVALID_RECEIPT',
} as const;

export type SettlementResult =
  | 'SETTLEMENT_RESULT_UNSPECIFIED'
  | 0
  | 'SETTLEMENT_RESULT_OK'
  | 1
  | 'SETTLEMENT_RESULT_INVALID_RECEIPT'
  | 2

export type SettlementResult__Output = typeof SettlementResult[keyof typeof SettlementResult]
