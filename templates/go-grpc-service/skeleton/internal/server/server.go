// Package server implements the ${{ values.resourceName }}Service gRPC API.
package server

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	v1 "paved.local/${{ values.name }}/gen/v1"
	"paved.local/${{ values.name }}/internal/store"
)

var tracer = otel.Tracer("paved.local/${{ values.name }}/internal/server")

// Server serves ${{ values.resourceName }}Service from a Store.
type Server struct {
	v1.Unimplemented${{ values.resourceName }}ServiceServer
	Store store.Store
}

func toProto(r store.Record) *v1.${{ values.resourceName }} {
	return &v1.${{ values.resourceName }}{Id: r.ID, Name: r.Name, CreateTimeUnix: r.CreateTime.Unix()}
}

func (s *Server) Get${{ values.resourceName }}(ctx context.Context, req *v1.Get${{ values.resourceName }}Request) (*v1.${{ values.resourceName }}, error) {
	ctx, span := tracer.Start(ctx, "Get${{ values.resourceName }}")
	defer span.End()
	span.SetAttributes(attribute.String("record.id", req.GetId()))
	record, err := s.Store.Get(ctx, req.GetId())
	if errors.Is(err, store.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "${{ values.resourceName }} %q not found", req.GetId())
	}
	if err != nil {
		span.SetStatus(otelcodes.Error, err.Error())
		return nil, status.Error(codes.Internal, "store failed")
	}
	return toProto(record), nil
}

func (s *Server) List${{ values.resourceName }}s(req *v1.List${{ values.resourceName }}sRequest, stream v1.${{ values.resourceName }}Service_List${{ values.resourceName }}sServer) error {
	ctx, span := tracer.Start(stream.Context(), "List${{ values.resourceName }}s")
	defer span.End()
	records, err := s.Store.List(ctx, int(req.GetPageSize()))
	if err != nil {
		span.SetStatus(otelcodes.Error, err.Error())
		return status.Error(codes.Internal, "store failed")
	}
	for _, record := range records {
		if err := stream.Send(toProto(record)); err != nil {
			return err
		}
	}
	span.SetAttributes(attribute.Int("records.sent", len(records)))
	return nil
}

func (s *Server) Create${{ values.resourceName }}(ctx context.Context, req *v1.Create${{ values.resourceName }}Request) (*v1.${{ values.resourceName }}, error) {
	ctx, span := tracer.Start(ctx, "Create${{ values.resourceName }}")
	defer span.End()
	if req.GetName() == "" {
		return nil, status.Error(codes.InvalidArgument, "name is required")
	}
	record, err := s.Store.Create(ctx, req.GetName())
	if err != nil {
		span.SetStatus(otelcodes.Error, err.Error())
		return nil, status.Error(codes.Internal, "store failed")
	}
	return toProto(record), nil
}
