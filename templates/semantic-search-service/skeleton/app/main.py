"""${{ values.name }}: ${{ values.description }}"""
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field

from .search import SemanticIndex
from .settings import get_settings

_index: SemanticIndex | None = None


def get_index() -> SemanticIndex:
    global _index
    if _index is None:
        _index = SemanticIndex(get_settings())
    return _index


@asynccontextmanager
async def lifespan(app: FastAPI):
    await get_index().ensure_collection()
    yield


app = FastAPI(title="${{ values.name }}", lifespan=lifespan)


class Document(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=20000)


class IndexRequest(BaseModel):
    documents: list[Document] = Field(min_length=1, max_length=100)


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    limit: int = Field(default=5, ge=1, le=50)


class Hit(BaseModel):
    id: str
    text: str
    score: float


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@app.post("/api/documents")
async def index_documents(request: IndexRequest, index: SemanticIndex = Depends(get_index)) -> dict:
    count = await index.index([d.model_dump() for d in request.documents])
    return {"indexed": count}


@app.post("/api/semantic-search", response_model=list[Hit])
async def semantic_search(request: SearchRequest, index: SemanticIndex = Depends(get_index)) -> list[Hit]:
    try:
        return [Hit(**hit) for hit in await index.search(request.query, request.limit)]
    except TimeoutError as error:
        raise HTTPException(status_code=504, detail="search timed out") from error
