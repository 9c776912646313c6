package server

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	v1 "paved.local/${{ values.name }}/gen/v1"
	"paved.local/${{ values.name }}/internal/store"
)

// Every test talks gRPC to the server main runs (NewGRPCServer), over an
// in-memory listener: generated stubs, status codes, streaming and the
// health service as a client sees them.

// One span recorder for the package: the tracers are package variables
// that delegate to the global provider set before the first span.
var spans = tracetest.NewSpanRecorder()

func init() {
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)))
}

type fixture struct {
	client v1.${{ values.resourceName }}ServiceClient
	health healthpb.HealthClient
}

func start(t *testing.T, s store.Store) fixture {
	t.Helper()
	listener := bufconn.Listen(1 << 20)
	grpcServer, _ := NewGRPCServer(s)
	go func() { _ = grpcServer.Serve(listener) }()
	t.Cleanup(grpcServer.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return listener.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return fixture{client: v1.New${{ values.resourceName }}ServiceClient(conn), health: healthpb.NewHealthClient(conn)}
}

func TestCreateThenGet(t *testing.T) {
	f := start(t, store.NewMemory())
	ctx := context.Background()
	created, err := f.client.Create${{ values.resourceName }}(ctx, &v1.Create${{ values.resourceName }}Request{Name: "first"})
	if err != nil {
		t.Fatal(err)
	}
	if created.GetId() == "" || created.GetName() != "first" || created.GetCreateTimeUnix() == 0 {
		t.Fatalf("created %v", created)
	}
	got, err := f.client.Get${{ values.resourceName }}(ctx, &v1.Get${{ values.resourceName }}Request{Id: created.GetId()})
	if err != nil || got.GetName() != "first" || got.GetId() != created.GetId() {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestGetUnknownIsNotFound(t *testing.T) {
	f := start(t, store.NewMemory())
	_, err := f.client.Get${{ values.resourceName }}(context.Background(), &v1.Get${{ values.resourceName }}Request{Id: "nope"})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("want NotFound, got %v", err)
	}
}

func TestCreateWithoutNameIsInvalid(t *testing.T) {
	f := start(t, store.NewMemory())
	_, err := f.client.Create${{ values.resourceName }}(context.Background(), &v1.Create${{ values.resourceName }}Request{})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("want InvalidArgument, got %v", err)
	}
}

func list(t *testing.T, f fixture, pageSize int32) []string {
	t.Helper()
	stream, err := f.client.List${{ values.resourceName }}s(context.Background(), &v1.List${{ values.resourceName }}sRequest{PageSize: pageSize})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for {
		item, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, item.GetName())
	}
}

func TestListStreamsOldestFirstUpToPageSize(t *testing.T) {
	f := start(t, store.NewMemory())
	for _, name := range []string{"a", "b", "c"} {
		if _, err := f.client.Create${{ values.resourceName }}(context.Background(), &v1.Create${{ values.resourceName }}Request{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	if got := list(t, f, 0); len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "c" {
		t.Fatalf("list without page size: %v", got)
	}
	if got := list(t, f, 2); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("list with page size 2: %v", got)
	}
}

// failingStore fails every call, as a database that went away.
type failingStore struct{}

var errDown = errors.New("connection refused")

func (failingStore) Get(context.Context, string) (store.Record, error) {
	return store.Record{}, errDown
}

func (failingStore) List(context.Context, int) ([]store.Record, error) {
	return nil, errDown
}

func (failingStore) Create(context.Context, string) (store.Record, error) {
	return store.Record{}, errDown
}

func TestStoreFailuresAreInternalWithoutDetails(t *testing.T) {
	f := start(t, failingStore{})
	_, err := f.client.Get${{ values.resourceName }}(context.Background(), &v1.Get${{ values.resourceName }}Request{Id: "1"})
	if status.Code(err) != codes.Internal || status.Convert(err).Message() != "store failed" {
		t.Fatalf("want Internal \"store failed\", got %v", err)
	}
	stream, err := f.client.List${{ values.resourceName }}s(context.Background(), &v1.List${{ values.resourceName }}sRequest{})
	if err == nil {
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.Internal {
		t.Fatalf("list: want Internal, got %v", err)
	}
}

func TestHealthServiceServes(t *testing.T) {
	f := start(t, store.NewMemory())
	response, err := f.health.Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || response.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v, %v", response, err)
	}
}

func TestCallsAreTracedFromHandlerToStore(t *testing.T) {
	f := start(t, store.NewMemory())
	before := len(spans.Ended())
	if _, err := f.client.Create${{ values.resourceName }}(context.Background(), &v1.Create${{ values.resourceName }}Request{Name: "traced"}); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, span := range spans.Ended()[before:] {
		names[span.Name()] = true
	}
	for _, want := range []string{
		"${{ values.name | replace("-", "") }}.v1.${{ values.resourceName }}Service/Create${{ values.resourceName }}", // otelgrpc server span
		"Create${{ values.resourceName }}",
		"store.Create",
	} {
		if !names[want] {
			t.Errorf("no span %q among %v", want, names)
		}
	}
}
