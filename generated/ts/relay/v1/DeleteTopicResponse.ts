// Original file: proto/relay/v1/admin.proto


export interface DeleteTopicResponse {
}

export interface DeleteTopicResponse__Output {
}
