from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from relay.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
MESSAGE_STATE_ACKED: MessageState
MESSAGE_STATE_DEAD_LETTERED: MessageState
MESSAGE_STATE_IN_FLIGHT: MessageState
MESSAGE_STATE_PENDING: MessageState
MESSAGE_STATE_UNSPECIFIED: MessageState

class CreateSubscriptionRequest(_message.Message):
    __slots__ = ["subscription"]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: _resources_pb2.Subscription
    def __init__(self, subscription: _Optional[_Union[_resources_pb2.Subscription, _Mapping]] = ...) -> None: ...

class CreateSubscriptionResponse(_message.Message):
    __slots__ = ["subscription"]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: _resources_pb2.Subscription
    def __init__(self, subscription: _Optional[_Union[_resources_pb2.Subscription, _Mapping]] = ...) -> None: ...

class CreateTopicRequest(_message.Message):
    __slots__ = ["topic"]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    topic: _resources_pb2.Topic
    def __init__(self, topic: _Optional[_Union[_resources_pb2.Topic, _Mapping]] = ...) -> None: ...

class CreateTopicResponse(_message.Message):
    __slots__ = ["topic"]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    topic: _resources_pb2.Topic
    def __init__(self, topic: _Optional[_Union[_resources_pb2.Topic, _Mapping]] = ...) -> None: ...

class DeleteSubscriptionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteSubscriptionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeleteTopicRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteTopicResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetSubscriptionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetSubscriptionResponse(_message.Message):
    __slots__ = ["subscription"]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: _resources_pb2.Subscription
    def __init__(self, subscription: _Optional[_Union[_resources_pb2.Subscription, _Mapping]] = ...) -> None: ...

class GetSubscriptionStatsRequest(_message.Message):
    __slots__ = ["subscription"]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: str
    def __init__(self, subscription: _Optional[str] = ...) -> None: ...

class GetSubscriptionStatsResponse(_message.Message):
    __slots__ = ["backlog", "dead_lettered", "in_flight", "oldest_unacked_age"]
    BACKLOG_FIELD_NUMBER: _ClassVar[int]
    DEAD_LETTERED_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    OLDEST_UNACKED_AGE_FIELD_NUMBER: _ClassVar[int]
    backlog: int
    dead_lettered: int
    in_flight: int
    oldest_unacked_age: _duration_pb2.Duration
    def __init__(self, backlog: _Optional[int] = ..., in_flight: _Optional[int] = ..., oldest_unacked_age: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., dead_lettered: _Optional[int] = ...) -> None: ...

class GetTopicRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetTopicResponse(_message.Message):
    __slots__ = ["topic"]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    topic: _resources_pb2.Topic
    def __init__(self, topic: _Optional[_Union[_resources_pb2.Topic, _Mapping]] = ...) -> None: ...

class InspectMessageRequest(_message.Message):
    __slots__ = ["message_id", "topic"]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    topic: str
    def __init__(self, topic: _Optional[str] = ..., message_id: _Optional[str] = ...) -> None: ...

class InspectMessageResponse(_message.Message):
    __slots__ = ["message", "states", "trace_id"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    message: _resources_pb2.ReceivedMessage
    states: _containers.RepeatedCompositeFieldContainer[SubscriptionMessageState]
    trace_id: str
    def __init__(self, message: _Optional[_Union[_resources_pb2.ReceivedMessage, _Mapping]] = ..., states: _Optional[_Iterable[_Union[SubscriptionMessageState, _Mapping]]] = ..., trace_id: _Optional[str] = ...) -> None: ...

class ListSubscriptionsRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "topic"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    topic: str
    def __init__(self, topic: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSubscriptionsResponse(_message.Message):
    __slots__ = ["next_page_token", "subscriptions"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    subscriptions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Subscription]
    def __init__(self, subscriptions: _Optional[_Iterable[_Union[_resources_pb2.Subscription, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListTopicsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTopicsResponse(_message.Message):
    __slots__ = ["next_page_token", "topics"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    topics: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Topic]
    def __init__(self, topics: _Optional[_Iterable[_Union[_resources_pb2.Topic, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RedriveRequest(_message.Message):
    __slots__ = ["dead_letter_topic", "message_ids"]
    DEAD_LETTER_TOPIC_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    dead_letter_topic: str
    message_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, dead_letter_topic: _Optional[str] = ..., message_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class RedriveResponse(_message.Message):
    __slots__ = ["redriven"]
    REDRIVEN_FIELD_NUMBER: _ClassVar[int]
    redriven: int
    def __init__(self, redriven: _Optional[int] = ...) -> None: ...

class SeekRequest(_message.Message):
    __slots__ = ["message_id", "subscription", "time"]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    subscription: str
    time: _timestamp_pb2.Timestamp
    def __init__(self, subscription: _Optional[str] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., message_id: _Optional[str] = ...) -> None: ...

class SeekResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class SubscriptionMessageState(_message.Message):
    __slots__ = ["consumer", "delivery_attempts", "last_error", "state", "subscription"]
    CONSUMER_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    consumer: str
    delivery_attempts: int
    last_error: str
    state: MessageState
    subscription: str
    def __init__(self, subscription: _Optional[str] = ..., state: _Optional[_Union[MessageState, str]] = ..., delivery_attempts: _Optional[int] = ..., last_error: _Optional[str] = ..., consumer: _Optional[str] = ...) -> None: ...

class MessageState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
