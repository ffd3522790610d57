// Command transaction is consume, transform and produce exactly once from Go: each input message
// is turned into an output message, and the output's publish and the input's ack are committed in
// one transaction.
//
//	clients/go/go.sh run ./examples/transaction --addr 127.0.0.1:50051
//
// Prints one JSON line (inputs, outputs, the input each output came from) and exits 0; exits 1
// with the reason on stderr when anything differs from what Relay promises.
package main

import (
	"context"
	"fmt"
	"reflect"
	"sort"

	"relay/clients/go/internal/example"
	relayv1 "relay/clients/go/relay/v1"
)

func main() {
	example.Run("transaction", run)
}

const count = 3

func run(ctx context.Context, relay example.Clients) (interface{}, error) {
	source, sink := example.FreshName("orders"), example.FreshName("invoices")
	billing, reader := source+"-billing", sink+"-reader"
	if err := example.CreateTopicAndSubscription(ctx, relay.Admin, source, billing, nil); err != nil {
		return nil, err
	}
	if err := example.CreateTopicAndSubscription(ctx, relay.Admin, sink, reader, nil); err != nil {
		return nil, err
	}
	var orders []*relayv1.PublishMessage
	for n := 0; n < count; n++ {
		orders = append(orders, &relayv1.PublishMessage{Data: []byte(fmt.Sprintf("order %d", n))})
	}
	published, err := relay.Publisher.Publish(ctx, &relayv1.PublishRequest{Topic: source, Messages: orders})
	if err != nil {
		return nil, err
	}
	inputs := []string{}
	for _, r := range published.Results {
		inputs = append(inputs, r.MessageId)
	}

	stream, err := example.Subscribe(ctx, relay.Subscriber, billing, count)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	deliveries, err := stream.Take(count)
	if err != nil {
		return nil, err
	}
	for _, d := range deliveries {
		// Each input: its invoice and its ack in one transaction. The transaction id is ours, so a
		// retried Prepare after a lost answer does not stage twice; a retried Commit answers the same ids.
		id := fmt.Sprintf("invoice-%s-%d", d.Message.MessageId, d.DeliveryAttempt)
		if _, err := relay.Transactions.Prepare(ctx, &relayv1.PrepareRequest{
			TransactionId: id,
			Messages: []*relayv1.TransactionMessage{{
				Topic:      sink,
				Data:       append([]byte("invoice for "), d.Message.Data...),
				Attributes: map[string]string{"order": d.Message.MessageId},
			}},
			Acks: []*relayv1.TransactionAck{{Subscription: billing, Receipt: d.Receipt}},
		}); err != nil {
			return nil, err
		}
		first, err := relay.Transactions.Commit(ctx, &relayv1.CommitRequest{TransactionId: id})
		if err != nil {
			return nil, err
		}
		again, err := relay.Transactions.Commit(ctx, &relayv1.CommitRequest{TransactionId: id})
		if err != nil {
			return nil, err
		}
		if !reflect.DeepEqual(first.MessageIds, again.MessageIds) {
			return nil, example.Mismatch("a repeated Commit answered %v, the first %v", again.MessageIds, first.MessageIds)
		}
	}
	stream.Close()

	invoices, err := example.Subscribe(ctx, relay.Subscriber, reader, count)
	if err != nil {
		return nil, err
	}
	defer invoices.Close()
	outputs, err := invoices.Take(count)
	if err != nil {
		return nil, err
	}
	outputIDs, from := []string{}, []string{}
	for _, o := range outputs {
		outputIDs = append(outputIDs, o.Message.MessageId)
		from = append(from, o.Message.Attributes["order"])
	}
	sort.Strings(from)
	want := append([]string{}, inputs...)
	sort.Strings(want)
	if !reflect.DeepEqual(from, want) {
		return nil, example.Mismatch("outputs came from %v, inputs were %v", from, want)
	}
	if err := example.Settled(ctx, relay.Admin, billing); err != nil {
		return nil, err
	}
	return map[string]interface{}{"inputs": inputs, "outputs": outputIDs, "from": from}, nil
}
