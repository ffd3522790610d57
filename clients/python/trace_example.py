#!/usr/bin/env python3
"""A Python subscriber continuing a message's trace, with no OpenTelemetry library (Debian 12 has
none): W3C trace context by hand, spans exported as OTLP/HTTP JSON with the standard library.

    OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 \\
      /usr/bin/python3 clients/python/trace_example.py --address 127.0.0.1:50051

It opens a span of its own ("publisher"), publishes one message with that span's traceparent in the
call metadata, receives the message on a Subscribe stream and processes it in a "process <topic>"
span whose parent is the delivery's traceparent (with tracing on in the gateway, the delivery span),
then acks with the process span's traceparent in the Ack call's metadata. With
OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, both spans are posted there
(service.name from OTEL_SERVICE_NAME, default relay-python-example). Prints one JSON line.
"""
import json
import os
import queue
import re
import secrets
import sys
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402

from example import TIMEOUT_S, close, create_topic_and_subscription, expect, run_example  # noqa: E402
from relay.v1 import admin_pb2_grpc, publisher_pb2, publisher_pb2_grpc, resources_pb2  # noqa: E402
from relay.v1 import subscriber_pb2, subscriber_pb2_grpc  # noqa: E402

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
SPAN_KIND_CONSUMER, SPAN_KIND_PRODUCER = 5, 4


class Span:
    """A finished-when-ended span, as OTLP/JSON wants it."""

    def __init__(self, name, kind, trace_id, parent_span_id="", attributes=None):
        self.name, self.kind = name, kind
        self.trace_id, self.span_id, self.parent_span_id = trace_id, secrets.token_hex(8), parent_span_id
        self.attributes = dict(attributes or {})
        self.start_ns, self.end_ns = time.time_ns(), None

    def traceparent(self):
        return f"00-{self.trace_id}-{self.span_id}-01"

    def end(self):
        self.end_ns = time.time_ns()

    def otlp(self):
        def value(v):
            if isinstance(v, bool):
                return {"boolValue": v}
            if isinstance(v, int):
                return {"intValue": str(v)}
            return {"stringValue": str(v)}

        span = {
            "traceId": self.trace_id,
            "spanId": self.span_id,
            "name": self.name,
            "kind": self.kind,
            "startTimeUnixNano": str(self.start_ns),
            "endTimeUnixNano": str(self.end_ns or time.time_ns()),
            "attributes": [{"key": k, "value": value(v)} for k, v in self.attributes.items()],
        }
        if self.parent_span_id:
            span["parentSpanId"] = self.parent_span_id
        return span


def export(spans):
    """Posts the spans as OTLP/HTTP JSON; answers False when no endpoint is configured."""
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    if not endpoint:
        base = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        if not base:
            return False
        endpoint = base.rstrip("/") + "/v1/traces"
    service = os.environ.get("OTEL_SERVICE_NAME") or "relay-python-example"
    body = {
        "resourceSpans": [
            {
                "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
                "scopeSpans": [{"scope": {"name": "relay-python-trace-example"}, "spans": [s.otlp() for s in spans]}],
            }
        ]
    }
    request = urllib.request.Request(
        endpoint, data=json.dumps(body).encode(), headers={"content-type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        expect(response.status == 200, f"the OTLP endpoint answered {response.status}")
    return True


def run(address):
    run_id = uuid.uuid4().hex
    topic, subscription = f"trace-example-{run_id}", f"trace-example-{run_id}-sub"
    with grpc.insecure_channel(address) as channel:
        admin = admin_pb2_grpc.AdminServiceStub(channel)
        publisher = publisher_pb2_grpc.PublisherServiceStub(channel)
        subscriber = subscriber_pb2_grpc.SubscriberServiceStub(channel)
        create_topic_and_subscription(admin, topic, subscription)

        # The publisher's own span, carried to the gateway in the Publish call's metadata.
        publisher_span = Span("publisher", SPAN_KIND_PRODUCER, secrets.token_hex(16), attributes={"example": run_id})
        results = publisher.Publish(
            publisher_pb2.PublishRequest(topic=topic, messages=[resources_pb2.PublishMessage(data=b"traced order")]),
            metadata=[("traceparent", publisher_span.traceparent())],
            timeout=TIMEOUT_S,
        ).results
        publisher_span.end()
        expect(len(results) == 1, f"Publish answered {len(results)} results")

        requests = queue.Queue()
        requests.put(subscriber_pb2.SubscribeRequest(subscription=subscription))
        stream = subscriber.Subscribe(iter(requests.get, None), timeout=TIMEOUT_S)
        delivery = next(d for response in stream for d in response.deliveries)
        delivered = delivery.message.traceparent
        match = TRACEPARENT.match(delivered)
        expect(match is not None, f"the delivery carries no valid traceparent: {delivered!r}")
        expect(match.group(1) == publisher_span.trace_id, f"the delivery is in trace {match.group(1)}, not the publisher's")

        # Processing continues the trace: a child of the delivery's context, whatever span that is.
        process = Span(
            f"process {topic}",
            SPAN_KIND_CONSUMER,
            match.group(1),
            match.group(2),
            {
                "messaging.system": "relay",
                "messaging.operation.type": "process",
                "messaging.operation.name": "process",
                "messaging.destination.name": topic,
                "messaging.consumer.group.name": subscription,
                "messaging.message.id": delivery.message.message_id,
                "messaging.relay.delivery.attempt": delivery.delivery_attempt,
            },
        )
        ack = subscriber.Ack(
            subscriber_pb2.AckRequest(subscription=subscription, receipts=[delivery.receipt]),
            metadata=[("traceparent", process.traceparent())],
            timeout=TIMEOUT_S,
        )
        process.end()
        expect(list(ack.results) == [resources_pb2.SETTLEMENT_RESULT_OK], "the Ack was not OK")
        close(requests, stream)

    exported = export([publisher_span, process])
    return {
        "topic": topic,
        "subscription": subscription,
        "message_id": results[0].message_id,
        "trace_id": publisher_span.trace_id,
        "publisher_span_id": publisher_span.span_id,
        "delivered_traceparent": delivered,
        "process_span_id": process.span_id,
        "process_parent_span_id": process.parent_span_id,
        "exported": exported,
    }


if __name__ == "__main__":
    run_example(run, __doc__, "trace example")
