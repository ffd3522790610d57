from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DELIVERY_REASON_CONSUMER_LOST: DeliveryReason
DELIVERY_REASON_FIRST: DeliveryReason
DELIVERY_REASON_LEASE_EXPIRED: DeliveryReason
DELIVERY_REASON_NACK: DeliveryReason
DELIVERY_REASON_REDRIVE: DeliveryReason
DELIVERY_REASON_SEEK: DeliveryReason
DELIVERY_REASON_UNSPECIFIED: DeliveryReason
DESCRIPTOR: _descriptor.FileDescriptor
SETTLEMENT_RESULT_INVALID_RECEIPT: SettlementResult
SETTLEMENT_RESULT_OK: SettlementResult
SETTLEMENT_RESULT_UNSPECIFIED: SettlementResult
START_POSITION_EARLIEST: StartPosition
START_POSITION_LATEST: StartPosition
START_POSITION_UNSPECIFIED: StartPosition

class DeadLetterInfo(_message.Message):
    __slots__ = ["delivery_attempts", "reason", "source_topic", "subscription"]
    DELIVERY_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_TOPIC_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    delivery_attempts: int
    reason: str
    source_topic: str
    subscription: str
    def __init__(self, source_topic: _Optional[str] = ..., subscription: _Optional[str] = ..., reason: _Optional[str] = ..., delivery_attempts: _Optional[int] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ["delivery_attempt", "lease_deadline", "message", "reason", "receipt"]
    DELIVERY_ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    LEASE_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    delivery_attempt: int
    lease_deadline: _timestamp_pb2.Timestamp
    message: ReceivedMessage
    reason: DeliveryReason
    receipt: str
    def __init__(self, message: _Optional[_Union[ReceivedMessage, _Mapping]] = ..., receipt: _Optional[str] = ..., delivery_attempt: _Optional[int] = ..., lease_deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[_Union[DeliveryReason, str]] = ...) -> None: ...

class PublishMessage(_message.Message):
    __slots__ = ["attributes", "data", "idempotency_key", "ordering_key"]
    class AttributesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ORDERING_KEY_FIELD_NUMBER: _ClassVar[int]
    attributes: _containers.ScalarMap[str, str]
    data: bytes
    idempotency_key: str
    ordering_key: str
    def __init__(self, data: _Optional[bytes] = ..., attributes: _Optional[_Mapping[str, str]] = ..., ordering_key: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ReceivedMessage(_message.Message):
    __slots__ = ["attributes", "data", "dead_letter", "message_id", "ordering_key", "original_message_id", "publish_time", "traceparent", "tracestate"]
    class AttributesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    DEAD_LETTER_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ORDERING_KEY_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_TIME_FIELD_NUMBER: _ClassVar[int]
    TRACEPARENT_FIELD_NUMBER: _ClassVar[int]
    TRACESTATE_FIELD_NUMBER: _ClassVar[int]
    attributes: _containers.ScalarMap[str, str]
    data: bytes
    dead_letter: DeadLetterInfo
    message_id: str
    ordering_key: str
    original_message_id: str
    publish_time: _timestamp_pb2.Timestamp
    traceparent: str
    tracestate: str
    def __init__(self, message_id: _Optional[str] = ..., data: _Optional[bytes] = ..., attributes: _Optional[_Mapping[str, str]] = ..., ordering_key: _Optional[str] = ..., publish_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., traceparent: _Optional[str] = ..., tracestate: _Optional[str] = ..., original_message_id: _Optional[str] = ..., dead_letter: _Optional[_Union[DeadLetterInfo, _Mapping]] = ...) -> None: ...

class RetryPolicy(_message.Message):
    __slots__ = ["maximum_backoff", "minimum_backoff"]
    MAXIMUM_BACKOFF_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_BACKOFF_FIELD_NUMBER: _ClassVar[int]
    maximum_backoff: _duration_pb2.Duration
    minimum_backoff: _duration_pb2.Duration
    def __init__(self, minimum_backoff: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., maximum_backoff: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class Subscription(_message.Message):
    __slots__ = ["ack_deadline", "create_time", "dead_letter_topic", "enable_ordering", "max_delivery_attempts", "name", "retry_policy", "start_position", "topic"]
    ACK_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DEAD_LETTER_TOPIC_FIELD_NUMBER: _ClassVar[int]
    ENABLE_ORDERING_FIELD_NUMBER: _ClassVar[int]
    MAX_DELIVERY_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RETRY_POLICY_FIELD_NUMBER: _ClassVar[int]
    START_POSITION_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    ack_deadline: _duration_pb2.Duration
    create_time: _timestamp_pb2.Timestamp
    dead_letter_topic: str
    enable_ordering: bool
    max_delivery_attempts: int
    name: str
    retry_policy: RetryPolicy
    start_position: StartPosition
    topic: str
    def __init__(self, name: _Optional[str] = ..., topic: _Optional[str] = ..., ack_deadline: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., start_position: _Optional[_Union[StartPosition, str]] = ..., retry_policy: _Optional[_Union[RetryPolicy, _Mapping]] = ..., max_delivery_attempts: _Optional[int] = ..., dead_letter_topic: _Optional[str] = ..., enable_ordering: bool = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Topic(_message.Message):
    __slots__ = ["create_time", "dedup_window", "max_backlog_age", "max_backlog_messages", "name", "retention_duration", "retention_messages"]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DEDUP_WINDOW_FIELD_NUMBER: _ClassVar[int]
    MAX_BACKLOG_AGE_FIELD_NUMBER: _ClassVar[int]
    MAX_BACKLOG_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RETENTION_DURATION_FIELD_NUMBER: _ClassVar[int]
    RETENTION_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    create_time: _timestamp_pb2.Timestamp
    dedup_window: _duration_pb2.Duration
    max_backlog_age: _duration_pb2.Duration
    max_backlog_messages: int
    name: str
    retention_duration: _duration_pb2.Duration
    retention_messages: int
    def __init__(self, name: _Optional[str] = ..., dedup_window: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., retention_duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., retention_messages: _Optional[int] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., max_backlog_messages: _Optional[int] = ..., max_backlog_age: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class StartPosition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DeliveryReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SettlementResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
