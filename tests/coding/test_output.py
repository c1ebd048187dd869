"""Coding a file: JSONL out, resumable without duplicates, bad documents skipped."""

from __future__ import annotations

import json

import pytest

from policyshift.coding.output import checkpoint_path, code_file
from tests.conftest import FIXTURES

DOCS = FIXTURES / "coding" / "docs.jsonl"


def records(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_output_has_the_fields_the_issue_asks_for(coder, tmp_path):
    out = tmp_path / "events.jsonl"
    bad = []
    result = code_file(DOCS, out=out, coder=coder, on_bad=bad.append)
    rows = records(out)
    assert result.events == len(rows) == 6 and result.documents == 3
    assert len(bad) == len(result.bad) == 4  # 3 unreadable, 1 duplicate id
    assert "the id is used by an earlier document" in str(bad[-1])
    first = rows[0]
    for name in ("doc_id", "sentence_index", "sentence", "date", "source_actor", "target_actor", "cameo_code",
                 "root_code", "source_name", "target_name", "negated", "pattern", "source_entry", "event_id"):
        assert name in first
    text = json.loads(DOCS.read_text().splitlines()[0])["text"]
    for part in ("source", "target", "verb"):
        start, end = first["offsets"][part]
        assert text[start:end] == {"source": first["source_name"], "target": first["target_name"],
                                   "verb": "bombed"}[part]
    assert len({r["event_id"] for r in rows}) == len(rows)


def test_rerun_after_interruption_continues_without_duplicates(coder, tmp_path):
    full = tmp_path / "full.jsonl"
    code_file(DOCS, out=full, coder=coder)
    out = tmp_path / "events.jsonl"

    class Stop(Exception):
        pass

    def stop_after_first(done, total):
        raise Stop

    with pytest.raises(Stop):
        code_file(DOCS, out=out, coder=coder, progress=stop_after_first)
    assert checkpoint_path(out).read_text().count("\n") == 1
    with out.open("a") as f:  # a half-written document from the run that stopped
        f.write('{"event_id": "afp-2:0:0", "half": true}\n')
    result = code_file(DOCS, out=out, coder=coder)
    assert result.resumed == 1 and result.documents == 2
    assert records(out) == records(full)
    again = code_file(DOCS, out=out, coder=coder)  # everything done: nothing added
    assert (again.resumed, again.documents, again.events) == (3, 0, 0)
    assert records(out) == records(full)


def test_output_never_overwrites_the_input(coder, tmp_path):
    from policyshift.errors import InputFileError

    path = tmp_path / "docs.jsonl"
    path.write_text(DOCS.read_text())
    with pytest.raises(InputFileError, match="overwrite the input"):
        code_file(path, out=path, coder=coder)


def test_an_unrelated_existing_output_is_not_overwritten(coder, tmp_path):
    from policyshift.errors import InputFileError

    out = tmp_path / "notes.jsonl"
    out.write_text("my own notes\n")
    with pytest.raises(InputFileError, match="was not written by policyshift code"):
        code_file(DOCS, out=out, coder=coder)
    assert out.read_text() == "my own notes\n"
