"""${{ values.name }}: ${{ values.description }}"""
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field

from .search import SemanticIndex, UpstreamError
from .settings import get_settings


@asynccontextmanager
async def lifespan(app: FastAPI):
    # One index (and its connection pools) per process; the collection is
    # created on first start.
    index = SemanticIndex(get_settings())
    await index.ensure_collection()
    app.state.index = index
    yield
    await index.close()


app = FastAPI(title="${{ values.name }}", lifespan=lifespan)


def get_index(request: Request) -> SemanticIndex:
    return request.app.state.index


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


def upstream_failure(error: UpstreamError) -> HTTPException:
    # 504 when Qdrant or the embeddings API did not answer in time, else 502;
    # the detail names which one, never its error text.
    return HTTPException(status_code=504 if error.timeout else 502, detail=str(error))


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@app.post("/api/documents")
async def index_documents(request: IndexRequest, index: SemanticIndex = Depends(get_index)) -> dict:
    try:
        count = await index.index([d.model_dump() for d in request.documents])
    except UpstreamError as error:
        raise upstream_failure(error) from error
    return {"indexed": count}


@app.post("/api/semantic-search", response_model=list[Hit])
async def semantic_search(request: SearchRequest, index: SemanticIndex = Depends(get_index)) -> list[Hit]:
    try:
        return [Hit(**hit) for hit in await index.search(request.query, request.limit)]
    except UpstreamError as error:
        raise upstream_failure(error) from error
