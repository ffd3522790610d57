// Original file: proto/relay/v1/transaction.proto


export interface AbortResponse {
}

export interface AbortResponse__Output {
}
