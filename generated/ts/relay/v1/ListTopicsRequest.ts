// Original file: proto/relay/v1/admin.proto


export interface ListTopicsRequest {
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListTopicsRequest__Output {
  'pageSize': (number);
  'pageToken': (string);
}
