from fastapi.testclient import TestClient

from app.main import app, get_analyzer


class FakeAnalyzer:
    async def analyze(self, text: str) -> str:
        return f"analysed {len(text)} characters"


def test_analyze_returns_the_model_answer():
    app.dependency_overrides[get_analyzer] = lambda: FakeAnalyzer()
    client = TestClient(app)
    response = client.post("/api/analyze", json={"text": "hello"})
    assert response.status_code == 200
    assert response.json()["analysis"] == "analysed 5 characters"


def test_analyze_rejects_empty_text():
    client = TestClient(app)
    assert client.post("/api/analyze", json={"text": ""}).status_code == 422
