"""POST /v1/embeddings with the real model (all-MiniLM-L6-v2, int8 ONNX):
OpenAI's shape, unit vectors that do not depend on what else is in the
batch, paraphrases closer than unrelated text, and the errors: bad input,
no model configured (404), a folder without the model (503 with the reason)."""
from __future__ import annotations

import numpy as np

from conftest import ENGLISH, Server, model_dir

# Each: a question, an answer to it that shares almost no words with it, and an
# answer to another question. Written for this test (not the bench set).
TRIPLES = (
    ("Why do you want to leave your current job?",
     "I have stopped learning where I am, and the role you offer would stretch me.",
     "My favourite programming language is Go because it compiles quickly."),
    ("How do you handle a disagreement with a colleague?",
     "When a teammate and I saw a design differently, we sat down, listed what each of us feared and "
     "settled on a test that would decide it.",
     "I spent last weekend hiking in the mountains with my family."),
    ("Tell me about a time you missed a deadline.",
     "Last spring a release slipped by two weeks because I underestimated the migration; I told the "
     "client early and we cut scope.",
     "Our office has a lovely kitchen and free coffee every morning."),
)


def vectors(server: Server, texts: list[str]) -> np.ndarray:
    status, body = server.post_json("/v1/embeddings", {"model": "any", "input": texts})
    assert status == 200, body
    assert [d["index"] for d in body["data"]] == list(range(len(texts)))
    return np.array([d["embedding"] for d in body["data"]])


def test_shape_and_unit_length(server):
    status, body = server.post_json("/v1/embeddings", {"input": "Tell me about yourself."})
    assert status == 200, body
    assert body["object"] == "list" and body["model"] == "all-MiniLM-L6-v2-int8"
    assert len(body["data"]) == 1 and body["data"][0]["object"] == "embedding"
    v = np.array(body["data"][0]["embedding"])
    assert v.shape == (384,)
    assert abs(np.linalg.norm(v) - 1) < 1e-4
    # [CLS] tell me about yourself . [SEP]
    assert body["usage"]["prompt_tokens"] == 7


def test_a_text_alone_and_in_a_batch_embed_the_same(server):
    short, long = "I led the project.", " ".join(["We shipped the new billing system on time."] * 20)
    alone = vectors(server, [short])[0]
    batched = vectors(server, [long, short])[1]  # padded to the long one's length
    assert np.abs(alone - batched).max() < 1e-4


def test_paraphrase_closer_than_another_topic(server):
    for question, paraphrase, other in TRIPLES:
        q, p, o = vectors(server, [question, paraphrase, other])
        assert q @ p - q @ o > 0.15, (question, q @ p, q @ o)


def test_bad_input_is_refused(server):
    for body, words in (({"model": "x"}, "\"input\""), ({"input": 3}, "string or a list"),
                        ({"input": []}, "1 to 512"), ({"input": ["ok", " "]}, "empty string"),
                        ({"input": ["x"] * 513}, "1 to 512"), ({"input": ["x" * 10001]}, "10000")):
        status, answer = server.post_json("/v1/embeddings", body)
        assert status == 400 and words in answer["error"]["message"], (body, answer)
        assert answer["error"]["code"] == "invalid_input"


def test_without_a_model_404_and_with_a_broken_folder_503(tmp_path):
    off = Server(ISIM_STT_MODEL_DIR=model_dir(ENGLISH), ISIM_STT_EMBED_MODEL_DIR="")
    try:
        status, body = off.post_json("/v1/embeddings", {"input": "hello"})
        assert status == 404 and body["error"]["code"] == "embeddings_not_installed"
        assert "ISIM_STT_EMBED_MODEL_DIR" in body["error"]["message"]
    finally:
        off.stop()
    broken = Server(ISIM_STT_MODEL_DIR=model_dir(ENGLISH), ISIM_STT_EMBED_MODEL_DIR=str(tmp_path))
    try:
        status, body = broken.post_json("/v1/embeddings", {"input": "hello"})
        assert status == 503 and body["error"]["code"] == "embeddings_unavailable"
        assert f"{tmp_path} holds no model.onnx" in body["error"]["message"]
        assert broken.get("/readyz")[0] == 200  # transcription goes on without it
    finally:
        broken.stop()
