"""Sentence embeddings: an ONNX sentence-transformer (BERT-style encoder,
mean pooling over the real tokens, unit length), as all-MiniLM-L6-v2 is used."""
from __future__ import annotations

import os

import numpy as np

# all-MiniLM-L6-v2 was trained on sequences of up to 128 word pieces and is
# used up to 256; beyond that a text is cut (a sentence of an answer is far shorter).
MAX_TOKENS = 256
BATCH = 32


class Unavailable(RuntimeError):
    """No embedding model can be used; the message says why, for the caller."""


class Embedder:
    def __init__(self, folder: str, threads: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        for f in ("model.onnx", "tokenizer.json"):
            if not os.path.isfile(os.path.join(folder, f)):
                raise Unavailable(f"the embedding model folder {folder} holds no {f} "
                                  "(deploy/deps.sh installs it in .deps/embed-model)")
        self.name = os.path.basename(os.path.normpath(folder))
        self.tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of the batch
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(os.path.join(folder, "model.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.dimensions = int(self.session.get_outputs()[0].shape[-1])

    def embed(self, texts: list[str]) -> tuple[np.ndarray, int]:
        """Unit-length vectors, one row per text, and the number of tokens read."""
        rows, tokens = [], 0
        for start in range(0, len(texts), BATCH):
            enc = self.tokenizer.encode_batch(texts[start:start + BATCH])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            rows.append(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))
            tokens += int(mask.sum())
        return (np.concatenate(rows) if rows else np.zeros((0, self.dimensions), np.float32)), tokens
