// Original file: proto/relay/v1/transaction.proto


export interface CommitResponse {
  'messageIds'?: (string)[];
}

export interface CommitResponse__Output {
  'messageIds': (string)[];
}
