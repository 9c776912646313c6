"""Embeddings and the Qdrant collection."""
import uuid

from openai import AsyncOpenAI
from qdrant_client import AsyncQdrantClient, models

from .settings import Settings


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
        )

    async def ensure_collection(self) -> None:
        if not await self._qdrant.collection_exists(self._settings.collection):
            await self._qdrant.create_collection(
                self._settings.collection,
                vectors_config=models.VectorParams(size=self._settings.vector_size, distance=models.Distance.COSINE),
            )

    async def embed(self, texts: list[str]) -> list[list[float]]:
        response = await self._embedder.embeddings.create(model=self._settings.embedding_model, input=texts)
        return [item.embedding for item in response.data]

    async def index(self, documents: list[dict]) -> int:
        vectors = await self.embed([d["text"] for d in documents])
        points = [
            models.PointStruct(id=str(uuid.uuid5(uuid.NAMESPACE_URL, d["id"])), vector=v, payload=d)
            for d, v in zip(documents, vectors)
        ]
        await self._qdrant.upsert(self._settings.collection, points=points)
        return len(points)

    async def search(self, query: str, limit: int) -> list[dict]:
        [vector] = await self.embed([query])
        result = await self._qdrant.query_points(self._settings.collection, query=vector, limit=limit, with_payload=True)
        return [{"id": p.payload["id"], "text": p.payload["text"], "score": p.score} for p in result.points]
