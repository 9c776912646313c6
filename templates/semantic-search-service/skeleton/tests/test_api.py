"""The API as a client sees it, with Qdrant and the embeddings API faked at
the HTTP boundary.

respx answers the Qdrant client's and the OpenAI client's HTTP calls: a
small in-memory Qdrant (collections, upsert, cosine query) and an embedder
that turns words into vectors. Any other request fails the test, so nothing
leaves the machine.
"""
import hashlib
import json
import math

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from app.main import app
from app.settings import get_settings

QDRANT = "http://qdrant.test:6333"
EMBEDDINGS = "http://embeddings.test/v1"
COLLECTION = "test_docs"
SIZE = 16


def embedding(text: str) -> list[float]:
    """Bag of words: texts sharing words get similar vectors."""
    vector = [0.0] * SIZE
    for word in text.lower().split():
        vector[hashlib.sha256(word.encode()).digest()[0] % SIZE] += 1.0
    return vector


def cosine(a, b):
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return sum(x * y for x, y in zip(a, b)) / norm if norm else 0.0


class FakeUpstreams:
    """In-memory Qdrant REST API and OpenAI-compatible embeddings API."""

    def __init__(self, router: respx.Router):
        self.collections: dict[str, dict] = {}
        self.embedding_requests: list[dict] = []
        ok = lambda result: httpx.Response(200, json={"result": result, "status": "ok", "time": 0.0})
        base = f"{QDRANT}/collections/{COLLECTION}"
        self.exists = router.get(f"{base}/exists").mock(
            side_effect=lambda request: ok({"exists": COLLECTION in self.collections})
        )
        self.create = router.put(base).mock(side_effect=lambda request: self._create(request, ok))
        self.upsert = router.put(f"{base}/points").mock(side_effect=lambda request: self._upsert(request, ok))
        self.query = router.post(f"{base}/points/query").mock(side_effect=lambda request: self._query(request, ok))
        self.embeddings = router.post(f"{EMBEDDINGS}/embeddings").mock(side_effect=self._embed)

    def _create(self, request, ok):
        self.collections[COLLECTION] = {"config": json.loads(request.content), "points": {}}
        return ok(True)

    def _upsert(self, request, ok):
        for point in json.loads(request.content)["points"]:
            self.collections[COLLECTION]["points"][point["id"]] = point
        return ok({"operation_id": 1, "status": "completed"})

    def _query(self, request, ok):
        body = json.loads(request.content)
        query = body["query"]["nearest"]
        points = sorted(
            (
                {"id": p["id"], "version": 1, "score": cosine(query, p["vector"]), "payload": p["payload"]}
                for p in self.collections[COLLECTION]["points"].values()
            ),
            key=lambda p: -p["score"],
        )
        return ok({"points": points[: body["limit"]]})

    def _embed(self, request):
        body = json.loads(request.content)
        self.embedding_requests.append(body)
        data = [{"object": "embedding", "index": i, "embedding": embedding(t)} for i, t in enumerate(body["input"])]
        return httpx.Response(
            200, json={"object": "list", "data": data, "model": body["model"], "usage": {"prompt_tokens": 1, "total_tokens": 1}}
        )


@pytest.fixture
def upstreams(monkeypatch):
    monkeypatch.setenv("SEARCH_QDRANT_URL", QDRANT)
    monkeypatch.setenv("SEARCH_COLLECTION", COLLECTION)
    monkeypatch.setenv("SEARCH_VECTOR_SIZE", str(SIZE))
    monkeypatch.setenv("SEARCH_EMBEDDING_ENDPOINT", EMBEDDINGS)
    monkeypatch.setenv("SEARCH_EMBEDDING_MODEL", "test-embedder")
    monkeypatch.setenv("SEARCH_MAX_RETRIES", "0")
    monkeypatch.setenv("SEARCH_TIMEOUT_SECONDS", "2")
    get_settings.cache_clear()
    with respx.mock(assert_all_called=False) as router:
        yield FakeUpstreams(router)
    get_settings.cache_clear()


@pytest.fixture
def client(upstreams):
    with TestClient(app) as client:
        yield client


