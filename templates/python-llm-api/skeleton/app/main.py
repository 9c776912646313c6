"""${{ values.name }}: ${{ values.description }}"""
from functools import lru_cache

from fastapi import Depends, FastAPI, HTTPException
from openai import APIError, APITimeoutError
from pydantic import BaseModel, Field

from .llm import Analyzer
from .settings import Settings, get_settings

app = FastAPI(title="${{ values.name }}")


class AnalyzeRequest(BaseModel):
    text: str = Field(min_length=1)


class AnalyzeResponse(BaseModel):
    model: str
    analysis: str


@lru_cache
def get_analyzer() -> Analyzer:
    # One client (and connection pool) per process.
    return Analyzer(get_settings())


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@app.post("/api/analyze", response_model=AnalyzeResponse)
async def analyze(
    request: AnalyzeRequest,
    analyzer: Analyzer = Depends(get_analyzer),
    settings: Settings = Depends(get_settings),
) -> AnalyzeResponse:
    if len(request.text) > settings.max_input_chars:
        raise HTTPException(status_code=413, detail="text too long")
    try:
        analysis = await analyzer.analyze(request.text)
    except APITimeoutError as error:
        raise HTTPException(status_code=504, detail="model timed out") from error
    except APIError as error:
        raise HTTPException(status_code=502, detail="model request failed") from error
    return AnalyzeResponse(model=settings.model, analysis=analysis)
