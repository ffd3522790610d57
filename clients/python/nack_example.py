#!/usr/bin/env python3
"""A nack and the redelivery it asks for: the message comes back on the same stream after the
subscription's retry backoff, at attempt 2 and with reason NACK, and is acked then; InspectMessage
tells the story.

    /usr/bin/python3 clients/python/nack_example.py --address 127.0.0.1:50051

Prints one JSON line (message id, attempts, reasons, the state while redelivered and after the ack)
and exits 0; exits 1 with a message on stderr when anything differs from what Relay promises.
"""
import os
import queue
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from google.protobuf.duration_pb2 import Duration  # noqa: E402

import grpc  # noqa: E402

from example import TIMEOUT_S, create_topic_and_subscription, expect, run_example  # noqa: E402
from relay.v1 import admin_pb2, admin_pb2_grpc, publisher_pb2, publisher_pb2_grpc, resources_pb2  # noqa: E402
from relay.v1 import subscriber_pb2, subscriber_pb2_grpc  # noqa: E402

NACK_REASON = "the warehouse is not ready yet"


def inspect(admin, topic, message_id):
    """The message's state in its topic's one subscription."""
    inspected = admin.InspectMessage(admin_pb2.InspectMessageRequest(topic=topic, message_id=message_id), timeout=TIMEOUT_S)
    expect(len(inspected.states) == 1, f"InspectMessage answered {len(inspected.states)} subscription states, not 1")
    return inspected.states[0]


def run(address):
    topic = f"example-{uuid.uuid4().hex}"
    subscription = f"{topic}-sub"
    with grpc.insecure_channel(address) as channel:
        admin = admin_pb2_grpc.AdminServiceStub(channel)
        publisher = publisher_pb2_grpc.PublisherServiceStub(channel)
        subscriber = subscriber_pb2_grpc.SubscriberServiceStub(channel)
        # A nack without a delay waits the retry policy's backoff: 100 ms, doubling per attempt up to 2 s.
        create_topic_and_subscription(
            admin,
            topic,
            subscription,
            retry_policy=resources_pb2.RetryPolicy(
                minimum_backoff=Duration(nanos=100_000_000), maximum_backoff=Duration(seconds=2)
            ),
        )
        published = publisher.Publish(
            publisher_pb2.PublishRequest(
                topic=topic,
                messages=[resources_pb2.PublishMessage(data=b"ship order 7", idempotency_key=f"{topic}-order-7")],
            ),
            timeout=TIMEOUT_S,
        )
        message_id = published.results[0].message_id

        requests = queue.Queue()
        requests.put(subscriber_pb2.SubscribeRequest(subscription=subscription))
        stream = subscriber.Subscribe(iter(requests.get, None), timeout=TIMEOUT_S)
        deliveries = (delivery for response in stream for delivery in response.deliveries)
        try:
            first = next(deliveries)
            # Not now: nack on the stream, with a reason InspectMessage shows.
            requests.put(subscriber_pb2.SubscribeRequest(nack_receipts=[first.receipt], nack_reason=NACK_REASON))
            second = next(deliveries)
            expect(
                first.message.message_id == message_id == second.message.message_id,
                f"deliveries of {first.message.message_id} and {second.message.message_id}, published {message_id}",
            )
            during = inspect(admin, topic, message_id)
            ack = subscriber.Ack(
                subscriber_pb2.AckRequest(subscription=subscription, receipts=[second.receipt]), timeout=TIMEOUT_S
            )
            expect(
                list(ack.results) == [resources_pb2.SETTLEMENT_RESULT_OK],
                f"Ack of the redelivery answered {[resources_pb2.SettlementResult.Name(r) for r in ack.results]}",
            )
        finally:
            stream.cancel()
        after = inspect(admin, topic, message_id)

    return {
        "message_id": message_id,
        "attempts": [first.delivery_attempt, second.delivery_attempt],
        "reasons": [resources_pb2.DeliveryReason.Name(d.reason) for d in (first, second)],
        "redelivered": {
            "state": admin_pb2.MessageState.Name(during.state),
            "delivery_attempts": during.delivery_attempts,
            "last_error": during.last_error,
        },
        "state": admin_pb2.MessageState.Name(after.state),
    }


if __name__ == "__main__":
    run_example(run, __doc__, "nack example")
