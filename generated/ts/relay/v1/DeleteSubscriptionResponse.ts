// Original file: proto/relay/v1/admin.proto


export interface DeleteSubscriptionResponse {
}

export interface DeleteSubscriptionResponse__Output {
}
