// Original file: proto/relay/v1/admin.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateSubscriptionRequest as _relay_v1_CreateSubscriptionRequest, CreateSubscriptionRequest__Output as _relay_v1_CreateSubscriptionRequest__Output } from '../../relay/v1/CreateSubscriptionRequest';
import type { CreateSubscriptionResponse as _relay_v1_CreateSubscriptionResponse, CreateSubscriptionResponse__Output as _relay_v1_CreateSubscriptionResponse__Output } from '../../relay/v1/CreateSubscriptionResponse';
import type { CreateTopicRequest as _relay_v1_CreateTopicRequest, CreateTopicRequest__Output as _relay_v1_CreateTopicRequest__Output } from '../../relay/v1/CreateTopicRequest';
import type { CreateTopicResponse as _relay_v1_CreateTopicResponse, CreateTopicResponse__Output as _relay_v1_CreateTopicResponse__Output } from '../../relay/v1/CreateTopicResponse';
import type { DeleteSubscriptionRequest as _relay_v1_DeleteSubscriptionRequest, DeleteSubscriptionRequest__Output as _relay_v1_DeleteSubscriptionRequest__Output } from '../../relay/v1/DeleteSubscriptionRequest';
import type { DeleteSubscriptionResponse as _relay_v1_DeleteSubscriptionResponse, DeleteSubscriptionResponse__Output as _relay_v1_DeleteSubscriptionResponse__Output } from '../../relay/v1/DeleteSubscriptionResponse';
import type { DeleteTopicRequest as _relay_v1_DeleteTopicRequest, DeleteTopicRequest__Output as _relay_v1_DeleteTopicRequest__Output } from '../../relay/v1/DeleteTopicRequest';
import type { DeleteTopicResponse as _relay_v1_DeleteTopicResponse, DeleteTopicResponse__Output as _relay_v1_DeleteTopicResponse__Output } from '../../relay/v1/DeleteTopicResponse';
import type { GetSubscriptionRequest as _relay_v1_GetSubscriptionRequest, GetSubscriptionRequest__Output as _relay_v1_GetSubscriptionRequest__Output } from '../../relay/v1/GetSubscriptionRequest';
import type { GetSubscriptionResponse as _relay_v1_GetSubscriptionResponse, GetSubscriptionResponse__Output as _relay_v1_GetSubscriptionResponse__Output } from '../../relay/v1/GetSubscriptionResponse';
import type { GetSubscriptionStatsRequest as _relay_v1_GetSubscriptionStatsRequest, GetSubscriptionStatsRequest__Output as _relay_v1_GetSubscriptionStatsRequest__Output } from '../../relay/v1/GetSubscriptionStatsRequest';
import type { GetSubscriptionStatsResponse as _relay_v1_GetSubscriptionStatsResponse, GetSubscriptionStatsResponse__Output as _relay_v1_GetSubscriptionStatsResponse__Output } from '../../relay/v1/GetSubscriptionStatsResponse';
import type { GetTopicRequest as _relay_v1_GetTopicRequest, GetTopicRequest__Output as _relay_v1_GetTopicRequest__Output } from '../../relay/v1/GetTopicRequest';
import type { GetTopicResponse as _relay_v1_GetTopicResponse, GetTopicResponse__Output as _relay_v1_GetTopicResponse__Output } from '../../relay/v1/GetTopicResponse';
import type { InspectMessageRequest as _relay_v1_InspectMessageRequest, InspectMessageRequest__Output as _relay_v1_InspectMessageRequest__Output } from '../../relay/v1/InspectMessageRequest';
import type { InspectMessageResponse as _relay_v1_InspectMessageResponse, InspectMessageResponse__Output as _relay_v1_InspectMessageResponse__Output } from '../../relay/v1/InspectMessageResponse';
import type { ListSubscriptionsRequest as _relay_v1_ListSubscriptionsRequest, ListSubscriptionsRequest__Output as _relay_v1_ListSubscriptionsRequest__Output } from '../../relay/v1/ListSubscriptionsRequest';
import type { ListSubscriptionsResponse as _relay_v1_ListSubscriptionsResponse, ListSubscriptionsResponse__Output as _relay_v1_ListSubscriptionsResponse__Output } from '../../relay/v1/ListSubscriptionsResponse';
import type { ListTopicsRequest as _relay_v1_ListTopicsRequest, ListTopicsRequest__Output as _relay_v1_ListTopicsRequest__Output } from '../../relay/v1/ListTopicsRequest';
import type { ListTopicsResponse as _relay_v1_ListTopicsResponse, ListTopicsResponse__Output as _relay_v1_ListTopicsResponse__Output } from '../../relay/v1/ListTopicsResponse';
import type { RedriveRequest as _relay_v1_RedriveRequest, RedriveRequest__Output as _relay_v1_RedriveRequest__Output } from '../../relay/v1/RedriveRequest';
import type { RedriveResponse as _relay_v1_RedriveResponse, RedriveResponse__Output as _relay_v1_RedriveResponse__Output } from '../../relay/v1/RedriveResponse';
import type { SeekRequest as _relay_v1_SeekRequest, SeekRequest__Output as _relay_v1_SeekRequest__Output } from '../../relay/v1/SeekRequest';
import type { SeekResponse as _relay_v1_SeekResponse, SeekResponse__Output as _relay_v1_SeekResponse__Output } from '../../relay/v1/SeekResponse';

