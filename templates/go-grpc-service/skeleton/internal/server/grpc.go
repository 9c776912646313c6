package server

import (
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	v1 "paved.local/${{ values.name }}/gen/v1"
	"paved.local/${{ values.name }}/internal/store"
)

// NewGRPCServer returns the gRPC server main runs: ${{ values.resourceName }}Service on the
// store, the standard health service (the Deployment's gRPC probes ask it)
// and an otelgrpc span for every call. Stop the health server before
// GracefulStop, so probes fail while calls drain.
func NewGRPCServer(s store.Store, options ...grpc.ServerOption) (*grpc.Server, *health.Server) {
	grpcServer := grpc.NewServer(append([]grpc.ServerOption{grpc.StatsHandler(otelgrpc.NewServerHandler())}, options...)...)
	v1.Register${{ values.resourceName }}ServiceServer(grpcServer, &Server{Store: s})
	healthServer := health.NewServer()
	healthpb.RegisterHealthServer(grpcServer, healthServer)
	return grpcServer, healthServer
}
