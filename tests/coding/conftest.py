"""The coder's tests share one parser and one set of built-in dictionaries (loading spaCy is slow)."""

from __future__ import annotations

import pytest

from policyshift.coding.dictionaries import load
from policyshift.coding.engine import Coder


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder(load())


@pytest.fixture(scope="session")
def plover(coder: Coder) -> Coder:
    """The coder as PLOVER reads text: source-only events, and "will X" as an intention."""
    return Coder(coder.lexicon, nlp=coder.nlp, monadic=True, future_intent=True)
