"""Configuration from the environment (Kubernetes ConfigMap and Secret)."""
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LLM_")

    # Base URL of an OpenAI-compatible API, e.g. http://gateway:8080/v1
    endpoint: str = "${{ values.endpoint }}"
    model: str = "${{ values.model }}"
    # Mounted from the <name>-llm secret; never logged.
    api_key: str = ""
    timeout_seconds: float = 30.0
    # Retries of connection errors, 408/409/429 and 5xx answers, with back-off.
    max_retries: int = 2
    max_input_chars: int = 20000


@lru_cache
def get_settings() -> Settings:
    return Settings()
