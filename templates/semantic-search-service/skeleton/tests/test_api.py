from fastapi.testclient import TestClient

from app.main import app, get_index


class FakeIndex:
    def __init__(self):
        self.docs = []

    async def ensure_collection(self):
        pass

    async def index(self, documents):
        self.docs.extend(documents)
        return len(documents)

    async def search(self, query, limit):
        return [{"id": d["id"], "text": d["text"], "score": 1.0} for d in self.docs if query in d["text"]][:limit]


def test_index_then_search():
    fake = FakeIndex()
    app.dependency_overrides[get_index] = lambda: fake
    client = TestClient(app)
    assert client.post("/api/documents", json={"documents": [{"id": "a", "text": "vector search"}]}).json() == {"indexed": 1}
    hits = client.post("/api/semantic-search", json={"query": "vector"}).json()
    assert [h["id"] for h in hits] == ["a"]


def test_search_rejects_empty_query():
    app.dependency_overrides[get_index] = lambda: FakeIndex()
    client = TestClient(app)
    assert client.post("/api/semantic-search", json={"query": ""}).status_code == 422
