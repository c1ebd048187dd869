"""The coder's tests share one parser and one set of built-in dictionaries (loading spaCy is slow)."""

from __future__ import annotations

import pytest

from policyshift.coding.dictionaries import load
from policyshift.coding.engine import Coder


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder(load())