export interface AdminServiceClient extends grpc.Client {
  CreateSubscription(argument: _relay_v1_CreateSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CreateSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  CreateSubscription(argument: _relay_v1_CreateSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_CreateSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  CreateSubscription(argument: _relay_v1_CreateSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CreateSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  CreateSubscription(argument: _relay_v1_CreateSubscriptionRequest, callback: grpc.requestCallback<_relay_v1_CreateSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  createSubscription(argument: _relay_v1_CreateSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CreateSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  createSubscription(argument: _relay_v1_CreateSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_CreateSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  createSubscription(argument: _relay_v1_CreateSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CreateSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  createSubscription(argument: _relay_v1_CreateSubscriptionRequest, callback: grpc.requestCallback<_relay_v1_CreateSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  
  CreateTopic(argument: _relay_v1_CreateTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  CreateTopic(argument: _relay_v1_CreateTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  CreateTopic(argument: _relay_v1_CreateTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  CreateTopic(argument: _relay_v1_CreateTopicRequest, callback: grpc.requestCallback<_relay_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  createTopic(argument: _relay_v1_CreateTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  createTopic(argument: _relay_v1_CreateTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  createTopic(argument: _relay_v1_CreateTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  createTopic(argument: _relay_v1_CreateTopicRequest, callback: grpc.requestCallback<_relay_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteSubscription(argument: _relay_v1_DeleteSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_DeleteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  DeleteSubscription(argument: _relay_v1_DeleteSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_DeleteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  DeleteSubscription(argument: _relay_v1_DeleteSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_DeleteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  DeleteSubscription(argument: _relay_v1_DeleteSubscriptionRequest, callback: grpc.requestCallback<_relay_v1_DeleteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  deleteSubscription(argument: _relay_v1_DeleteSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_DeleteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  deleteSubscription(argument: _relay_v1_DeleteSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_DeleteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  deleteSubscription(argument: _relay_v1_DeleteSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_DeleteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  deleteSubscription(argument: _relay_v1_DeleteSubscriptionRequest, callback: grpc.requestCallback<_relay_v1_DeleteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteTopic(argument: _relay_v1_DeleteTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _relay_v1_DeleteTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _relay_v1_DeleteTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _relay_v1_DeleteTopicRequest, callback: grpc.requestCallback<_relay_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _relay_v1_DeleteTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _relay_v1_DeleteTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _relay_v1_DeleteTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _relay_v1_DeleteTopicRequest, callback: grpc.requestCallback<_relay_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  
  GetSubscription(argument: _relay_v1_GetSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  GetSubscription(argument: _relay_v1_GetSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_GetSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  GetSubscription(argument: _relay_v1_GetSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  GetSubscription(argument: _relay_v1_GetSubscriptionRequest, callback: grpc.requestCallback<_relay_v1_GetSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  getSubscription(argument: _relay_v1_GetSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  getSubscription(argument: _relay_v1_GetSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_GetSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  getSubscription(argument: _relay_v1_GetSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  getSubscription(argument: _relay_v1_GetSubscriptionRequest, callback: grpc.requestCallback<_relay_v1_GetSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  
  GetSubscriptionStats(argument: _relay_v1_GetSubscriptionStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetSubscriptionStatsResponse__Output>): grpc.ClientUnaryCall;
  GetSubscriptionStats(argument: _relay_v1_GetSubscriptionStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_GetSubscriptionStatsResponse__Output>): grpc.ClientUnaryCall;
  GetSubscriptionStats(argument: _relay_v1_GetSubscriptionStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetSubscriptionStatsResponse__Output>): grpc.ClientUnaryCall;
  GetSubscriptionStats(argument: _relay_v1_GetSubscriptionStatsRequest, callback: grpc.requestCallback<_relay_v1_GetSubscriptionStatsResponse__Output>): grpc.ClientUnaryCall;
  getSubscriptionStats(argument: _relay_v1_GetSubscriptionStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetSubscriptionStatsResponse__Output>): grpc.ClientUnaryCall;
  getSubscriptionStats(argument: _relay_v1_GetSubscriptionStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_GetSubscriptionStatsResponse__Output>): grpc.ClientUnaryCall;
  getSubscriptionStats(argument: _relay_v1_GetSubscriptionStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetSubscriptionStatsResponse__Output>): grpc.ClientUnaryCall;
  getSubscriptionStats(argument: _relay_v1_GetSubscriptionStatsRequest, callback: grpc.requestCallback<_relay_v1_GetSubscriptionStatsResponse__Output>): grpc.ClientUnaryCall;
  
  GetTopic(argument: _relay_v1_GetTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetTopicResponse__Output>): grpc.ClientUnaryCall;
  GetTopic(argument: _relay_v1_GetTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_GetTopicResponse__Output>): grpc.ClientUnaryCall;
  GetTopic(argument: _relay_v1_GetTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetTopicResponse__Output>): grpc.ClientUnaryCall;
  GetTopic(argument: _relay_v1_GetTopicRequest, callback: grpc.requestCallback<_relay_v1_GetTopicResponse__Output>): grpc.ClientUnaryCall;
  getTopic(argument: _relay_v1_GetTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetTopicResponse__Output>): grpc.ClientUnaryCall;
  getTopic(argument: _relay_v1_GetTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_GetTopicResponse__Output>): grpc.ClientUnaryCall;
  getTopic(argument: _relay_v1_GetTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_GetTopicResponse__Output>): grpc.ClientUnaryCall;
  getTopic(argument: _relay_v1_GetTopicRequest, callback: grpc.requestCallback<_relay_v1_GetTopicResponse__Output>): grpc.ClientUnaryCall;
  
  InspectMessage(argument: _relay_v1_InspectMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_InspectMessageResponse__Output>): grpc.ClientUnaryCall;
  InspectMessage(argument: _relay_v1_InspectMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_InspectMessageResponse__Output>): grpc.ClientUnaryCall;
  InspectMessage(argument: _relay_v1_InspectMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_InspectMessageResponse__Output>): grpc.ClientUnaryCall;
  InspectMessage(argument: _relay_v1_InspectMessageRequest, callback: grpc.requestCallback<_relay_v1_InspectMessageResponse__Output>): grpc.ClientUnaryCall;
  inspectMessage(argument: _relay_v1_InspectMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_InspectMessageResponse__Output>): grpc.ClientUnaryCall;
  inspectMessage(argument: _relay_v1_InspectMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_InspectMessageResponse__Output>): grpc.ClientUnaryCall;
  inspectMessage(argument: _relay_v1_InspectMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_InspectMessageResponse__Output>): grpc.ClientUnaryCall;
  inspectMessage(argument: _relay_v1_InspectMessageRequest, callback: grpc.requestCallback<_relay_v1_InspectMessageResponse__Output>): grpc.ClientUnaryCall;
  
  ListSubscriptions(argument: _relay_v1_ListSubscriptionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ListSubscriptionsResponse__Output>): grpc.ClientUnaryCall;
  ListSubscriptions(argument: _relay_v1_ListSubscriptionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_ListSubscriptionsResponse__Output>): grpc.ClientUnaryCall;
  ListSubscriptions(argument: _relay_v1_ListSubscriptionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ListSubscriptionsResponse__Output>): grpc.ClientUnaryCall;
  ListSubscriptions(argument: _relay_v1_ListSubscriptionsRequest, callback: grpc.requestCallback<_relay_v1_ListSubscriptionsResponse__Output>): grpc.ClientUnaryCall;
  listSubscriptions(argument: _relay_v1_ListSubscriptionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ListSubscriptionsResponse__Output>): grpc.ClientUnaryCall;
  listSubscriptions(argument: _relay_v1_ListSubscriptionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_ListSubscriptionsResponse__Output>): grpc.ClientUnaryCall;
  listSubscriptions(argument: _relay_v1_ListSubscriptionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ListSubscriptionsResponse__Output>): grpc.ClientUnaryCall;
  listSubscriptions(argument: _relay_v1_ListSubscriptionsRequest, callback: grpc.requestCallback<_relay_v1_ListSubscriptionsResponse__Output>): grpc.ClientUnaryCall;
  
  ListTopics(argument: _relay_v1_ListTopicsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _relay_v1_ListTopicsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _relay_v1_ListTopicsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _relay_v1_ListTopicsRequest, callback: grpc.requestCallback<_relay_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _relay_v1_ListTopicsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _relay_v1_ListTopicsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _relay_v1_ListTopicsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _relay_v1_ListTopicsRequest, callback: grpc.requestCallback<_relay_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  
  Redrive(argument: _relay_v1_RedriveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_RedriveResponse__Output>): grpc.ClientUnaryCall;
  Redrive(argument: _relay_v1_RedriveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_RedriveResponse__Output>): grpc.ClientUnaryCall;
  Redrive(argument: _relay_v1_RedriveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_RedriveResponse__Output>): grpc.ClientUnaryCall;
  Redrive(argument: _relay_v1_RedriveRequest, callback: grpc.requestCallback<_relay_v1_RedriveResponse__Output>): grpc.ClientUnaryCall;
  redrive(argument: _relay_v1_RedriveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_RedriveResponse__Output>): grpc.ClientUnaryCall;
  redrive(argument: _relay_v1_RedriveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_RedriveResponse__Output>): grpc.ClientUnaryCall;
  redrive(argument: _relay_v1_RedriveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_RedriveResponse__Output>): grpc.ClientUnaryCall;
  redrive(argument: _relay_v1_RedriveRequest, callback: grpc.requestCallback<_relay_v1_RedriveResponse__Output>): grpc.ClientUnaryCall;
  
  Seek(argument: _relay_v1_SeekRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_SeekResponse__Output>): grpc.ClientUnaryCall;
  Seek(argument: _relay_v1_SeekRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_SeekResponse__Output>): grpc.ClientUnaryCall;
  Seek(argument: _relay_v1_SeekRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_SeekResponse__Output>): grpc.ClientUnaryCall;
  Seek(argument: _relay_v1_SeekRequest, callback: grpc.requestCallback<_relay_v1_SeekResponse__Output>): grpc.ClientUnaryCall;
  seek(argument: _relay_v1_SeekRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_SeekResponse__Output>): grpc.ClientUnaryCall;
  seek(argument: _relay_v1_SeekRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_relay_v1_SeekResponse__Output>): grpc.ClientUnaryCall;
  seek(argument: _relay_v1_SeekRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_relay_v1_SeekResponse__Output>): grpc.ClientUnaryCall;
  seek(argument: _relay_v1_SeekRequest, callback: grpc.requestCallback<_relay_v1_SeekResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AdminServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateSubscription: grpc.handleUnaryCall<_relay_v1_CreateSubscriptionRequest__Output, _relay_v1_CreateSubscriptionResponse>;
  
  CreateTopic: grpc.handleUnaryCall<_relay_v1_CreateTopicRequest__Output, _relay_v1_CreateTopicResponse>;
  
  DeleteSubscription: grpc.handleUnaryCall<_relay_v1_DeleteSubscriptionRequest__Output, _relay_v1_DeleteSubscriptionResponse>;
  
  DeleteTopic: grpc.handleUnaryCall<_relay_v1_DeleteTopicRequest__Output, _relay_v1_DeleteTopicResponse>;
  
  GetSubscription: grpc.handleUnaryCall<_relay_v1_GetSubscriptionRequest__Output, _relay_v1_GetSubscriptionResponse>;
  
  GetSubscriptionStats: grpc.handleUnaryCall<_relay_v1_GetSubscriptionStatsRequest__Output, _relay_v1_GetSubscriptionStatsResponse>;
  
  GetTopic: grpc.handleUnaryCall<_relay_v1_GetTopicRequest__Output, _relay_v1_GetTopicResponse>;
  
  InspectMessage: grpc.handleUnaryCall<_relay_v1_InspectMessageRequest__Output, _relay_v1_InspectMessageResponse>;
  
  ListSubscriptions: grpc.handleUnaryCall<_relay_v1_ListSubscriptionsRequest__Output, _relay_v1_ListSubscriptionsResponse>;
  
  ListTopics: grpc.handleUnaryCall<_relay_v1_ListTopicsRequest__Output, _relay_v1_ListTopicsResponse>;
  
  Redrive: grpc.handleUnaryCall<_relay_v1_RedriveRequest__Output, _relay_v1_RedriveResponse>;
  
  Seek: grpc.handleUnaryCall<_relay_v1_SeekRequest__Output, _relay_v1_SeekResponse>;
  
}

export interface AdminServiceDefinition extends grpc.ServiceDefinition {
  CreateSubscription: MethodDefinition<_relay_v1_CreateSubscriptionRequest, _relay_v1_CreateSubscriptionResponse, _relay_v1_CreateSubscriptionRequest__Output, _relay_v1_CreateSubscriptionResponse__Output>
  CreateTopic: MethodDefinition<_relay_v1_CreateTopicRequest, _relay_v1_CreateTopicResponse, _relay_v1_CreateTopicRequest__Output, _relay_v1_CreateTopicResponse__Output>
  DeleteSubscription: MethodDefinition<_relay_v1_DeleteSubscriptionRequest, _relay_v1_DeleteSubscriptionResponse, _relay_v1_DeleteSubscriptionRequest__Output, _relay_v1_DeleteSubscriptionResponse__Output>
  DeleteTopic: MethodDefinition<_relay_v1_DeleteTopicRequest, _relay_v1_DeleteTopicResponse, _relay_v1_DeleteTopicRequest__Output, _relay_v1_DeleteTopicResponse__Output>
  GetSubscription: MethodDefinition<_relay_v1_GetSubscriptionRequest, _relay_v1_GetSubscriptionResponse, _relay_v1_GetSubscriptionRequest__Output, _relay_v1_GetSubscriptionResponse__Output>
  GetSubscriptionStats: MethodDefinition<_relay_v1_GetSubscriptionStatsRequest, _relay_v1_GetSubscriptionStatsResponse, _relay_v1_GetSubscriptionStatsRequest__Output, _relay_v1_GetSubscriptionStatsResponse__Output>
  GetTopic: MethodDefinition<_relay_v1_GetTopicRequest, _relay_v1_GetTopicResponse, _relay_v1_GetTopicRequest__Output, _relay_v1_GetTopicResponse__Output>
  InspectMessage: MethodDefinition<_relay_v1_InspectMessageRequest, _relay_v1_InspectMessageResponse, _relay_v1_InspectMessageRequest__Output, _relay_v1_InspectMessageResponse__Output>
  ListSubscriptions: MethodDefinition<_relay_v1_ListSubscriptionsRequest, _relay_v1_ListSubscriptionsResponse, _relay_v1_ListSubscriptionsRequest__Output, _relay_v1_ListSubscriptionsResponse__Output>
  ListTopics: MethodDefinition<_relay_v1_ListTopicsRequest, _relay_v1_ListTopicsResponse, _relay_v1_ListTopicsRequest__Output, _relay_v1_ListTopicsResponse__Output>
  Redrive: MethodDefinition<_relay_v1_RedriveRequest, _relay_v1_RedriveResponse, _relay_v1_RedriveRequest__Output, _relay_v1_RedriveResponse__Output>
  Seek: MethodDefinition<_relay_v1_SeekRequest, _relay_v1_SeekResponse, _relay_v1_SeekRequest__Output, _relay_v1_SeekResponse__Output>
}
