#!/usr/bin/env python3
"""The Python interop agent of test/clients/interop.test.ts, which runs the same three commands of
every client language against one gateway and compares what they read.

    interop.py publish  --addr HOST:PORT --topic T --input FILE
    interop.py consume  --addr HOST:PORT --subscription S --count N
    interop.py transact --addr HOST:PORT --subscription S --topic OUT --lang NAME

Each prints one JSON document on stdout and exits 0, or exits 1 with the gRPC status name and
message on stderr. Bytes are base64 (standard alphabet, padded) in JSON.
"""
import argparse
import base64
import json
import os
import queue
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402

from relay.v1 import publisher_pb2, publisher_pb2_grpc, resources_pb2, subscriber_pb2  # noqa: E402
from relay.v1 import subscriber_pb2_grpc, transaction_pb2, transaction_pb2_grpc  # noqa: E402

# Every command finishes within this, or fails with DEADLINE_EXCEEDED.
COMMAND_TIMEOUT_S = 60.0


def publish(channel, args):
    """Sends every message of the input file in one Publish call, in order."""
    with open(args.input, encoding="utf-8") as file:
        messages = json.load(file)["messages"]
    response = publisher_pb2_grpc.PublisherServiceStub(channel).Publish(
        publisher_pb2.PublishRequest(
            topic=args.topic,
            messages=[
                resources_pb2.PublishMessage(
                    data=base64.b64decode(m.get("data") or ""),
                    attributes=m.get("attributes") or {},
                    idempotency_key=m.get("idempotency_key") or "",
                )
                for m in messages
            ],
        ),
        timeout=COMMAND_TIMEOUT_S,
    )
    return {"message_ids": [r.message_id for r in response.results]}


def open_stream(subscriber, subscription, max_outstanding):
    """Starts a Subscribe stream; returns the queue feeding its requests and the stream."""
    requests = queue.Queue()
    requests.put(
        subscriber_pb2.SubscribeRequest(
            subscription=subscription,
            flow_control=subscriber_pb2.FlowControl(max_outstanding_messages=max_outstanding),
        )
    )
    return requests, subscriber.Subscribe(iter(requests.get, None), timeout=COMMAND_TIMEOUT_S)


def consume(channel, args):
    """Nacks every first delivery on the stream and acks every later one with the unary Ack, until
    `count` distinct messages are acked."""
    subscriber = subscriber_pb2_grpc.SubscriberServiceStub(channel)
    requests, stream = open_stream(subscriber, args.subscription, 100)
    acked, seen = [], set()
    try:
        for response in stream if args.count > 0 else ():
            for delivery in response.deliveries:
                if delivery.delivery_attempt == 1:
                    # No nack_delay: redelivered after the subscription's retry backoff.
                    requests.put(subscriber_pb2.SubscribeRequest(nack_receipts=[delivery.receipt]))
                    continue
                answer = subscriber.Ack(
                    subscriber_pb2.AckRequest(subscription=args.subscription, receipts=[delivery.receipt]),
                    timeout=COMMAND_TIMEOUT_S,
                )
                message = delivery.message
                # A superseded receipt settled nothing: the message comes again.
                if answer.results[0] != resources_pb2.SETTLEMENT_RESULT_OK or message.message_id in seen:
                    continue
                seen.add(message.message_id)
                acked.append(
                    {
                        "message_id": message.message_id,
                        "data": base64.b64encode(message.data).decode("ascii"),
                        "attributes": dict(message.attributes),
                        "delivery_attempt": delivery.delivery_attempt,
                    }
                )
            if len(acked) >= args.count:
                break
    finally:
        stream.cancel()
    return {"messages": acked}


def transact(channel, args):
    """Turns one delivery of the subscription into one message on the topic, tagged transformed_by,
    and commits the output's publish with the input's ack."""
    _, stream = open_stream(subscriber_pb2_grpc.SubscriberServiceStub(channel), args.subscription, 1)
    try:
        delivery = next(d for response in stream for d in response.deliveries)
        transactions = transaction_pb2_grpc.TransactionServiceStub(channel)
        prepared = transactions.Prepare(
            transaction_pb2.PrepareRequest(
                messages=[
                    transaction_pb2.TransactionMessage(
                        topic=args.topic,
                        data=delivery.message.data,
                        attributes={**delivery.message.attributes, "transformed_by": args.lang},
                    )
                ],
                acks=[transaction_pb2.TransactionAck(subscription=args.subscription, receipt=delivery.receipt)],
            ),
            timeout=COMMAND_TIMEOUT_S,
        )
        committed = transactions.Commit(
            transaction_pb2.CommitRequest(transaction_id=prepared.transaction_id), timeout=COMMAND_TIMEOUT_S
        )
    finally:
        stream.cancel()  # once the input is acked by the commit
    return {"input_id": delivery.message.message_id, "output_ids": list(committed.message_ids)}


COMMANDS = {"publish": publish, "consume": consume, "transact": transact}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--addr", default="127.0.0.1:50051", help="the gateway, host:port (plaintext)")
    parser.add_argument("--topic", help="publish: the topic; transact: the output topic")
    parser.add_argument("--input", help="publish: the JSON file of messages")
    parser.add_argument("--subscription", help="consume, transact: the subscription")
    parser.add_argument("--count", type=int, default=0, help="consume: stop after this many distinct messages are acked")
    parser.add_argument("--lang", default="python", help="transact: the value of the transformed_by attribute")
    args = parser.parse_args()
    try:
        with grpc.insecure_channel(args.addr) as channel:
            result = COMMANDS[args.command](channel, args)
    except grpc.RpcError as error:
        sys.exit(f"{error.code().name}: {error.details()}")
    except (OSError, ValueError, KeyError) as error:
        sys.exit(f"INVALID_ARGUMENT: {error}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
