// Original file: proto/relay/v1/resources.proto


export interface PublishMessage {
  'data'?: (Buffer | Uint8Array | string);
  'attributes'?: ({[key: string]: string});
  'orderingKey'?: (string);
  'idempotencyKey'?: (string);
}

export interface PublishMessage__Output {
  'data': (Buffer);
  'attributes': ({[key: string]: string});
  'orderingKey': (string);
  'idempotencyKey': (string);
}
