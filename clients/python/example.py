#!/usr/bin/env python3
"""Relay from Python with the generated stubs: create a topic and a subscription, publish with
idempotency keys, receive on a Subscribe stream, ack on the stream and check a unary Ack.

    /usr/bin/python3 clients/python/example.py --address 127.0.0.1:50051

Prints one JSON line (topic, subscription, published ids, received ids, attempts) and exits 0;
exits 1 with a message on stderr when anything differs from what Relay promises.
"""
import argparse
import json
import os
import queue
import sys
import threading
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402

from relay.v1 import admin_pb2, admin_pb2_grpc, publisher_pb2, publisher_pb2_grpc  # noqa: E402
from relay.v1 import resources_pb2, subscriber_pb2, subscriber_pb2_grpc  # noqa: E402

TIMEOUT_S = 15.0


class Mismatch(Exception):
    """Relay answered something other than what the example expects."""


def expect(condition, message):
    if not condition:
        raise Mismatch(message)


def create_topic_and_subscription(admin, topic, subscription, **settings):
    """Creates topic and a subscription reading it from its start; settings are further Subscription fields."""
    admin.CreateTopic(admin_pb2.CreateTopicRequest(topic=resources_pb2.Topic(name=topic)), timeout=TIMEOUT_S)
    admin.CreateSubscription(
        admin_pb2.CreateSubscriptionRequest(
            subscription=resources_pb2.Subscription(
                name=subscription, topic=topic, start_position=resources_pb2.START_POSITION_EARLIEST, **settings
            )
        ),
        timeout=TIMEOUT_S,
    )


def publish(publisher, topic, messages):
    response = publisher.Publish(publisher_pb2.PublishRequest(topic=topic, messages=messages), timeout=TIMEOUT_S)
    expect(len(response.results) == len(messages), f"Publish answered {len(response.results)} results for {len(messages)} messages")
    return response.results


def receive(subscriber, subscription, count):
    """Opens a Subscribe stream, waits for `count` deliveries and acks them on the stream.

    Returns the deliveries, the queue feeding the stream's requests (put None to half-close it)
    and the stream itself."""
    requests = queue.Queue()
    requests.put(
        subscriber_pb2.SubscribeRequest(
            subscription=subscription, flow_control=subscriber_pb2.FlowControl(max_outstanding_messages=100)
        )
    )
    stream = subscriber.Subscribe(iter(requests.get, None), timeout=TIMEOUT_S)
    deliveries = []
    for response in stream:
        expect(not response.invalid_receipts, f"stream reported invalid receipts: {list(response.invalid_receipts)}")
        deliveries.extend(response.deliveries)
        if len(deliveries) >= count:
            break
    expect(len(deliveries) == count, f"received {len(deliveries)} deliveries, expected {count}")
    requests.put(subscriber_pb2.SubscribeRequest(ack_receipts=[d.receipt for d in deliveries]))
    return deliveries, requests, stream


def close(requests, stream):
    """Half-closes the stream and lets the server end it; cancels it if the server does not."""
    requests.put(None)
    timer = threading.Timer(2.0, stream.cancel)
    timer.start()
    try:
        for response in stream:
            expect(not response.deliveries, f"unexpected redelivery of {[d.message.message_id for d in response.deliveries]}")
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.CANCELLED:
            raise
    finally:
        timer.cancel()


def run(address):
    run_id = uuid.uuid4().hex
    topic, subscription = f"example-{run_id}", f"example-{run_id}-sub"
    with grpc.insecure_channel(address) as channel:
        admin = admin_pb2_grpc.AdminServiceStub(channel)
        publisher = publisher_pb2_grpc.PublisherServiceStub(channel)
        subscriber = subscriber_pb2_grpc.SubscriberServiceStub(channel)

        create_topic_and_subscription(admin, topic, subscription)

        messages = [
            resources_pb2.PublishMessage(
                data=f"order {n}".encode(),
                attributes={"example": run_id, "n": str(n)},
                idempotency_key=f"{run_id}-{n}",
            )
            for n in range(1, 4)
        ]
        results = publish(publisher, topic, messages)
        published = [r.message_id for r in results]
        expect(not any(r.duplicate for r in results), "a first publish was reported as a duplicate")
        expect(len(set(published)) == 3 and all(published), f"expected 3 distinct message ids, got {published}")

        # The same idempotency key and content again: the original id, flagged, nothing stored.
        [repeat] = publish(publisher, topic, [messages[0]])
        expect(repeat.duplicate, "a repeated idempotency key was not reported as a duplicate")
        expect(repeat.message_id == published[0], f"the duplicate answered {repeat.message_id}, not {published[0]}")

        deliveries, requests, stream = receive(subscriber, subscription, len(messages))
        received = [d.message.message_id for d in deliveries]
        expect(sorted(received) == sorted(published), f"received {received}, published {published}")
        sent = dict(zip(published, messages))
        for delivery in deliveries:
            got, want = delivery.message, sent[delivery.message.message_id]
            expect(got.data == want.data, f"message {got.message_id} carries {got.data!r}, not {want.data!r}")
            expect(dict(got.attributes) == dict(want.attributes), f"message {got.message_id} has attributes {dict(got.attributes)}")
            expect(delivery.delivery_attempt == 1, f"message {got.message_id} came on attempt {delivery.delivery_attempt}, not 1")

        # Settling twice with the same receipt is OK and changes nothing.
        ack = subscriber.Ack(
            subscriber_pb2.AckRequest(subscription=subscription, receipts=[deliveries[0].receipt]), timeout=TIMEOUT_S
        )
        expect(
            list(ack.results) == [resources_pb2.SETTLEMENT_RESULT_OK],
            f"Ack of an acked receipt answered {[resources_pb2.SettlementResult.Name(r) for r in ack.results]}",
        )
        close(requests, stream)

    return {
        "topic": topic,
        "subscription": subscription,
        "published": published,
        "received": received,
        "attempts": [d.delivery_attempt for d in deliveries],
    }


def run_example(run, description, name):
    """The command line every example shares: --address, one JSON line of run(address) on stdout,
    or exit 1 with what went wrong."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--address", default="127.0.0.1:50051", help="the gateway, host:port (default %(default)s)")
    args = parser.parse_args()
    try:
        summary = run(args.address)
    except Mismatch as error:
        sys.exit(f"{name} failed: {error}")
    except grpc.RpcError as error:
        sys.exit(f"{name} failed: {error.code().name}: {error.details()}")
    print(json.dumps(summary))


if __name__ == "__main__":
    run_example(run, __doc__, "example")
