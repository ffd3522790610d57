import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { AdminServiceClient as _relay_v1_AdminServiceClient, AdminServiceDefinition as _relay_v1_AdminServiceDefinition } from './relay/v1/AdminService';
import type { CreateSubscriptionRequest as _relay_v1_CreateSubscriptionRequest, CreateSubscriptionRequest__Output as _relay_v1_CreateSubscriptionRequest__Output } from './relay/v1/CreateSubscriptionRequest';
import type { CreateSubscriptionResponse as _relay_v1_CreateSubscriptionResponse, CreateSubscriptionResponse__Output as _relay_v1_CreateSubscriptionResponse__Output } from './relay/v1/CreateSubscriptionResponse';
import type { CreateTopicRequest as _relay_v1_CreateTopicRequest, CreateTopicRequest__Output as _relay_v1_CreateTopicRequest__Output } from './relay/v1/CreateTopicRequest';
import type { CreateTopicResponse as _relay_v1_CreateTopicResponse, CreateTopicResponse__Output as _relay_v1_CreateTopicResponse__Output } from './relay/v1/CreateTopicResponse';
import type { DeadLetterInfo as _relay_v1_DeadLetterInfo, DeadLetterInfo__Output as _relay_v1_DeadLetterInfo__Output } from './relay/v1/DeadLetterInfo';
import type { DeleteSubscriptionRequest as _relay_v1_DeleteSubscriptionRequest, DeleteSubscriptionRequest__Output as _relay_v1_DeleteSubscriptionRequest__Output } from './relay/v1/DeleteSubscriptionRequest';
import type { DeleteSubscriptionResponse as _relay_v1_DeleteSubscriptionResponse, DeleteSubscriptionResponse__Output as _relay_v1_DeleteSubscriptionResponse__Output } from './relay/v1/DeleteSubscriptionResponse';
import type { DeleteTopicRequest as _relay_v1_DeleteTopicRequest, DeleteTopicRequest__Output as _relay_v1_DeleteTopicRequest__Output } from './relay/v1/DeleteTopicRequest';
import type { DeleteTopicResponse as _relay_v1_DeleteTopicResponse, DeleteTopicResponse__Output as _relay_v1_DeleteTopicResponse__Output } from './relay/v1/DeleteTopicResponse';
import type { Delivery as _relay_v1_Delivery, Delivery__Output as _relay_v1_Delivery__Output } from './relay/v1/Delivery';
import type { GetSubscriptionRequest as _relay_v1_GetSubscriptionRequest, GetSubscriptionRequest__Output as _relay_v1_GetSubscriptionRequest__Output } from './relay/v1/GetSubscriptionRequest';
import type { GetSubscriptionResponse as _relay_v1_GetSubscriptionResponse, GetSubscriptionResponse__Output as _relay_v1_GetSubscriptionResponse__Output } from './relay/v1/GetSubscriptionResponse';
import type { GetSubscriptionStatsRequest as _relay_v1_GetSubscriptionStatsRequest, GetSubscriptionStatsRequest__Output as _relay_v1_GetSubscriptionStatsRequest__Output } from './relay/v1/GetSubscriptionStatsRequest';
import type { GetSubscriptionStatsResponse as _relay_v1_GetSubscriptionStatsResponse, GetSubscriptionStatsResponse__Output as _relay_v1_GetSubscriptionStatsResponse__Output } from './relay/v1/GetSubscriptionStatsResponse';
import type { GetTopicRequest as _relay_v1_GetTopicRequest, GetTopicRequest__Output as _relay_v1_GetTopicRequest__Output } from './relay/v1/GetTopicRequest';
import type { GetTopicResponse as _relay_v1_GetTopicResponse, GetTopicResponse__Output as _relay_v1_GetTopicResponse__Output } from './relay/v1/GetTopicResponse';
import type { InspectMessageRequest as _relay_v1_InspectMessageRequest, InspectMessageRequest__Output as _relay_v1_InspectMessageRequest__Output } from './relay/v1/InspectMessageRequest';
import type { InspectMessageResponse as _relay_v1_InspectMessageResponse, InspectMessageResponse__Output as _relay_v1_InspectMessageResponse__Output } from './relay/v1/InspectMessageResponse';
import type { ListSubscriptionsRequest as _relay_v1_ListSubscriptionsRequest, ListSubscriptionsRequest__Output as _relay_v1_ListSubscriptionsRequest__Output } from './relay/v1/ListSubscriptionsRequest';
import type { ListSubscriptionsResponse as _relay_v1_ListSubscriptionsResponse, ListSubscriptionsResponse__Output as _relay_v1_ListSubscriptionsResponse__Output } from './relay/v1/ListSubscriptionsResponse';
import type { ListTopicsRequest as _relay_v1_ListTopicsRequest, ListTopicsRequest__Output as _relay_v1_ListTopicsRequest__Output } from './relay/v1/ListTopicsRequest';
import type { ListTopicsResponse as _relay_v1_ListTopicsResponse, ListTopicsResponse__Output as _relay_v1_ListTopicsResponse__Output } from './relay/v1/ListTopicsResponse';
import type { PublishMessage as _relay_v1_PublishMessage, PublishMessage__Output as _relay_v1_PublishMessage__Output } from './relay/v1/PublishMessage';
import type { ReceivedMessage as _relay_v1_ReceivedMessage, ReceivedMessage__Output as _relay_v1_ReceivedMessage__Output } from './relay/v1/ReceivedMessage';
import type { RedriveRequest as _relay_v1_RedriveRequest, RedriveRequest__Output as _relay_v1_RedriveRequest__Output } from './relay/v1/RedriveRequest';
import type { RedriveResponse as _relay_v1_RedriveResponse, RedriveResponse__Output as _relay_v1_RedriveResponse__Output } from './relay/v1/RedriveResponse';
import type { RetryPolicy as _relay_v1_RetryPolicy, RetryPolicy__Output as _relay_v1_RetryPolicy__Output } from './relay/v1/RetryPolicy';
import type { SeekRequest as _relay_v1_SeekRequest, SeekRequest__Output as _relay_v1_SeekRequest__Output } from './relay/v1/SeekRequest';
import type { SeekResponse as _relay_v1_SeekResponse, SeekResponse__Output as _relay_v1_SeekResponse__Output } from './relay/v1/SeekResponse';
import type { Subscription as _relay_v1_Subscription, Subscription__Output as _relay_v1_Subscription__Output } from './relay/v1/Subscription';
import type { SubscriptionMessageState as _relay_v1_SubscriptionMessageState, SubscriptionMessageState__Output as _relay_v1_SubscriptionMessageState__Output } from './relay/v1/SubscriptionMessageState';
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
      AdminService: SubtypeConstructor<typeof grpc.Client, _relay_v1_AdminServiceClient> & { service: _relay_v1_AdminServiceDefinition }
      CreateSubscriptionRequest: MessageTypeDefinition<_relay_v1_CreateSubscriptionRequest, _relay_v1_CreateSubscriptionRequest__Output>
      CreateSubscriptionResponse: MessageTypeDefinition<_relay_v1_CreateSubscriptionResponse, _relay_v1_CreateSubscriptionResponse__Output>
      CreateTopicRequest: MessageTypeDefinition<_relay_v1_CreateTopicRequest, _relay_v1_CreateTopicRequest__Output>
      CreateTopicResponse: MessageTypeDefinition<_relay_v1_CreateTopicResponse, _relay_v1_CreateTopicResponse__Output>
      DeadLetterInfo: MessageTypeDefinition<_relay_v1_DeadLetterInfo, _relay_v1_DeadLetterInfo__Output>
      DeleteSubscriptionRequest: MessageTypeDefinition<_relay_v1_DeleteSubscriptionRequest, _relay_v1_DeleteSubscriptionRequest__Output>
      DeleteSubscriptionResponse: MessageTypeDefinition<_relay_v1_DeleteSubscriptionResponse, _relay_v1_DeleteSubscriptionResponse__Output>
      DeleteTopicRequest: MessageTypeDefinition<_relay_v1_DeleteTopicRequest, _relay_v1_DeleteTopicRequest__Output>
      DeleteTopicResponse: MessageTypeDefinition<_relay_v1_DeleteTopicResponse, _relay_v1_DeleteTopicResponse__Output>
      Delivery: MessageTypeDefinition<_relay_v1_Delivery, _relay_v1_Delivery__Output>
      DeliveryReason: EnumTypeDefinition
      GetSubscriptionRequest: MessageTypeDefinition<_relay_v1_GetSubscriptionRequest, _relay_v1_GetSubscriptionRequest__Output>
      GetSubscriptionResponse: MessageTypeDefinition<_relay_v1_GetSubscriptionResponse, _relay_v1_GetSubscriptionResponse__Output>
      GetSubscriptionStatsRequest: MessageTypeDefinition<_relay_v1_GetSubscriptionStatsRequest, _relay_v1_GetSubscriptionStatsRequest__Output>
      GetSubscriptionStatsResponse: MessageTypeDefinition<_relay_v1_GetSubscriptionStatsResponse, _relay_v1_GetSubscriptionStatsResponse__Output>
      GetTopicRequest: MessageTypeDefinition<_relay_v1_GetTopicRequest, _relay_v1_GetTopicRequest__Output>
      GetTopicResponse: MessageTypeDefinition<_relay_v1_GetTopicResponse, _relay_v1_GetTopicResponse__Output>
      InspectMessageRequest: MessageTypeDefinition<_relay_v1_InspectMessageRequest, _relay_v1_InspectMessageRequest__Output>
      InspectMessageResponse: MessageTypeDefinition<_relay_v1_InspectMessageResponse, _relay_v1_InspectMessageResponse__Output>
      ListSubscriptionsRequest: MessageTypeDefinition<_relay_v1_ListSubscriptionsRequest, _relay_v1_ListSubscriptionsRequest__Output>
      ListSubscriptionsResponse: MessageTypeDefinition<_relay_v1_ListSubscriptionsResponse, _relay_v1_ListSubscriptionsResponse__Output>
      ListTopicsRequest: MessageTypeDefinition<_relay_v1_ListTopicsRequest, _relay_v1_ListTopicsRequest__Output>
      ListTopicsResponse: MessageTypeDefinition<_relay_v1_ListTopicsResponse, _relay_v1_ListTopicsResponse__Output>
      MessageState: EnumTypeDefinition
      PublishMessage: MessageTypeDefinition<_relay_v1_PublishMessage, _relay_v1_PublishMessage__Output>
      ReceivedMessage: MessageTypeDefinition<_relay_v1_ReceivedMessage, _relay_v1_ReceivedMessage__Output>
      RedriveRequest: MessageTypeDefinition<_relay_v1_RedriveRequest, _relay_v1_RedriveRequest__Output>
      RedriveResponse: MessageTypeDefinition<_relay_v1_RedriveResponse, _relay_v1_RedriveResponse__Output>
      RetryPolicy: MessageTypeDefinition<_relay_v1_RetryPolicy, _relay_v1_RetryPolicy__Output>
      SeekRequest: MessageTypeDefinition<_relay_v1_SeekRequest, _relay_v1_SeekRequest__Output>
      SeekResponse: MessageTypeDefinition<_relay_v1_SeekResponse, _relay_v1_SeekResponse__Output>
      SettlementResult: EnumTypeDefinition
      StartPosition: EnumTypeDefinition
      Subscription: MessageTypeDefinition<_relay_v1_Subscription, _relay_v1_Subscription__Output>
      SubscriptionMessageState: MessageTypeDefinition<_relay_v1_SubscriptionMessageState, _relay_v1_SubscriptionMessageState__Output>
      Topic: MessageTypeDefinition<_relay_v1_Topic, _relay_v1_Topic__Output>
    }
  }
}

