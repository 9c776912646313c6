package server

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	v1 "paved.local/${{ values.name }}/gen/v1"
	"paved.local/${{ values.name }}/internal/store"
)

func TestCreateThenGet(t *testing.T) {
	s := &Server{Store: store.NewMemory()}
	created, err := s.Create${{ values.resourceName }}(context.Background(), &v1.Create${{ values.resourceName }}Request{Name: "first"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get${{ values.resourceName }}(context.Background(), &v1.Get${{ values.resourceName }}Request{Id: created.GetId()})
	if err != nil || got.GetName() != "first" {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestGetUnknownIsNotFound(t *testing.T) {
	s := &Server{Store: store.NewMemory()}
	_, err := s.Get${{ values.resourceName }}(context.Background(), &v1.Get${{ values.resourceName }}Request{Id: "nope"})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("want NotFound, got %v", err)
	}
}

func TestCreateWithoutNameIsInvalid(t *testing.T) {
	s := &Server{Store: store.NewMemory()}
	_, err := s.Create${{ values.resourceName }}(context.Background(), &v1.Create${{ values.resourceName }}Request{})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("want InvalidArgument, got %v", err)
	}
}
