"""Calls to the OpenAI-compatible model API."""
import asyncio

from openai import OpenAI

from .settings import Settings

SYSTEM_PROMPT = (
    "You analyse text for an internal service. Reply with a short summary, "
    "the overall sentiment (positive, neutral or negative) and up to five key points."
)


class Analyzer:
    def __init__(self, settings: Settings, client: OpenAI | None = None):
        self._settings = settings
        self._client = client or OpenAI(
            base_url=settings.endpoint,
            api_key=settings.api_key or "unset",
            timeout=settings.timeout_seconds,
            max_retries=settings.max_retries,
        )

    async def analyze(self, text: str) -> str:
        # The client is synchronous (retries, connection pool); run it in a
        # worker thread so a slow model never blocks the event loop.
        return await asyncio.to_thread(self._complete, text)

    def _complete(self, text: str) -> str:
        response = self._client.chat.completions.create(
            model=self._settings.model,
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": text},
            ],
        )
        return response.choices[0].message.content or ""
