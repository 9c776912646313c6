// Command server runs ${{ values.name }}: gRPC on :${{ values.port }} with OpenTelemetry tracing.
package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"paved.local/${{ values.name }}/internal/server"
	"paved.local/${{ values.name }}/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME come from the Deployment.
	exporter, err := otlptracegrpc.New(ctx)
	if err != nil {
		slog.Error("otlp exporter", "error", err)
		os.Exit(1)
	}
	provider := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
	defer provider.Shutdown(context.Background())
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.TraceContext{})

	listener, err := net.Listen("tcp", ":${{ values.port }}")
	if err != nil {
		slog.Error("listen", "error", err)
		os.Exit(1)
	}
	grpcServer, healthServer := server.NewGRPCServer(store.NewMemory())

	go func() {
		<-ctx.Done()
		healthServer.Shutdown()
		grpcServer.GracefulStop()
	}()
	slog.Info("serving", "port", ${{ values.port }})
	if err := grpcServer.Serve(listener); err != nil {
		slog.Error("serve", "error", err)
		os.Exit(1)
	}
}