DOCS = [
    {"id": "vectors", "text": "qdrant stores vectors for semantic search"},
    {"id": "cooking", "text": "how to cook pasta with tomato sauce"},
    {"id": "deploys", "text": "kubernetes rolls out a new deployment"},
]


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_start_creates_the_collection_with_the_configured_size_and_cosine_distance(client, upstreams):
    assert upstreams.create.call_count == 1
    assert upstreams.collections[COLLECTION]["config"]["vectors"] == {"size": SIZE, "distance": "Cosine"}


def test_start_keeps_an_existing_collection(upstreams):
    upstreams.collections[COLLECTION] = {"config": {}, "points": {}}
    with TestClient(app):
        pass
    assert not upstreams.create.called


def test_index_then_search_finds_the_closest_document_first(client, upstreams):
    response = client.post("/api/documents", json={"documents": DOCS})
    assert response.status_code == 200
    assert response.json() == {"indexed": 3}
    assert len(upstreams.collections[COLLECTION]["points"]) == 3

    response = client.post("/api/semantic-search", json={"query": "semantic search with vectors", "limit": 2})
    assert response.status_code == 200
    hits = response.json()
    assert [h["id"] for h in hits][:1] == ["vectors"]
    assert len(hits) == 2
    assert hits[0]["text"] == DOCS[0]["text"]
    assert hits[0]["score"] > hits[1]["score"]
    # The configured model, floats (every OpenAI-compatible server speaks them).
    assert {r["model"] for r in upstreams.embedding_requests} == {"test-embedder"}
    assert {r["encoding_format"] for r in upstreams.embedding_requests} == {"float"}


def test_reindexing_a_document_replaces_it(client, upstreams):
    client.post("/api/documents", json={"documents": [{"id": "a", "text": "first version"}]})
    client.post("/api/documents", json={"documents": [{"id": "a", "text": "second version"}]})
    points = upstreams.collections[COLLECTION]["points"]
    assert [p["payload"]["text"] for p in points.values()] == ["second version"]


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/semantic-search", {"query": ""}),
        ("/api/semantic-search", {"query": "x", "limit": 0}),
        ("/api/semantic-search", {"query": "x", "limit": 51}),
        ("/api/documents", {"documents": []}),
        ("/api/documents", {"documents": [{"id": "", "text": "x"}]}),
        ("/api/documents", {"documents": [{"id": "a"}]}),
    ],
)
def test_invalid_requests_are_422_without_upstream_calls(client, upstreams, path, body):
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert not upstreams.embeddings.called
    assert not upstreams.upsert.called and not upstreams.query.called


def test_an_embeddings_error_is_502(client, upstreams):
    upstreams.embeddings.side_effect = None
    upstreams.embeddings.return_value = httpx.Response(500, json={"error": {"message": "boom"}})
    response = client.post("/api/semantic-search", json={"query": "anything"})
    assert response.status_code == 502
    assert response.json() == {"detail": "embeddings request failed"}


def test_an_embeddings_timeout_is_504(client, upstreams):
    upstreams.embeddings.side_effect = httpx.ReadTimeout("timed out")
    response = client.post("/api/documents", json={"documents": DOCS[:1]})
    assert response.status_code == 504
    assert response.json() == {"detail": "embeddings timed out"}


def test_a_qdrant_error_is_502(client, upstreams):
    upstreams.query.side_effect = None
    upstreams.query.return_value = httpx.Response(500, json={"status": {"error": "boom"}, "time": 0.0})
    response = client.post("/api/semantic-search", json={"query": "anything"})
    assert response.status_code == 502
    assert response.json() == {"detail": "qdrant request failed"}


def test_an_unreachable_qdrant_is_502(client, upstreams):
    upstreams.upsert.side_effect = httpx.ConnectError("connection refused")
    response = client.post("/api/documents", json={"documents": DOCS[:1]})
    assert response.status_code == 502
    assert response.json() == {"detail": "qdrant request failed"}


def test_a_qdrant_timeout_is_504(client, upstreams):
    upstreams.query.side_effect = httpx.ReadTimeout("timed out")
    response = client.post("/api/semantic-search", json={"query": "anything"})
    assert response.status_code == 504
    assert response.json() == {"detail": "qdrant timed out"}
