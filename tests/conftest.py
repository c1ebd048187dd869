"""Shared fixtures. Tests that read ../shared/ skip, saying why, where it is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policyshift.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_path(*parts: str) -> Path:
    """A file under ../shared/, or a skip when this checkout has no ../shared/ beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the real samples live in ../shared/ beside the checkout (CI has it)")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "test.duckdb")
    yield s
    s.close()


def stored_row(store: Store, event_id: str, *columns: str) -> tuple:
    """The named columns (each a name or a comma-separated list) of one stored event."""
    row = store.con.execute(f"SELECT {', '.join(columns)} FROM events WHERE event_id = ?", [event_id]).fetchone()
    assert row is not None, f"{event_id} was not stored"
    return row
