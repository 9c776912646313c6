"""Configuration from the environment (Kubernetes ConfigMap and Secret)."""
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SEARCH_")

    qdrant_url: str = "${{ values.qdrantUrl }}"
    qdrant_api_key: str = ""
    collection: str = "${{ values.collection }}"
    vector_size: int = ${{ values.vectorSize }}
    # OpenAI-compatible embeddings endpoint.
    embedding_endpoint: str = "http://llm-gateway.platform.svc.cluster.local:8080/v1"
    embedding_model: str = "${{ values.embeddingModel }}"
    embedding_api_key: str = ""
    timeout_seconds: float = 10.0
    # Retries of the embeddings API (connection errors, 408/409/429, 5xx).
    max_retries: int = 2


@lru_cache
def get_settings() -> Settings:
    return Settings()
