// Original file: proto/relay/v1/subscriber.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AckRequest as _relay_v1_AckRequest, AckRequest__Output as _relay_v1_AckRequest__Output } from '../../relay/v1/AckRequest';
import type { AckResponse as _relay_v1_AckResponse, AckResponse__Output as _relay_v1_AckResponse__Output } from '../../relay/v1/AckResponse';
import type { ExtendLeaseRequest as _relay_v1_ExtendLeaseRequest, ExtendLeaseRequest__Output as _relay_v1_ExtendLeaseRequest__Output } from '../../relay/v1/ExtendLeaseRequest';
import type { ExtendLeaseResponse as _relay_v1_ExtendLeaseResponse, ExtendLeaseResponse__Output as _relay_v1_ExtendLeaseResponse__Output } from '../../relay/v1/ExtendLeaseResponse';
import type { NackRequest as _relay_v1_NackRequest, NackRequest__Output as _relay_v1_NackRequest__Output } from '../../relay/v1/NackRequest';
import type { NackResponse as _relay_v1_NackResponse, NackResponse__Output as _relay_v1_NackResponse__Output } from '../../relay/v1/NackResponse';
import type { RejectRequest as _relay_v1_RejectRequest, RejectRequest__Output as _relay_v1_RejectRequest__Output } from '../../relay/v1/RejectRequest';
import type { RejectResponse as _relay_v1_RejectResponse, RejectResponse__Output as _relay_v1_RejectResponse__Output } from '../../relay/v1/RejectResponse';
import type { SubscribeRequest as _relay_v1_SubscribeRequest, SubscribeRequest__Output as _relay_v1_SubscribeRequest__Output } from '../../relay/v1/SubscribeRequest';
import type { SubscribeResponse as _relay_v1_SubscribeResponse, SubscribeResponse__Output as _relay_v1_SubscribeResponse__Output } from '../../relay/v1/SubscribeResponse';

export interface SubscriberServiceClient extends grpc.Client {
  Ack(argument: _relay_v1_AckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _relay_v1_AckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _relay_v1_AckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _relay_v1_AckRequest, callback: grpc.requestCallback<_relay_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _relay_v1_AckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _relay_v1_AckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _relay_v1_AckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _relay_v1_AckRequest, callback: grpc.requestCallback<_relay_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  
  ExtendLease(argument: _relay_v1_ExtendLeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  ExtendLease(argument: _relay_v1_ExtendLeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  ExtendLease(argument: _relay_v1_ExtendLeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  ExtendLease(argument: _relay_v1_ExtendLeaseRequest, callback: grpc.requestCallback<_relay_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  extendLease(argument: _relay_v1_ExtendLeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  extendLease(argument: _relay_v1_ExtendLeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  extendLease(argument: _relay_v1_ExtendLeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  extendLease(argument: _relay_v1_ExtendLeaseRequest, callback: grpc.requestCallback<_relay_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  
  Nack(argument: _relay_v1_NackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  Nack(argument: _relay_v1_NackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  Nack(argument: _relay_v1_NackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  Nack(argument: _relay_v1_NackRequest, callback: grpc.requestCallback<_relay_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _relay_v1_NackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _relay_v1_NackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _relay_v1_NackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _relay_v1_NackRequest, callback: grpc.requestCallback<_relay_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  
  Reject(argument: _relay_v1_RejectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_RejectResponse__Output>): grpc.ClientUnaryCall;
  Reject(argument: _relay_v1_RejectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_RejectResponse__Output>): grpc.ClientUnaryCall;
  Reject(argument: _relay_v1_RejectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_RejectResponse__Output>): grpc.ClientUnaryCall;
  Reject(argument: _relay_v1_RejectRequest, callback: grpc.requestCallback<_relay_v1_RejectResponse__Output>): grpc.ClientUnaryCall;
  reject(argument: _relay_v1_RejectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_RejectResponse__Output>): grpc.ClientUnaryCall;
  reject(argument: _relay_v1_RejectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_RejectResponse__Output>): grpc.ClientUnaryCall;
  reject(argument: _relay_v1_RejectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_RejectResponse__Output>): grpc.ClientUnaryCall;
  reject(argument: _relay_v1_RejectRequest, callback: grpc.requestCallback<_relay_v1_RejectResponse__Output>): grpc.ClientUnaryCall;
  
  Subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_relay_v1_SubscribeRequest, _relay_v1_SubscribeResponse__Output>;
  Subscribe(options?: grpc.CallOptions): grpc.ClientDuplexStream<_relay_v1_SubscribeRequest, _relay_v1_SubscribeResponse__Output>;
  subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_relay_v1_SubscribeRequest, _relay_v1_SubscribeResponse__Output>;
  subscribe(options?: grpc.CallOptions): grpc.ClientDuplexStream<_relay_v1_SubscribeRequest, _relay_v1_SubscribeResponse__Output>;
  
}

export interface SubscriberServiceHandlers extends grpc.UntypedServiceImplementation {
  Ack: grpc.handleUnaryCall<_relay_v1_AckRequest__Output, _relay_v1_AckResponse>;
  
  ExtendLease: grpc.handleUnaryCall<_relay_v1_ExtendLeaseRequest__Output, _relay_v1_ExtendLeaseResponse>;
  
  Nack: grpc.handleUnaryCall<_relay_v1_NackRequest__Output, _relay_v1_NackResponse>;
  
  Reject: grpc.handleUnaryCall<_relay_v1_RejectRequest__Output, _relay_v1_RejectResponse>;
  
  Subscribe: grpc.handleBidiStreamingCall<_relay_v1_SubscribeRequest__Output, _relay_v1_SubscribeResponse>;
  
}

export interface SubscriberServiceDefinition extends grpc.ServiceDefinition {
  Ack: MethodDefinition<_relay_v1_AckRequest, _relay_v1_AckResponse, _relay_v1_AckRequest__Output, _relay_v1_AckResponse__Output>
  ExtendLease: MethodDefinition<_relay_v1_ExtendLeaseRequest, _relay_v1_ExtendLeaseResponse, _relay_v1_ExtendLeaseRequest__Output, _relay_v1_ExtendLeaseResponse__Output>
  Nack: MethodDefinition<_relay_v1_NackRequest, _relay_v1_NackResponse, _relay_v1_NackRequest__Output, _relay_v1_NackResponse__Output>
  Reject: MethodDefinition<_relay_v1_RejectRequest, _relay_v1_RejectResponse, _relay_v1_RejectRequest__Output, _relay_v1_RejectResponse__Output>
  Subscribe: MethodDefinition<_relay_v1_SubscribeRequest, _relay_v1_SubscribeResponse, _relay_v1_SubscribeRequest__Output, _relay_v1_SubscribeResponse__Output>
}
