"""Property tests: malformed rows thrown at every reader never crash it, and counts always reconcile.

Each reader starts from a valid file of its own layout (built by tests/gdelt_rows.py or taken from
tests/fixtures/), then hypothesis mutates lines: random text (tabs, quotes, commas, newlines),
dropped or extra fields, invalid UTF-8, blank lines, duplicated lines. Every outcome must be a
FileResult whose counts add up, or a PolicyshiftError naming the file; nothing else.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyshift.errors import BadRowError, PolicyshiftError
from policyshift.ingest import ingest_file
from policyshift.ingest.registry import READERS
from policyshift.store import Store
from tests import gdelt_rows

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_GLOBS = {"icews": "icews_*", "ucdp": "ucdp_*", "acled": "acled_*", "phoenix": "phoenix_*",
                 "csv": "policyshift_*.csv", "coded": "coding/coded_*.jsonl"}


def base_file(reader: str) -> bytes:
    if reader == "gdelt2":
        return "".join(r + "\n" for r in gdelt_rows.numbered(8)).encode()
    if reader == "gdelt1":
        rows = gdelt_rows.numbered(4, gdelt_rows.GDELT1_58) + gdelt_rows.numbered(4, gdelt_rows.GDELT1_57, start=50)
        return "".join(r + "\n" for r in rows).encode()
    candidates = sorted(p for p in FIXTURES.glob(FIXTURE_GLOBS[reader])
                        if p.suffix not in (".gz", ".zip", ".parquet") and "bad" not in p.name)
    if not candidates:
        pytest.skip(f"no fixture for {reader} in tests/fixtures")
    return candidates[0].read_bytes()


TEXT_READERS = [r for r in READERS if r != "parquet"]

junk_text = st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
                     | st.sampled_from(["\t", ",", '"', "\r", "\n", ";", "NA", "2001-02-30", "-99", "1e9"]),
                     max_size=8).map("".join)
mutation = st.one_of(
    st.tuples(st.just("replace"), st.integers(0, 50), junk_text),
    st.tuples(st.just("truncate"), st.integers(0, 50), st.integers(0, 30)),
    st.tuples(st.just("extend"), st.integers(0, 50), junk_text),
    st.tuples(st.just("bytes"), st.integers(0, 50), st.binary(min_size=1, max_size=6)),
    st.tuples(st.just("blank"), st.integers(0, 50), st.just("")),
    st.tuples(st.just("duplicate"), st.integers(0, 50), st.just("")),
)


def mutate(data: bytes, mutations: list[tuple[str, int, object]], *, keep_first: bool) -> bytes:
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    start = 1 if keep_first else 0  # keep a header (and a sniffable first line)
    for kind, at, arg in mutations:
        if len(lines) <= start:
            break
        i = start + at % (len(lines) - start)
        sep = b"\t" if b"\t" in lines[i] else b","
        if kind == "replace":
            lines[i] = str(arg).encode()
        elif kind == "truncate":
            lines[i] = sep.join(lines[i].split(sep)[: int(arg)])  # type: ignore[call-overload]
        elif kind == "extend":
            lines[i] = lines[i] + sep + str(arg).encode()
        elif kind == "bytes":
            lines[i] = lines[i][:10] + bytes(arg) + b"\xff" + lines[i][10:]  # type: ignore[arg-type]
        elif kind == "blank":
            lines[i] = b""
        elif kind == "duplicate":
            lines.insert(i, lines[i])
    return b"\n".join(lines) + b"\n"


@pytest.mark.parametrize("reader", TEXT_READERS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(mutation, min_size=1, max_size=6), strict=st.booleans())
def test_malformed_rows_never_crash_and_counts_reconcile(reader: str, mutations: list[tuple[str, int, object]],
                                                         strict: bool) -> None:
    data = mutate(base_file(reader), mutations, keep_first=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"mutated.{reader}"
        path.write_bytes(data)
        with Store(Path(tmp) / "p.duckdb") as store:
            try:
                result = ingest_file(store, path, dataset=reader, strict=strict)
            except BadRowError as e:
                assert strict and str(path) in str(e)
                assert store.con.execute("SELECT count(*) FROM ingest_files").fetchone()[0] == 0
                return
            except PolicyshiftError as e:
                assert str(path) in str(e) and "\n" not in str(e)
                assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 0
                return
            assert result.read == result.stored + result.quarantined + result.duplicates
            if strict:
                assert result.quarantined == 0
            stored, quarantined, duplicates = store.con.execute(
                "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine), "
                "(SELECT count(*) FROM duplicates)").fetchone()
            assert (stored, quarantined, duplicates) == (result.stored, result.quarantined, result.duplicates)
            if reader.startswith("gdelt"):  # one record per line: every line is accounted for
                assert result.read == data.count(b"\n")


@settings(max_examples=25, deadline=None)
@given(payload=st.binary(min_size=1, max_size=2000), magic=st.sampled_from([b"", b"\x1f\x8b", b"PK\x03\x04", b"PAR1"]))
def test_random_bytes_give_a_clean_error(payload: bytes, magic: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "noise"
        path.write_bytes(magic + payload)
        with Store(Path(tmp) / "p.duckdb") as store:
            try:
                result = ingest_file(store, path)
            except PolicyshiftError as e:
                assert "\n" not in str(e)
                return
            assert result.read == result.stored + result.quarantined + result.duplicates
