// Command interop is the Go interop agent of test/clients/interop.test.ts, which runs the same
// three commands of every client language against one gateway and compares what they read.
//
//	interop publish  --addr HOST:PORT --topic T --input FILE
//	interop consume  --addr HOST:PORT --subscription S --count N
//	interop transact --addr HOST:PORT --subscription S --topic OUT --lang NAME
//
// Each prints one JSON document on stdout and exits 0, or exits 1 with the gRPC status name and
// message on stderr. Bytes are base64 in JSON (encoding/json's own encoding of []byte).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"relay/clients/go/internal/example"
	relayv1 "relay/clients/go/relay/v1"
)

// Every command finishes within this, or fails with DEADLINE_EXCEEDED.
const commandTimeout = 60 * time.Second

type inputMessage struct {
	Data           []byte            `json:"data"`
	Attributes     map[string]string `json:"attributes"`
	IdempotencyKey string            `json:"idempotency_key"`
}

type consumedMessage struct {
	MessageID       string            `json:"message_id"`
	Data            []byte            `json:"data"`
	Attributes      map[string]string `json:"attributes"`
	DeliveryAttempt int32             `json:"delivery_attempt"`
}

func main() {
	if len(os.Args) < 2 {
		fail(status.Error(codes.InvalidArgument, "usage: interop publish|consume|transact --addr HOST:PORT ..."))
	}
	command, flags := os.Args[1], flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	addr := flags.String("addr", "127.0.0.1:50051", "the gateway, host:port (plaintext)")
	topic := flags.String("topic", "", "publish: the topic; transact: the output topic")
	input := flags.String("input", "", "publish: the JSON file of messages")
	subscription := flags.String("subscription", "", "consume, transact: the subscription")
	count := flags.Int("count", 0, "consume: stop after this many distinct messages are acked")
	lang := flags.String("lang", "go", "transact: the value of the transformed_by attribute")
	flags.Parse(os.Args[2:])

	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	conn, err := grpc.DialContext(ctx, *addr, grpc.WithInsecure())
	if err != nil {
		fail(err)
	}
	defer conn.Close()

	var result interface{}
	switch command {
	case "publish":
		result, err = publish(ctx, relayv1.NewPublisherServiceClient(conn), *topic, *input)
	case "consume":
		result, err = consume(ctx, relayv1.NewSubscriberServiceClient(conn), *subscription, *count)
	case "transact":
		result, err = transact(ctx, conn, *subscription, *topic, *lang)
	default:
		err = status.Errorf(codes.InvalidArgument, "unknown command %q: publish, consume or transact", command)
	}
	if err != nil {
		fail(err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(result); err != nil {
		fail(err)
	}
}

// publish sends every message of the input file in one Publish call, in order.
func publish(ctx context.Context, publisher relayv1.PublisherServiceClient, topic, input string) (interface{}, error) {
	text, err := ioutil.ReadFile(input)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	var file struct {
		Messages []inputMessage `json:"messages"`
	}
	if err := json.Unmarshal(text, &file); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "%s: %v", input, err)
	}
	request := &relayv1.PublishRequest{Topic: topic}
	for _, m := range file.Messages {
		request.Messages = append(request.Messages, &relayv1.PublishMessage{
			Data: m.Data, Attributes: m.Attributes, IdempotencyKey: m.IdempotencyKey,
		})
	}
	response, err := publisher.Publish(ctx, request)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, r := range response.Results {
		ids = append(ids, r.MessageId)
	}
	return map[string][]string{"message_ids": ids}, nil
}

// consume nacks every first delivery on the stream and acks every later one with the unary Ack,
// until count distinct messages are acked.
func consume(ctx context.Context, subscriber relayv1.SubscriberServiceClient, subscription string, count int) (interface{}, error) {
	stream, err := example.Subscribe(ctx, subscriber, subscription, 100)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	acked := []consumedMessage{}
	seen := map[string]bool{}
	for len(acked) < count {
		d, err := stream.Next()
		if err != nil {
			return nil, err
		}
		if d.DeliveryAttempt == 1 {
			// No nack_delay: redelivered after the subscription's retry backoff.
			if err := stream.Send(&relayv1.SubscribeRequest{NackReceipts: []string{d.Receipt}}); err != nil {
				return nil, err
			}
			continue
		}
		answer, err := subscriber.Ack(ctx, &relayv1.AckRequest{Subscription: subscription, Receipts: []string{d.Receipt}})
		if err != nil {
			return nil, err
		}
		// A superseded receipt settled nothing: the message comes again.
		if answer.Results[0] != relayv1.SettlementResult_SETTLEMENT_RESULT_OK || seen[d.Message.MessageId] {
			continue
		}
		seen[d.Message.MessageId] = true
		attributes := map[string]string{} // {} rather than null when there are none
		for k, v := range d.Message.Attributes {
			attributes[k] = v
		}
		acked = append(acked, consumedMessage{
			MessageID:       d.Message.MessageId,
			Data:            append([]byte{}, d.Message.Data...), // "" rather than null when empty
			Attributes:      attributes,
			DeliveryAttempt: d.DeliveryAttempt,
		})
	}
	return map[string][]consumedMessage{"messages": acked}, nil
}

// transact turns one delivery of subscription into one message on topic, tagged transformed_by,
// and commits the output's publish with the input's ack.
func transact(ctx context.Context, conn *grpc.ClientConn, subscription, topic, lang string) (interface{}, error) {
	stream, err := example.Subscribe(ctx, relayv1.NewSubscriberServiceClient(conn), subscription, 1)
	if err != nil {
		return nil, err
	}
	defer stream.Close() // once the commit acked the input
	delivery, err := stream.Next()
	if err != nil {
		return nil, err
	}
	attributes := map[string]string{"transformed_by": lang}
	for k, v := range delivery.Message.Attributes {
		if k != "transformed_by" {
			attributes[k] = v
		}
	}
	transactions := relayv1.NewTransactionServiceClient(conn)
	prepared, err := transactions.Prepare(ctx, &relayv1.PrepareRequest{
		Messages: []*relayv1.TransactionMessage{{Topic: topic, Data: delivery.Message.Data, Attributes: attributes}},
		Acks:     []*relayv1.TransactionAck{{Subscription: subscription, Receipt: delivery.Receipt}},
	})
	if err != nil {
		return nil, err
	}
	committed, err := transactions.Commit(ctx, &relayv1.CommitRequest{TransactionId: prepared.TransactionId})
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"input_id": delivery.Message.MessageId, "output_ids": committed.MessageIds}, nil
}

// fail prints the status name and message on stderr and exits 1.
func fail(err error) {
	fmt.Fprintln(os.Stderr, example.Describe(err))
	os.Exit(1)
}
