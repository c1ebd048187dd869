"""Docs that must follow the code: the schema page, one page per data set, the README's set-up."""

from __future__ import annotations

from pathlib import Path

from policyshift.ingest.registry import READERS
from policyshift.schema import EVENT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DATASET_PAGES = {"gdelt1": "gdelt.md", "gdelt2": "gdelt.md", "icews": "icews.md", "ucdp": "ucdp.md",
                 "acled": "acled.md", "phoenix": "phoenix.md", "csv": "policyshift-csv.md",
                 "parquet": "policyshift-csv.md", "coded": "coded.md"}


def test_schema_page_lists_every_column() -> None:
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    missing = [c.name for c in EVENT_COLUMNS if f"| {c.name}" not in text]
    assert missing == [], f"docs/schema.md lacks {missing}"


def test_every_reader_has_a_dataset_page() -> None:
    assert set(READERS) == set(DATASET_PAGES), "a reader was added: give it a docs/datasets page here"
    for name, page in DATASET_PAGES.items():
        path = ROOT / "docs" / "datasets" / page
        assert path.exists(), f"{name}: {path} is missing"
        assert "Terms" in path.read_text(encoding="utf-8") or "terms" in path.read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first = text[: text.index("make test") + 20]
    assert "make demo" in first
    assert text.index("make demo") < text.index("make test")


def test_changelog_has_this_version() -> None:
    from policyshift import __version__

    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
