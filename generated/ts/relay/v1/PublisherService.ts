// Original file: proto/relay/v1/publisher.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { PublishRequest as _relay_v1_PublishRequest, PublishRequest__Output as _relay_v1_PublishRequest__Output } from '../../relay/v1/PublishRequest';
import type { PublishResponse as _relay_v1_PublishResponse, PublishResponse__Output as _relay_v1_PublishResponse__Output } from '../../relay/v1/PublishResponse';

export interface PublisherServiceClient extends grpc.Client {
  Publish(argument: _relay_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _relay_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _relay_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _relay_v1_PublishRequest, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _relay_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _relay_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _relay_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _relay_v1_PublishRequest, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface PublisherServiceHandlers extends grpc.UntypedServiceImplementation {
  Publish: grpc.handleUnaryCall<_relay_v1_PublishRequest__Output, _relay_v1_PublishResponse>;
  
}

export interface PublisherServiceDefinition extends grpc.ServiceDefinition {
  Publish: MethodDefinition<_relay_v1_PublishRequest, _relay_v1_PublishResponse, _relay_v1_PublishRequest__Output, _relay_v1_PublishResponse__Output>
}
