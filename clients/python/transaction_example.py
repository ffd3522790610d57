#!/usr/bin/env python3
"""Consume, transform and produce exactly once from Python: each input message is turned into an
output message, and the output's publish and the input's ack are committed in one transaction.

    /usr/bin/python3 clients/python/transaction_example.py --address 127.0.0.1:50051

Prints one JSON line (inputs, outputs, the input each output came from) and exits 0; exits 1 with a
message on stderr when anything differs from what Relay promises.
"""
import os
import queue
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402

from example import TIMEOUT_S, create_topic_and_subscription, expect, run_example  # noqa: E402
from relay.v1 import admin_pb2, admin_pb2_grpc, publisher_pb2, publisher_pb2_grpc, resources_pb2  # noqa: E402
from relay.v1 import subscriber_pb2, subscriber_pb2_grpc, transaction_pb2, transaction_pb2_grpc  # noqa: E402

COUNT = 3


def take(subscriber, subscription, count):
    """Opens a Subscribe stream and returns its first `count` deliveries, then closes it."""
    requests = queue.Queue()
    requests.put(subscriber_pb2.SubscribeRequest(subscription=subscription))
    stream = subscriber.Subscribe(iter(requests.get, None), timeout=TIMEOUT_S)
    deliveries = []
    for response in stream:
        deliveries.extend(response.deliveries)
        if len(deliveries) >= count:
            break
    stream.cancel()
    expect(len(deliveries) == count, f"received {len(deliveries)} deliveries, expected {count}")
    return deliveries


def run(address):
    run_id = uuid.uuid4().hex
    source, sink = f"orders-{run_id}", f"invoices-{run_id}"
    with grpc.insecure_channel(address) as channel:
        admin = admin_pb2_grpc.AdminServiceStub(channel)
        publisher = publisher_pb2_grpc.PublisherServiceStub(channel)
        subscriber = subscriber_pb2_grpc.SubscriberServiceStub(channel)
        transactions = transaction_pb2_grpc.TransactionServiceStub(channel)
        create_topic_and_subscription(admin, source, f"{source}-billing")
        create_topic_and_subscription(admin, sink, f"{sink}-reader")

        published = publisher.Publish(
            publisher_pb2.PublishRequest(
                topic=source, messages=[resources_pb2.PublishMessage(data=f"order {n}".encode()) for n in range(COUNT)]
            ),
            timeout=TIMEOUT_S,
        )
        inputs = [r.message_id for r in published.results]

        # Each input: its invoice and its ack in one transaction. The transaction id is ours, so a
        # retried Prepare after a lost answer does not stage twice; a retried Commit answers the same ids.
        for delivery in take(subscriber, f"{source}-billing", COUNT):
            transaction_id = f"invoice-{delivery.message.message_id}-{delivery.delivery_attempt}"
            transactions.Prepare(
                transaction_pb2.PrepareRequest(
                    transaction_id=transaction_id,
                    messages=[
                        transaction_pb2.TransactionMessage(
                            topic=sink,
                            data=b"invoice for " + delivery.message.data,
                            attributes={"order": delivery.message.message_id},
                        )
                    ],
                    acks=[transaction_pb2.TransactionAck(subscription=f"{source}-billing", receipt=delivery.receipt)],
                ),
                timeout=TIMEOUT_S,
            )
            first = transactions.Commit(transaction_pb2.CommitRequest(transaction_id=transaction_id), timeout=TIMEOUT_S)
            again = transactions.Commit(transaction_pb2.CommitRequest(transaction_id=transaction_id), timeout=TIMEOUT_S)
            expect(list(first.message_ids) == list(again.message_ids), "a repeated Commit answered other ids")

        outputs = take(subscriber, f"{sink}-reader", COUNT)
        sources = sorted(o.message.attributes["order"] for o in outputs)
        expect(sources == sorted(inputs), f"outputs came from {sources}, inputs were {sorted(inputs)}")
        stats = admin.GetSubscriptionStats(
            admin_pb2.GetSubscriptionStatsRequest(subscription=f"{source}-billing"), timeout=TIMEOUT_S
        )
        expect(stats.backlog == 0 and stats.in_flight == 0, f"inputs not all acked: {stats}")

    return {"inputs": inputs, "outputs": [o.message.message_id for o in outputs], "from": sources}


if __name__ == "__main__":
    run_example(run, __doc__, "transaction example")
