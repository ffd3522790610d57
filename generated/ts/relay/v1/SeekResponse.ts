// Original file: proto/relay/v1/admin.proto


export interface SeekResponse {
}

export interface SeekResponse__Output {
}
