// Command nack-redelivery shows a nack and the redelivery it asks for: the message comes back on
// the same stream after the subscription's retry backoff, at attempt 2 and with reason NACK, and is
// acked then; InspectMessage tells the story.
//
//	clients/go/go.sh run ./examples/nack-redelivery --addr 127.0.0.1:50051
//
// Prints one JSON line (message id, attempts, reasons, the state while redelivered and after the
// ack) and exits 0; exits 1 with the reason on stderr when anything differs from what Relay promises.
package main

import (
	"context"

	"google.golang.org/protobuf/types/known/durationpb"

	"relay/clients/go/internal/example"
	relayv1 "relay/clients/go/relay/v1"
)

func main() {
	example.Run("nack-redelivery", run)
}

const nackReason = "the warehouse is not ready yet"

func run(ctx context.Context, relay example.Clients) (interface{}, error) {
	topic := example.FreshName("example")
	subscription := topic + "-sub"
	// A nack without a delay waits the retry policy's backoff: 100 ms, doubling per attempt up to 2 s.
	settings := &relayv1.Subscription{RetryPolicy: &relayv1.RetryPolicy{
		MinimumBackoff: durationpb.New(100e6),
		MaximumBackoff: durationpb.New(2e9),
	}}
	if err := example.CreateTopicAndSubscription(ctx, relay.Admin, topic, subscription, settings); err != nil {
		return nil, err
	}
	published, err := relay.Publisher.Publish(ctx, &relayv1.PublishRequest{Topic: topic, Messages: []*relayv1.PublishMessage{
		{Data: []byte("ship order 7"), IdempotencyKey: topic + "-order-7"},
	}})
	if err != nil {
		return nil, err
	}
	id := published.Results[0].MessageId

	stream, err := example.Subscribe(ctx, relay.Subscriber, subscription, 10)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	first, err := stream.Next()
	if err != nil {
		return nil, err
	}
	// Not now: nack on the stream, with a reason InspectMessage shows.
	if err := stream.Send(&relayv1.SubscribeRequest{NackReceipts: []string{first.Receipt}, NackReason: nackReason}); err != nil {
		return nil, err
	}
	second, err := stream.Next()
	if err != nil {
		return nil, err
	}
	if first.Message.MessageId != id || second.Message.MessageId != id {
		return nil, example.Mismatch("deliveries of %s and %s, published %s", first.Message.MessageId, second.Message.MessageId, id)
	}
	// While redelivered, InspectMessage shows the attempts and the nack's reason.
	during, err := inspect(ctx, relay.Admin, topic, id)
	if err != nil {
		return nil, err
	}
	acked, err := relay.Subscriber.Ack(ctx, &relayv1.AckRequest{Subscription: subscription, Receipts: []string{second.Receipt}})
	if err != nil {
		return nil, err
	}
	if acked.Results[0] != relayv1.SettlementResult_SETTLEMENT_RESULT_OK {
		return nil, example.Mismatch("Ack of the redelivery answered %s", acked.Results[0])
	}
	after, err := inspect(ctx, relay.Admin, topic, id)
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{
		"message_id": id,
		"attempts":   []int32{first.DeliveryAttempt, second.DeliveryAttempt},
		"reasons":    []string{first.Reason.String(), second.Reason.String()},
		"redelivered": map[string]interface{}{
			"state": during.State.String(), "delivery_attempts": during.DeliveryAttempts, "last_error": during.LastError,
		},
		"state": after.State.String(),
	}, nil
}

// inspect is the message's state in its topic's one subscription.
func inspect(ctx context.Context, admin relayv1.AdminServiceClient, topic, id string) (*relayv1.SubscriptionMessageState, error) {
	inspected, err := admin.InspectMessage(ctx, &relayv1.InspectMessageRequest{Topic: topic, MessageId: id})
	if err != nil {
		return nil, err
	}
	if len(inspected.States) != 1 {
		return nil, example.Mismatch("InspectMessage answered %d subscription states, not 1", len(inspected.States))
	}
	return inspected.States[0], nil
}
