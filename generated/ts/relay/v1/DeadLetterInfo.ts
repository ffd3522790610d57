// Original file: proto/relay/v1/resources.proto


export interface DeadLetterInfo {
  'sourceTopic'?: (string);
  'subscription'?: (string);
  'reason'?: (string);
  'deliveryAttempts'?: (number);
}

export interface DeadLetterInfo__Output {
  'sourceTopic': (string);
  'subscription': (string);
  'reason': (string);
  'deliveryAttempts': (number);
}
