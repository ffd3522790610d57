from google.protobuf import duration_pb2 as _duration_pb2
from relay.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AckRequest(_message.Message):
    __slots__ = ["receipts", "subscription"]
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    receipts: _containers.RepeatedScalarFieldContainer[str]
    subscription: str
    def __init__(self, subscription: _Optional[str] = ..., receipts: _Optional[_Iterable[str]] = ...) -> None: ...

class AckResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedScalarFieldContainer[_resources_pb2.SettlementResult]
    def __init__(self, results: _Optional[_Iterable[_Union[_resources_pb2.SettlementResult, str]]] = ...) -> None: ...

class ExtendLeaseRequest(_message.Message):
    __slots__ = ["extension", "receipts", "subscription"]
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    extension: _duration_pb2.Duration
    receipts: _containers.RepeatedScalarFieldContainer[str]
    subscription: str
    def __init__(self, subscription: _Optional[str] = ..., receipts: _Optional[_Iterable[str]] = ..., extension: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ExtendLeaseResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedScalarFieldContainer[_resources_pb2.SettlementResult]
    def __init__(self, results: _Optional[_Iterable[_Union[_resources_pb2.SettlementResult, str]]] = ...) -> None: ...

class FlowControl(_message.Message):
    __slots__ = ["max_outstanding_bytes", "max_outstanding_messages"]
    MAX_OUTSTANDING_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTSTANDING_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    max_outstanding_bytes: int
    max_outstanding_messages: int
    def __init__(self, max_outstanding_messages: _Optional[int] = ..., max_outstanding_bytes: _Optional[int] = ...) -> None: ...

class NackRequest(_message.Message):
    __slots__ = ["delay", "reason", "receipts", "subscription"]
    DELAY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    delay: _duration_pb2.Duration
    reason: str
    receipts: _containers.RepeatedScalarFieldContainer[str]
    subscription: str
    def __init__(self, subscription: _Optional[str] = ..., receipts: _Optional[_Iterable[str]] = ..., delay: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class NackResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedScalarFieldContainer[_resources_pb2.SettlementResult]
    def __init__(self, results: _Optional[_Iterable[_Union[_resources_pb2.SettlementResult, str]]] = ...) -> None: ...

class RejectRequest(_message.Message):
    __slots__ = ["reason", "receipts", "subscription"]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    reason: str
    receipts: _containers.RepeatedScalarFieldContainer[str]
    subscription: str
    def __init__(self, subscription: _Optional[str] = ..., receipts: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ...) -> None: ...

class RejectResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedScalarFieldContainer[_resources_pb2.SettlementResult]
    def __init__(self, results: _Optional[_Iterable[_Union[_resources_pb2.SettlementResult, str]]] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ["ack_receipts", "auto_extend_lease", "extend_receipts", "extension", "flow_control", "max_lease_extension", "nack_delay", "nack_reason", "nack_receipts", "reject_reason", "reject_receipts", "subscription"]
    ACK_RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    AUTO_EXTEND_LEASE_FIELD_NUMBER: _ClassVar[int]
    EXTEND_RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    FLOW_CONTROL_FIELD_NUMBER: _ClassVar[int]
    MAX_LEASE_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    NACK_DELAY_FIELD_NUMBER: _ClassVar[int]
    NACK_REASON_FIELD_NUMBER: _ClassVar[int]
    NACK_RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    REJECT_REASON_FIELD_NUMBER: _ClassVar[int]
    REJECT_RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ack_receipts: _containers.RepeatedScalarFieldContainer[str]
    auto_extend_lease: bool
    extend_receipts: _containers.RepeatedScalarFieldContainer[str]
    extension: _duration_pb2.Duration
    flow_control: FlowControl
    max_lease_extension: _duration_pb2.Duration
    nack_delay: _duration_pb2.Duration
    nack_reason: str
    nack_receipts: _containers.RepeatedScalarFieldContainer[str]
    reject_reason: str
    reject_receipts: _containers.RepeatedScalarFieldContainer[str]
    subscription: str
    def __init__(self, subscription: _Optional[str] = ..., flow_control: _Optional[_Union[FlowControl, _Mapping]] = ..., ack_receipts: _Optional[_Iterable[str]] = ..., nack_receipts: _Optional[_Iterable[str]] = ..., nack_delay: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., extend_receipts: _Optional[_Iterable[str]] = ..., extension: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., reject_receipts: _Optional[_Iterable[str]] = ..., reject_reason: _Optional[str] = ..., nack_reason: _Optional[str] = ..., auto_extend_lease: bool = ..., max_lease_extension: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class SubscribeResponse(_message.Message):
    __slots__ = ["deliveries", "invalid_receipts"]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    INVALID_RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Delivery]
    invalid_receipts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, deliveries: _Optional[_Iterable[_Union[_resources_pb2.Delivery, _Mapping]]] = ..., invalid_receipts: _Optional[_Iterable[str]] = ...) -> None: ...
