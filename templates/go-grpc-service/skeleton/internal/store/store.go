// Package store holds ${{ values.resourceName }} records. Every call is a span, so traces
// show database time next to handler time.
package store

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
)

var tracer = otel.Tracer("paved.local/${{ values.name }}/internal/store")

// ErrNotFound is returned for an unknown id.
var ErrNotFound = errors.New("not found")

// Record is one stored ${{ values.resourceName }}.
type Record struct {
	ID         string
	Name       string
	CreateTime time.Time
	seq        int
}

// Store is the database interface; Memory implements it for tests and local runs.
type Store interface {
	Get(ctx context.Context, id string) (Record, error)
	List(ctx context.Context, limit int) ([]Record, error)
	Create(ctx context.Context, name string) (Record, error)
}

// Memory is an in-memory Store.
type Memory struct {
	mu      sync.Mutex
	records map[string]Record
	next    int
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{records: map[string]Record{}}
}

func (m *Memory) Get(ctx context.Context, id string) (Record, error) {
	_, span := tracer.Start(ctx, "store.Get")
	defer span.End()
	span.SetAttributes(attribute.String("db.operation", "select"), attribute.String("record.id", id))
	m.mu.Lock()
	defer m.mu.Unlock()
	record, ok := m.records[id]
	if !ok {
		return Record{}, ErrNotFound
	}
	return record, nil
}

func (m *Memory) List(ctx context.Context, limit int) ([]Record, error) {
	_, span := tracer.Start(ctx, "store.List")
	defer span.End()
	span.SetAttributes(attribute.String("db.operation", "select"), attribute.Int("limit", limit))
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Record, 0, len(m.records))
	for _, record := range m.records {
		out = append(out, record)
	}
	// Creation order: ids count up (two records can share a timestamp).
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (m *Memory) Create(ctx context.Context, name string) (Record, error) {
	_, span := tracer.Start(ctx, "store.Create")
	defer span.End()
	span.SetAttributes(attribute.String("db.operation", "insert"))
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	record := Record{ID: strconv.Itoa(m.next), Name: name, CreateTime: time.Now(), seq: m.next}
	m.records[record.ID] = record
	return record, nil
}
