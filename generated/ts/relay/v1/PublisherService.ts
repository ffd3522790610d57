// Original file: proto/relay/v1/publisher.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { PublishRequest as _relay_v1_PublishRequest, PublishRequest__Output as _relay_v1_PublishRequest__Output } from '../../relay/v1/PublishRequest';
import type { PublishResponse as _relay_v1_PublishResponse, PublishResponse__Output as _relay_v1_PublishResponse__Output } from '../../relay/v1/PublishResponse';
import type { PublishStreamRequest as _relay_v1_PublishStreamRequest, PublishStreamRequest__Output as _relay_v1_PublishStreamRequest__Output } from '../../relay/v1/PublishStreamRequest';
import type { PublishStreamResponse as _relay_v1_PublishStreamResponse, PublishStreamResponse__Output as _relay_v1_PublishStreamResponse__Output } from '../../relay/v1/PublishStreamResponse';

export interface PublisherServiceClient extends grpc.Client {
  Publish(argument: _relay_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _relay_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _relay_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _relay_v1_PublishRequest, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _relay_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _relay_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _relay_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _relay_v1_PublishRequest, callback: grpc.requestCallback<_relay_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  
  PublishStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_relay_v1_PublishStreamRequest, _relay_v1_PublishStreamResponse__Output>;
  PublishStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_relay_v1_PublishStreamRequest, _relay_v1_PublishStreamResponse__Output>;
  publishStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_relay_v1_PublishStreamRequest, _relay_v1_PublishStreamResponse__Output>;
  publishStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_relay_v1_PublishStreamRequest, _relay_v1_PublishStreamResponse__Output>;
  
}

export interface PublisherServiceHandlers extends grpc.UntypedServiceImplementation {
  Publish: grpc.handleUnaryCall<_relay_v1_PublishRequest__Output, _relay_v1_PublishResponse>;
  
  PublishStream: grpc.handleBidiStreamingCall<_relay_v1_PublishStreamRequest__Output, _relay_v1_PublishStreamResponse>;
  
}

export interface PublisherServiceDefinition extends grpc.ServiceDefinition {
  Publish: MethodDefinition<_relay_v1_PublishRequest, _relay_v1_PublishResponse, _relay_v1_PublishRequest__Output, _relay_v1_PublishResponse__Output>
  PublishStream: MethodDefinition<_relay_v1_PublishStreamRequest, _relay_v1_PublishStreamResponse, _relay_v1_PublishStreamRequest__Output, _relay_v1_PublishStreamResponse__Output>
}
