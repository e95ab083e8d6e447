"""OpenAI's ``POST /v1/embeddings`` shape: reading the request, writing the answer."""
from __future__ import annotations

import json
from typing import Any

MAX_BODY = 1 << 20
MAX_INPUTS = 512
MAX_CHARS = 10000


class BadRequest(ValueError):
    """The request does not fit the contract; ``param`` names the field."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


def parse(raw: bytes) -> list[str]:
    """The texts to embed: ``input`` is one string or a list of strings
    (``model`` may name anything: the server has one model and says which)."""
    try:
        body = json.loads(raw)
    except ValueError as e:
        raise BadRequest(f"The body is not JSON: {e}.") from None
    if not isinstance(body, dict) or "input" not in body:
        raise BadRequest("Send a JSON object with \"input\": a string or a list of strings.", "input")
    texts = body["input"]
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise BadRequest("\"input\" must be a string or a list of strings.", "input")
    if not texts or len(texts) > MAX_INPUTS:
        raise BadRequest(f"\"input\" must hold 1 to {MAX_INPUTS} strings, not {len(texts)}.", "input")
    if any(not t.strip() for t in texts):
        raise BadRequest("\"input\" holds an empty string.", "input")
    if any(len(t) > MAX_CHARS for t in texts):
        raise BadRequest(f"each string of \"input\" must have at most {MAX_CHARS} characters.", "input")
    return texts


def answer(model: str, vectors: Any, tokens: int) -> dict[str, Any]:
    return {"object": "list", "model": model,
            "data": [{"object": "embedding", "index": i, "embedding": [round(float(x), 6) for x in row]}
                     for i, row in enumerate(vectors)],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}
