import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { DeadLetterInfo as _relay_v1_DeadLetterInfo, DeadLetterInfo__Output as _relay_v1_DeadLetterInfo__Output } from './relay/v1/DeadLetterInfo';
import type { Delivery as _relay_v1_Delivery, Delivery__Output as _relay_v1_Delivery__Output } from './relay/v1/Delivery';
import type { PublishMessage as _relay_v1_PublishMessage, PublishMessage__Output as _relay_v1_PublishMessage__Output } from './relay/v1/PublishMessage';
import type { PublishRequest as _relay_v1_PublishRequest, PublishRequest__Output as _relay_v1_PublishRequest__Output } from './relay/v1/PublishRequest';
import type { PublishResponse as _relay_v1_PublishResponse, PublishResponse__Output as _relay_v1_PublishResponse__Output } from './relay/v1/PublishResponse';
import type { PublishResult as _relay_v1_PublishResult, PublishResult__Output as _relay_v1_PublishResult__Output } from './relay/v1/PublishResult';
import type { PublishStreamRequest as _relay_v1_PublishStreamRequest, PublishStreamRequest__Output as _relay_v1_PublishStreamRequest__Output } from './relay/v1/PublishStreamRequest';
import type { PublishStreamResponse as _relay_v1_PublishStreamResponse, PublishStreamResponse__Output as _relay_v1_PublishStreamResponse__Output } from './relay/v1/PublishStreamResponse';
import type { PublisherServiceClient as _relay_v1_PublisherServiceClient, PublisherServiceDefinition as _relay_v1_PublisherServiceDefinition } from './relay/v1/PublisherService';
import type { ReceivedMessage as _relay_v1_ReceivedMessage, ReceivedMessage__Output as _relay_v1_ReceivedMessage__Output } from './relay/v1/ReceivedMessage';
import type { RetryPolicy as _relay_v1_RetryPolicy, RetryPolicy__Output as _relay_v1_RetryPolicy__Output } from './relay/v1/RetryPolicy';
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
      DeadLetterInfo: MessageTypeDefinition<_relay_v1_DeadLetterInfo, _relay_v1_DeadLetterInfo__Output>
      Delivery: MessageTypeDefinition<_relay_v1_Delivery, _relay_v1_Delivery__Output>
      DeliveryReason: EnumTypeDefinition
      PublishMessage: MessageTypeDefinition<_relay_v1_PublishMessage, _relay_v1_PublishMessage__Output>
      PublishRequest: MessageTypeDefinition<_relay_v1_PublishRequest, _relay_v1_PublishRequest__Output>
      PublishResponse: MessageTypeDefinition<_relay_v1_PublishResponse, _relay_v1_PublishResponse__Output>
      PublishResult: MessageTypeDefinition<_relay_v1_PublishResult, _relay_v1_PublishResult__Output>
      PublishStreamRequest: MessageTypeDefinition<_relay_v1_PublishStreamRequest, _relay_v1_PublishStreamRequest__Output>
      PublishStreamResponse: MessageTypeDefinition<_relay_v1_PublishStreamResponse, _relay_v1_PublishStreamResponse__Output>
      PublisherService: SubtypeConstructor<typeof grpc.Client, _relay_v1_PublisherServiceClient> & { service: _relay_v1_PublisherServiceDefinition }
      ReceivedMessage: MessageTypeDefinition<_relay_v1_ReceivedMessage, _relay_v1_ReceivedMessage__Output>
      RetryPolicy: MessageTypeDefinition<_relay_v1_RetryPolicy, _relay_v1_RetryPolicy__Output>
      SettlementResult: EnumTypeDefinition
      StartPosition: EnumTypeDefinition
      Subscription: MessageTypeDefinition<_relay_v1_Subscription, _relay_v1_Subscription__Output>
      Topic: MessageTypeDefinition<_relay_v1_Topic, _relay_v1_Topic__Output>
    }
  }
}

