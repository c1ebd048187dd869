"""Verbs the dictionaries miss, coded by the nearest verb pattern in MiniLM's embedding space.

``SimilarVerbs(lexicon)`` wraps a :class:`Lexicon`: a verb the rules code keeps the rules' code;
a verb they leave uncoded is written as a short phrase (its lemma, particle, and the head of its
object or prepositional object: "shortened the curfew" -> "shorten curfew") and takes the code of
the most similar pattern phrase of the same dictionaries, if the cosine reaches ``threshold``. The
event's pattern says so: "~extend curfew (0.83)". docs/coding.md gives what it gains and costs.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token

from policyshift.coding.lexicon import ActorMatch, Lexicon, VerbMatch
from policyshift.coding.roles import complements
from policyshift.errors import UsageError

DEFAULT_THRESHOLD = 0.8
VERB_FLOOR = 0.5  # the least cosine of the verb alone to the pattern's verb
# Verbs too general to carry an event by similarity (reporting, being, motion, light verbs), and
# verbs the parser makes of idioms ("according to", "based in").
STOP = frozenset((
    "say", "tell", "be", "have", "go", "come", "make", "do", "get", "take", "give", "put", "see", "know",
    "think", "want", "seem", "become", "include", "add", "continue", "begin", "start", "try", "use", "need",
    "report", "quote", "describe", "expect", "remain", "appear", "believe", "keep", "let", "find", "show",
    "mean", "feel", "leave", "call", "ask", "accord", "base"
))
_OBJECT_DEPS = ("dobj", "nsubjpass")  # "closed the border", "the border was closed"
_NAME_POS = ("PROPN", "PRON")  # an actor or pronoun object names who, not what was done
_DISK_MIN = 1000  # pattern sets this large (the Phoenix verbs) are cached on disk too
_memory: dict[str, np.ndarray] = {}


def pattern_phrases(lexicon: Any) -> list[tuple[str, str, str]]:
    """Every verb pattern of ``lexicon`` as (phrase, CAMEO code, its verb); the first code of a phrase
    given twice. Both our YAML dictionaries and TABARI/PETRARCH files list theirs (``verb_patterns``)."""
    listing = getattr(lexicon, "verb_patterns", None)
    if listing is None:
        raise UsageError(f"--similar-verbs cannot read the verb patterns of the dictionaries {lexicon.name!r}",
                         fix="use policyshift's YAML dictionaries or TABARI/PETRARCH files")
    found: dict[str, tuple[str, str]] = {}
    for text, code, verb in listing():
        found.setdefault(text, (code, verb))
    return [(phrase, code, verb) for phrase, (code, verb) in found.items() if phrase]


def phrase(verb: Token) -> tuple[str, tuple[int, ...]]:
    """The verb as a pattern would name it, and the tokens used: lemma, particle, and the object's
    head (with its compounds) or else the first preposition with its object."""
    words, used = [verb.lemma_.lower()], [verb.i]
    for c in verb.children:
        if c.dep_ == "prt":
            words.append(c.lower_)
            used.append(c.i)
    obj = next((c for c in verb.children if c.dep_ in _OBJECT_DEPS and c.pos_ not in _NAME_POS), None)
    if obj is not None:
        for c in obj.children:
            if c.dep_ == "compound" and c.pos_ not in _NAME_POS and c.i < obj.i:
                words.append(c.lemma_.lower())
                used.append(c.i)
        words.append(obj.lemma_.lower())
        used.append(obj.i)
    elif not any(c.dep_ in _OBJECT_DEPS for c in verb.children):
        prep = next((c for c in verb.children if c.dep_ == "prep"), None)
        if prep is not None:
            words.append(prep.lower_)
            used.append(prep.i)
            pobj = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ not in _NAME_POS), None)
            if pobj is not None:
                words.append(pobj.lemma_.lower())
                used.append(pobj.i)
    return " ".join(words), tuple(sorted(used))


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policyshift"


def _embed(texts: list[str]) -> np.ndarray:
    """The texts' vectors, once per process; a large set also once per machine (on disk, keyed by a
    hash of the texts and the model, so edited dictionaries are embedded again)."""
    from policyshift.coding.minilm import MODEL_PACKAGE, model

    key = hashlib.sha256((MODEL_PACKAGE + "\n" + "\n".join(texts)).encode()).hexdigest()[:20]
    if key in _memory:
        return _memory[key]
    path = cache_dir() / f"similar-verbs-{key}.npy"
    matrix = None
    if len(texts) >= _DISK_MIN and path.is_file():
        try:
            matrix = np.load(path)
        except (OSError, ValueError):
            matrix = None  # a damaged cache file is computed again
        if matrix is not None and matrix.shape[0] != len(texts):
            matrix = None
    if matrix is None:
        matrix = model().encode(texts)
        if len(texts) >= _DISK_MIN:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with open(tmp, "wb") as f:
                    np.save(f, matrix)
                tmp.replace(path)
            except OSError:
                pass  # no writable cache: embed again next time
    _memory[key] = matrix
    return matrix


class SimilarVerbs:
    """A Lexicon that codes, by similarity, the verbs its wrapped lexicon leaves uncoded."""

    def __init__(self, lexicon: Lexicon, threshold: float = DEFAULT_THRESHOLD, *,
                 verb_floor: float = VERB_FLOOR) -> None:
        from policyshift.coding.minilm import model

        if not 0.0 < threshold <= 1.0:
            raise UsageError("the similarity threshold must be above 0 and at most 1", field="--similar-threshold",
                             value=threshold, fix="use a cosine such as 0.8")
        self.inner = lexicon
        self.threshold = threshold
        self.verb_floor = verb_floor
        self.name = lexicon.name
        self._model = model()  # a missing package fails here, before any text is parsed
        patterns = pattern_phrases(lexicon)
        self._phrases = [p for p, _, _ in patterns]
        self._codes = [c for _, c, _ in patterns]
        self._matrix = _embed(self._phrases)
        verbs = sorted({v for _, _, v in patterns})
        self._verb_matrix = _embed(verbs)
        position = {v: k for k, v in enumerate(verbs)}
        self._verb_of = np.array([position[v] for _, _, v in patterns])
        self._vectors: dict[str, np.ndarray] = {}  # phrase or lemma -> its vector
        self._seen: dict[tuple[str, str], tuple[int, float]] = {}

    def __getattr__(self, name: str) -> Any:
        if name == "inner":  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)  # mutual, refusal, organisation_types, is_nonstate, ...

    def actors(self, doc: Doc, when: date | None) -> list[ActorMatch]:
        return self.inner.actors(doc, when)

    def discard(self, doc: Doc) -> bool:
        return self.inner.discard(doc)

    def verb(self, verb: Token, when: date | None) -> VerbMatch | None:
        match = self.inner.verb(verb, when)
        if match is not None or verb.pos_ != "VERB" or verb.lemma_.lower() in STOP or not verb.is_alpha:
            return match
        if any(self.inner.verb(c, None) is not None for c in complements(verb)):
            return None  # "indicated it would act": the coded complement is the event, not a guessed verb
        text, used = phrase(verb)
        k, score = self._best(text, verb.lemma_.lower())
        if score < self.threshold:
            return None
        return VerbMatch(self._codes[k], used, f"~{self._phrases[k]} ({score:.2f})")

    def _best(self, text: str, lemma: str) -> tuple[int, float]:
        """The pattern nearest ``text`` whose verb is near ``lemma`` too ("accept demands" is not
        "demand"), and its cosine; cached, as phrases and lemmas repeat."""
        best = self._seen.get((text, lemma))
        if best is None:
            missing = [t for t in dict.fromkeys((text, lemma)) if t not in self._vectors]
            if missing:
                if len(self._vectors) > 200_000:
                    self._vectors.clear()
                    self._seen.clear()
                self._vectors.update(zip(missing, self._model.encode(missing)))
            scores = self._matrix @ self._vectors[text]
            verb_scores = (self._verb_matrix @ self._vectors[lemma])[self._verb_of]
            scores = np.where(verb_scores >= self.verb_floor, scores, -1.0)
            k = int(scores.argmax())
            best = self._seen[(text, lemma)] = (k, float(scores[k]))
        return best
