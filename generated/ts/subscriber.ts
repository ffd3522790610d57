import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { AckRequest as _relay_v1_AckRequest, AckRequest__Output as _relay_v1_AckRequest__Output } from './relay/v1/AckRequest';
import type { AckResponse as _relay_v1_AckResponse, AckResponse__Output as _relay_v1_AckResponse__Output } from './relay/v1/AckResponse';
import type { DeadLetterInfo as _relay_v1_DeadLetterInfo, DeadLetterInfo__Output as _relay_v1_DeadLetterInfo__Output } from './relay/v1/DeadLetterInfo';
import type { Delivery as _relay_v1_Delivery, Delivery__Output as _relay_v1_Delivery__Output } from './relay/v1/Delivery';
import type { ExtendLeaseRequest as _relay_v1_ExtendLeaseRequest, ExtendLeaseRequest__Output as _relay_v1_ExtendLeaseRequest__Output } from './relay/v1/ExtendLeaseRequest';
import type { ExtendLeaseResponse as _relay_v1_ExtendLeaseResponse, ExtendLeaseResponse__Output as _relay_v1_ExtendLeaseResponse__Output } from './relay/v1/ExtendLeaseResponse';
import type { FlowControl as _relay_v1_FlowControl, FlowControl__Output as _relay_v1_FlowControl__Output } from './relay/v1/FlowControl';
import type { NackRequest as _relay_v1_NackRequest, NackRequest__Output as _relay_v1_NackRequest__Output } from './relay/v1/NackRequest';
import type { NackResponse as _relay_v1_NackResponse, NackResponse__Output as _relay_v1_NackResponse__Output } from './relay/v1/NackResponse';
import type { PublishMessage as _relay_v1_PublishMessage, PublishMessage__Output as _relay_v1_PublishMessage__Output } from './relay/v1/PublishMessage';
import type { ReceivedMessage as _relay_v1_ReceivedMessage, ReceivedMessage__Output as _relay_v1_ReceivedMessage__Output } from './relay/v1/ReceivedMessage';
import type { RejectRequest as _relay_v1_RejectRequest, RejectRequest__Output as _relay_v1_RejectRequest__Output } from './relay/v1/RejectRequest';
import type { RejectResponse as _relay_v1_RejectResponse, RejectResponse__Output as _relay_v1_RejectResponse__Output } from './relay/v1/RejectResponse';
import type { RetryPolicy as _relay_v1_RetryPolicy, RetryPolicy__Output as _relay_v1_RetryPolicy__Output } from './relay/v1/RetryPolicy';
import type { SubscribeRequest as _relay_v1_SubscribeRequest, SubscribeRequest__Output as _relay_v1_SubscribeRequest__Output } from './relay/v1/SubscribeRequest';
import type { SubscribeResponse as _relay_v1_SubscribeResponse, SubscribeResponse__Output as _relay_v1_SubscribeResponse__Output } from './relay/v1/SubscribeResponse';
import type { SubscriberServiceClient as _relay_v1_SubscriberServiceClient, SubscriberServiceDefinition as _relay_v1_SubscriberServiceDefinition } from './relay/v1/SubscriberService';
import type { Subscription as _relay_v1_Subscription, Subscription__Output as _relay_v1_Subscription__Output } from './relay/v1/Subscription';
import type { Topic as _relay_v1_Topic, Topic__Output as _relay_v1_Topic__Output } from './relay/v1/Topic';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  relay: {
    v1: {
      AckRequest: MessageTypeDefinition<_relay_v1_AckRequest, _relay_v1_AckRequest__Output>
      AckResponse: MessageTypeDefinition<_relay_v1_AckResponse, _relay_v1_AckResponse__Output>
      DeadLetterInfo: MessageTypeDefinition<_relay_v1_DeadLetterInfo, _relay_v1_DeadLetterInfo__Output>
      Delivery: MessageTypeDefinition<_relay_v1_Delivery, _relay_v1_Delivery__Output>
      DeliveryReason: EnumTypeDefinition
      ExtendLeaseRequest: MessageTypeDefinition<_relay_v1_ExtendLeaseRequest, _relay_v1_ExtendLeaseRequest__Output>
      ExtendLeaseResponse: MessageTypeDefinition<_relay_v1_ExtendLeaseResponse, _relay_v1_ExtendLeaseResponse__Output>
      FlowControl: MessageTypeDefinition<_relay_v1_FlowControl, _relay_v1_FlowControl__Output>
      NackRequest: MessageTypeDefinition<_relay_v1_NackRequest, _relay_v1_NackRequest__Output>
      NackResponse: MessageTypeDefinition<_relay_v1_NackResponse, _relay_v1_NackResponse__Output>
      PublishMessage: MessageTypeDefinition<_relay_v1_PublishMessage, _relay_v1_PublishMessage__Output>
      ReceivedMessage: MessageTypeDefinition<_relay_v1_ReceivedMessage, _relay_v1_ReceivedMessage__Output>
      RejectRequest: MessageTypeDefinition<_relay_v1_RejectRequest, _relay_v1_RejectRequest__Output>
      RejectResponse: MessageTypeDefinition<_relay_v1_RejectResponse, _relay_v1_RejectResponse__Output>
      RetryPolicy: MessageTypeDefinition<_relay_v1_RetryPolicy, _relay_v1_RetryPolicy__Output>
      SettlementResult: EnumTypeDefinition
      StartPosition: EnumTypeDefinition
      SubscribeRequest: MessageTypeDefinition<_relay_v1_SubscribeRequest, _relay_v1_SubscribeRequest__Output>
      SubscribeResponse: MessageTypeDefinition<_relay_v1_SubscribeResponse, _relay_v1_SubscribeResponse__Output>
      SubscriberService: SubtypeConstructor<typeof grpc.Client, _relay_v1_SubscriberServiceClient> & { service: _relay_v1_SubscriberServiceDefinition }
      Subscription: MessageTypeDefinition<_relay_v1_Subscription, _relay_v1_Subscription__Output>
      Topic: MessageTypeDefinition<_relay_v1_Topic, _relay_v1_Topic__Output>
    }
  }
}

