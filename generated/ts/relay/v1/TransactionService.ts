// Original file: proto/relay/v1/transaction.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AbortRequest as _relay_v1_AbortRequest, AbortRequest__Output as _relay_v1_AbortRequest__Output } from '../../relay/v1/AbortRequest';
import type { AbortResponse as _relay_v1_AbortResponse, AbortResponse__Output as _relay_v1_AbortResponse__Output } from '../../relay/v1/AbortResponse';
import type { CommitRequest as _relay_v1_CommitRequest, CommitRequest__Output as _relay_v1_CommitRequest__Output } from '../../relay/v1/CommitRequest';
import type { CommitResponse as _relay_v1_CommitResponse, CommitResponse__Output as _relay_v1_CommitResponse__Output } from '../../relay/v1/CommitResponse';
import type { PrepareRequest as _relay_v1_PrepareRequest, PrepareRequest__Output as _relay_v1_PrepareRequest__Output } from '../../relay/v1/PrepareRequest';
import type { PrepareResponse as _relay_v1_PrepareResponse, PrepareResponse__Output as _relay_v1_PrepareResponse__Output } from '../../relay/v1/PrepareResponse';

export interface TransactionServiceClient extends grpc.Client {
  Abort(argument: _relay_v1_AbortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_AbortResponse__Output>): grpc.ClientUnaryCall;
  Abort(argument: _relay_v1_AbortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_AbortResponse__Output>): grpc.ClientUnaryCall;
  Abort(argument: _relay_v1_AbortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_AbortResponse__Output>): grpc.ClientUnaryCall;
  Abort(argument: _relay_v1_AbortRequest, callback: grpc.requestCallback<_relay_v1_AbortResponse__Output>): grpc.ClientUnaryCall;
  abort(argument: _relay_v1_AbortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_AbortResponse__Output>): grpc.ClientUnaryCall;
  abort(argument: _relay_v1_AbortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_AbortResponse__Output>): grpc.ClientUnaryCall;
  abort(argument: _relay_v1_AbortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_AbortResponse__Output>): grpc.ClientUnaryCall;
  abort(argument: _relay_v1_AbortRequest, callback: grpc.requestCallback<_relay_v1_AbortResponse__Output>): grpc.ClientUnaryCall;
  
  Commit(argument: _relay_v1_CommitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CommitResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _relay_v1_CommitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_CommitResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _relay_v1_CommitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CommitResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _relay_v1_CommitRequest, callback: grpc.requestCallback<_relay_v1_CommitResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _relay_v1_CommitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CommitResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _relay_v1_CommitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_CommitResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _relay_v1_CommitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CommitResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _relay_v1_CommitRequest, callback: grpc.requestCallback<_relay_v1_CommitResponse__Output>): grpc.ClientUnaryCall;
  
  Prepare(argument: _relay_v1_PrepareRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PrepareResponse__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _relay_v1_PrepareRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_PrepareResponse__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _relay_v1_PrepareRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PrepareResponse__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _relay_v1_PrepareRequest, callback: grpc.requestCallback<_relay_v1_PrepareResponse__Output>): grpc.ClientUnaryCall;
  prepare(argument: _relay_v1_PrepareRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PrepareResponse__Output>): grpc.ClientUnaryCall;
  prepare(argument: _relay_v1_PrepareRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_PrepareResponse__Output>): grpc.ClientUnaryCall;
  prepare(argument: _relay_v1_PrepareRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PrepareResponse__Output>): grpc.ClientUnaryCall;
  prepare(argument: _relay_v1_PrepareRequest, callback: grpc.requestCallback<_relay_v1_PrepareResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TransactionServiceHandlers extends grpc.UntypedServiceImplementation {
  Abort: grpc.handleUnaryCall<_relay_v1_AbortRequest__Output, _relay_v1_AbortResponse>;
  
  Commit: grpc.handleUnaryCall<_relay_v1_CommitRequest__Output, _relay_v1_CommitResponse>;
  
  Prepare: grpc.handleUnaryCall<_relay_v1_PrepareRequest__Output, _relay_v1_PrepareResponse>;
  
}

export interface TransactionServiceDefinition extends grpc.ServiceDefinition {
  Abort: MethodDefinition<_relay_v1_AbortRequest, _relay_v1_AbortResponse, _relay_v1_AbortRequest__Output, _relay_v1_AbortResponse__Output>
  Commit: MethodDefinition<_relay_v1_CommitRequest, _relay_v1_CommitResponse, _relay_v1_CommitRequest__Output, _relay_v1_CommitResponse__Output>
  Prepare: MethodDefinition<_relay_v1_PrepareRequest, _relay_v1_PrepareResponse, _relay_v1_PrepareRequest__Output, _relay_v1_PrepareResponse__Output>
}
