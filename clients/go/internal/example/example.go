// Package example is what the Go examples and the interop agent share: the examples' command line
// and connection, fresh names, a Subscribe stream that hands out deliveries one at a time, and status
// names as gRPC spells them.
package example

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	relayv1 "relay/clients/go/relay/v1"
)

// Every example finishes within this, or fails with DEADLINE_EXCEEDED.
const timeout = 30 * time.Second

// Clients are the generated clients of every service, on one connection.
type Clients struct {
	Admin        relayv1.AdminServiceClient
	Publisher    relayv1.PublisherServiceClient
	Subscriber   relayv1.SubscriberServiceClient
	Transactions relayv1.TransactionServiceClient
}

// Run parses --addr, connects, calls run and prints its result as one JSON line. It exits 1 with
// "NAME failed: ..." on stderr when run fails: with the status name for a gRPC error.
func Run(name string, run func(ctx context.Context, relay Clients) (interface{}, error)) {
	addr := flag.String("addr", "127.0.0.1:50051", "the gateway, host:port (plaintext)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	result, err := connectAndRun(ctx, *addr, run)
	if err == nil {
		err = json.NewEncoder(os.Stdout).Encode(result)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s failed: %s\n", name, Describe(err))
		os.Exit(1)
	}
}

func connectAndRun(ctx context.Context, addr string, run func(ctx context.Context, relay Clients) (interface{}, error)) (interface{}, error) {
	conn, err := grpc.DialContext(ctx, addr, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		return nil, fmt.Errorf("cannot connect to %s: %w", addr, err)
	}
	defer conn.Close()
	return run(ctx, Clients{
		Admin:        relayv1.NewAdminServiceClient(conn),
		Publisher:    relayv1.NewPublisherServiceClient(conn),
		Subscriber:   relayv1.NewSubscriberServiceClient(conn),
		Transactions: relayv1.NewTransactionServiceClient(conn),
	})
}

// Mismatch is the error of an example that saw something other than what Relay promises.
func Mismatch(format string, args ...interface{}) error {
	return fmt.Errorf(format, args...)
}

// FreshName is prefix and a random suffix: each run works on topics of its own.
func FreshName(prefix string) string {
	suffix := make([]byte, 16)
	if _, err := rand.Read(suffix); err != nil {
		panic(err)
	}
	return prefix + "-" + hex.EncodeToString(suffix)
}

// CreateTopicAndSubscription creates topic and, reading it from its start, subscription; settings
// fill in the rest of the subscription (nil for the defaults).
func CreateTopicAndSubscription(ctx context.Context, admin relayv1.AdminServiceClient, topic, subscription string, settings *relayv1.Subscription) error {
	if _, err := admin.CreateTopic(ctx, &relayv1.CreateTopicRequest{Topic: &relayv1.Topic{Name: topic}}); err != nil {
		return err
	}
	if settings == nil {
		settings = &relayv1.Subscription{}
	}
	settings.Name, settings.Topic, settings.StartPosition = subscription, topic, relayv1.StartPosition_START_POSITION_EARLIEST
	_, err := admin.CreateSubscription(ctx, &relayv1.CreateSubscriptionRequest{Subscription: settings})
	return err
}

// Stream is an open Subscribe stream.
type Stream struct {
	relayv1.SubscriberService_SubscribeClient
	cancel  context.CancelFunc
	pending []*relayv1.Delivery
}

// Subscribe opens a Subscribe stream on subscription with the given first request's flow control.
func Subscribe(ctx context.Context, subscriber relayv1.SubscriberServiceClient, subscription string, maxOutstanding int64) (*Stream, error) {
	ctx, cancel := context.WithCancel(ctx)
	stream, err := subscriber.Subscribe(ctx)
	if err == nil {
		err = stream.Send(&relayv1.SubscribeRequest{
			Subscription: subscription,
			FlowControl:  &relayv1.FlowControl{MaxOutstandingMessages: &maxOutstanding},
		})
	}
	if err != nil {
		cancel()
		return nil, err
	}
	return &Stream{SubscriberService_SubscribeClient: stream, cancel: cancel}, nil
}

// Next returns the next delivery; a response may carry several.
func (s *Stream) Next() (*relayv1.Delivery, error) {
	for len(s.pending) == 0 {
		response, err := s.Recv()
		if err != nil {
			return nil, err
		}
		if len(response.InvalidReceipts) > 0 {
			return nil, Mismatch("the stream reported invalid receipts %v", response.InvalidReceipts)
		}
		s.pending = response.Deliveries
	}
	delivery := s.pending[0]
	s.pending = s.pending[1:]
	return delivery, nil
}

// Take returns the next n deliveries.
func (s *Stream) Take(n int) ([]*relayv1.Delivery, error) {
	deliveries := make([]*relayv1.Delivery, 0, n)
	for len(deliveries) < n {
		delivery, err := s.Next()
		if err != nil {
			return nil, err
		}
		deliveries = append(deliveries, delivery)
	}
	return deliveries, nil
}

// Close cancels the stream; the gateway releases what it still holds unsettled for redelivery.
func (s *Stream) Close() { s.cancel() }

// Settled checks that subscription holds nothing: no backlog, nothing in flight.
func Settled(ctx context.Context, admin relayv1.AdminServiceClient, subscription string) error {
	stats, err := admin.GetSubscriptionStats(ctx, &relayv1.GetSubscriptionStatsRequest{Subscription: subscription})
	if err != nil {
		return err
	}
	if stats.Backlog != 0 || stats.InFlight != 0 {
		return Mismatch("%s still holds messages: backlog %d, in flight %d", subscription, stats.Backlog, stats.InFlight)
	}
	return nil
}

// Status code names as gRPC spells them (codes.Code's String is CamelCase).
var codeNames = [...]string{
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
	"PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
	"UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
}

// Describe is "STATUS_NAME: message" for a gRPC error or an expired context, the error's text otherwise.
func Describe(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		err = status.Error(codes.DeadlineExceeded, err.Error())
	}
	s, ok := status.FromError(err)
	if !ok {
		return err.Error()
	}
	name := s.Code().String()
	if int(s.Code()) < len(codeNames) {
		name = codeNames[s.Code()]
	}
	return name + ": " + s.Message()
}
