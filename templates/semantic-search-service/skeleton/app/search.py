"""Embeddings and the Qdrant collection."""
import uuid
from collections.abc import Awaitable
from typing import TypeVar

import httpx
from openai import APIError, APITimeoutError, AsyncOpenAI
from qdrant_client import AsyncQdrantClient, models
from qdrant_client.http.exceptions import ApiException, ResponseHandlingException

from .settings import Settings

T = TypeVar("T")


class UpstreamError(Exception):
    """Qdrant or the embeddings API failed or did not answer in time."""

    def __init__(self, upstream: str, timeout: bool = False):
        super().__init__(f"{upstream} {'timed out' if timeout else 'request failed'}")
        self.upstream = upstream
        self.timeout = timeout


class SemanticIndex:
    def __init__(self, settings: Settings, qdrant: AsyncQdrantClient | None = None, embedder: AsyncOpenAI | None = None):
        self._settings = settings
        self._qdrant = qdrant or AsyncQdrantClient(
            url=settings.qdrant_url,
            api_key=settings.qdrant_api_key or None,
            timeout=int(settings.timeout_seconds),
        )
        self._embedder = embedder or AsyncOpenAI(
            base_url=settings.embedding_endpoint,
            api_key=settings.embedding_api_key or "unset",
            timeout=settings.timeout_seconds,
            max_retries=settings.max_retries,
        )

    async def _qdrant_call(self, call: Awaitable[T]) -> T:
        try:
            return await call
        except ResponseHandlingException as error:
            # Transport failures (refused, timed out) and unreadable answers.
            raise UpstreamError("qdrant", timeout=isinstance(error.source, httpx.TimeoutException)) from error
        except ApiException as error:
            raise UpstreamError("qdrant") from error

    async def ensure_collection(self) -> None:
        name = self._settings.collection
        if not await self._qdrant_call(self._qdrant.collection_exists(name)):
            await self._qdrant_call(
                self._qdrant.create_collection(
                    name,
                    vectors_config=models.VectorParams(size=self._settings.vector_size, distance=models.Distance.COSINE),
                )
            )

    async def embed(self, texts: list[str]) -> list[list[float]]:
        try:
            # float, not the client's default base64: not every
            # OpenAI-compatible server implements base64.
            response = await self._embedder.embeddings.create(
                model=self._settings.embedding_model, input=texts, encoding_format="float"
            )
        except APITimeoutError as error:
            raise UpstreamError("embeddings", timeout=True) from error
        except APIError as error:
            raise UpstreamError("embeddings") from error
        return [item.embedding for item in response.data]

    async def index(self, documents: list[dict]) -> int:
        vectors = await self.embed([d["text"] for d in documents])
        points = [
            # The same document id always maps to the same point: re-indexing replaces it.
            models.PointStruct(id=str(uuid.uuid5(uuid.NAMESPACE_URL, d["id"])), vector=v, payload=d)
            for d, v in zip(documents, vectors)
        ]
        await self._qdrant_call(self._qdrant.upsert(self._settings.collection, points=points))
        return len(points)

    async def search(self, query: str, limit: int) -> list[dict]:
        [vector] = await self.embed([query])
        result = await self._qdrant_call(
            self._qdrant.query_points(self._settings.collection, query=vector, limit=limit, with_payload=True)
        )
        return [{"id": p.payload["id"], "text": p.payload["text"], "score": p.score} for p in result.points]

    async def close(self) -> None:
        await self._qdrant.close()
        await self._embedder.close()
