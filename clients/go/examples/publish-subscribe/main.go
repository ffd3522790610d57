// Command publish-subscribe is Relay from Go with the generated stubs: create a topic and a
// subscription, publish with idempotency keys (a repeat is answered as a duplicate), receive on a
// Subscribe stream and ack.
//
//	clients/go/go.sh run ./examples/publish-subscribe --addr 127.0.0.1:50051
//
// Prints one JSON line (topic, subscription, published ids, received ids, attempts) and exits 0;
// exits 1 with the reason on stderr when anything differs from what Relay promises.
package main

import (
	"bytes"
	"context"
	"fmt"
	"reflect"

	"relay/clients/go/internal/example"
	relayv1 "relay/clients/go/relay/v1"
)

func main() {
	example.Run("publish-subscribe", run)
}

func run(ctx context.Context, relay example.Clients) (interface{}, error) {
	topic := example.FreshName("example")
	subscription := topic + "-sub"
	if err := example.CreateTopicAndSubscription(ctx, relay.Admin, topic, subscription, nil); err != nil {
		return nil, err
	}

	// An idempotency key per message: a publisher that retries after a lost answer stores nothing twice.
	var messages []*relayv1.PublishMessage
	for n := 1; n <= 3; n++ {
		messages = append(messages, &relayv1.PublishMessage{
			Data:           []byte(fmt.Sprintf("order %d", n)),
			Attributes:     map[string]string{"example": topic, "n": fmt.Sprint(n)},
			IdempotencyKey: fmt.Sprintf("%s-%d", topic, n),
		})
	}
	published, err := relay.Publisher.Publish(ctx, &relayv1.PublishRequest{Topic: topic, Messages: messages})
	if err != nil {
		return nil, err
	}
	ids := []string{}
	sent := map[string]*relayv1.PublishMessage{}
	for i, result := range published.Results {
		if result.Duplicate {
			return nil, example.Mismatch("a first publish was reported as a duplicate")
		}
		ids = append(ids, result.MessageId)
		sent[result.MessageId] = messages[i]
	}
	if len(sent) != len(messages) {
		return nil, example.Mismatch("expected %d distinct message ids, got %v", len(messages), ids)
	}

	// The same key and content again: the original id, flagged duplicate, nothing stored.
	repeat, err := relay.Publisher.Publish(ctx, &relayv1.PublishRequest{Topic: topic, Messages: messages[:1]})
	if err != nil {
		return nil, err
	}
	if r := repeat.Results[0]; !r.Duplicate || r.MessageId != ids[0] {
		return nil, example.Mismatch("the repeat answered %s (duplicate %v), not %s as a duplicate", r.MessageId, r.Duplicate, ids[0])
	}

	stream, err := example.Subscribe(ctx, relay.Subscriber, subscription, 100)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	deliveries, err := stream.Take(len(messages))
	if err != nil {
		return nil, err
	}
	received, attempts, receipts := []string{}, []int32{}, []string{}
	for _, d := range deliveries {
		want, ok := sent[d.Message.MessageId]
		switch {
		case !ok:
			return nil, example.Mismatch("received %s, which was not published", d.Message.MessageId)
		case !bytes.Equal(d.Message.Data, want.Data) || !reflect.DeepEqual(d.Message.Attributes, want.Attributes):
			return nil, example.Mismatch("%s arrived as %q %v, not %q %v", d.Message.MessageId, d.Message.Data, d.Message.Attributes, want.Data, want.Attributes)
		}
		received = append(received, d.Message.MessageId)
		attempts = append(attempts, d.DeliveryAttempt)
		receipts = append(receipts, d.Receipt)
	}

	// Ack on the stream (no answer unless a receipt is stale)...
	if err := stream.Send(&relayv1.SubscribeRequest{AckReceipts: receipts}); err != nil {
		return nil, err
	}
	// ... and once more with the unary Ack, which answers per receipt: settling twice is OK.
	acked, err := relay.Subscriber.Ack(ctx, &relayv1.AckRequest{Subscription: subscription, Receipts: receipts})
	if err != nil {
		return nil, err
	}
	for i, result := range acked.Results {
		if result != relayv1.SettlementResult_SETTLEMENT_RESULT_OK {
			return nil, example.Mismatch("Ack of %s answered %s", received[i], result)
		}
	}
	stream.Close()
	if err := example.Settled(ctx, relay.Admin, subscription); err != nil {
		return nil, err
	}
	return map[string]interface{}{
		"topic": topic, "subscription": subscription, "published": ids, "received": received, "attempts": attempts,
	}, nil
}
