"""The API as a client sees it, with the model API faked at the HTTP boundary.

respx answers the OpenAI client's HTTP calls to the configured endpoint;
any other request fails the test, so nothing leaves the machine.
"""
import json

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from app.main import app, get_analyzer
from app.settings import get_settings

ENDPOINT = "http://llm.test/v1"
MODEL = "test-model"


def completion(content):
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": MODEL,
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


@pytest.fixture
def model(monkeypatch):
    """The model API: a respx router for ENDPOINT; settings point the app at it."""
    monkeypatch.setenv("LLM_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("LLM_MODEL", MODEL)
    monkeypatch.setenv("LLM_API_KEY", "test-key")
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "2")
    monkeypatch.setenv("LLM_MAX_INPUT_CHARS", "50")
    get_settings.cache_clear()
    get_analyzer.cache_clear()
    with respx.mock(base_url=ENDPOINT, assert_all_called=False) as router:
        yield router
    get_settings.cache_clear()
    get_analyzer.cache_clear()


@pytest.fixture
def client(model):
    with TestClient(app) as client:
        yield client


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_analyze_asks_the_configured_model_and_returns_its_answer(client, model):
    route = model.post("/chat/completions").respond(json=completion("Positive. Fast delivery."))
    response = client.post("/api/analyze", json={"text": "Arrived a day early."})
    assert response.status_code == 200
    assert response.json() == {"model": MODEL, "analysis": "Positive. Fast delivery."}
    request = route.calls.last.request
    assert request.headers["authorization"] == "Bearer test-key"
    body = json.loads(request.content)
    assert body["model"] == MODEL
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][1] == {"role": "user", "content": "Arrived a day early."}


def test_an_empty_answer_is_an_empty_analysis(client, model):
    model.post("/chat/completions").respond(json=completion(None))
    response = client.post("/api/analyze", json={"text": "hello"})
    assert response.status_code == 200
    assert response.json()["analysis"] == ""


@pytest.mark.parametrize("body", [{"text": ""}, {}, {"text": 42}, {"other": "x"}])
def test_invalid_requests_are_422_without_a_model_call(client, model, body):
    route = model.post("/chat/completions")
    response = client.post("/api/analyze", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "text"]
    assert not route.called


def test_text_over_the_limit_is_413_without_a_model_call(client, model):
    route = model.post("/chat/completions")
    response = client.post("/api/analyze", json={"text": "x" * 51})
    assert response.status_code == 413
    assert not route.called


@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
def test_model_errors_are_502(client, model, status):
    model.post("/chat/completions").respond(status, json={"error": {"message": "nope", "type": "server_error"}})
    response = client.post("/api/analyze", json={"text": "hello"})
    assert response.status_code == 502
    assert response.json() == {"detail": "model request failed"}


def test_an_unreachable_model_is_502(client, model):
    model.post("/chat/completions").mock(side_effect=httpx.ConnectError("connection refused"))
    response = client.post("/api/analyze", json={"text": "hello"})
    assert response.status_code == 502


def test_a_model_timeout_is_504(client, model):
    model.post("/chat/completions").mock(side_effect=httpx.ReadTimeout("timed out"))
    response = client.post("/api/analyze", json={"text": "hello"})
    assert response.status_code == 504
    assert response.json() == {"detail": "model timed out"}


def test_a_failing_model_is_retried_as_configured(client, model, monkeypatch):
    monkeypatch.setenv("LLM_MAX_RETRIES", "1")
    get_settings.cache_clear()
    get_analyzer.cache_clear()
    route = model.post("/chat/completions")
    route.side_effect = [
        httpx.Response(503, headers={"retry-after-ms": "10"}, json={"error": {"message": "busy"}}),
        httpx.Response(200, json=completion("second try")),
    ]
    response = client.post("/api/analyze", json={"text": "hello"})
    assert response.status_code == 200
    assert response.json()["analysis"] == "second try"
    assert route.call_count == 2
