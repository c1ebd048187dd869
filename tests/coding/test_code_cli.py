"""``policyshift code``: the command, and ``--ingest`` storing events with full provenance."""

from __future__ import annotations

import json
import shutil
from datetime import date

from typer.testing import CliRunner

from policyshift.cli import app
from policyshift.store import Store
from tests.conftest import FIXTURES

DOCS = FIXTURES / "coding"


def invoke(*args, db):
    return CliRunner().invoke(app, list(args), env={"POLICYSHIFT_DB": str(db), "COLUMNS": "200"})


def test_code_writes_jsonl_to_stdout_and_reports_bad_documents(tmp_path):
    result = invoke("code", str(DOCS / "story.md"), db=tmp_path / "s.duckdb")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["source_actor"], r["target_actor"], r["cameo_code"]) for r in rows] == [
        ("IND", "PAKGOV", "174"), ("PAK", "IND", "1243")]
    bad = invoke("code", str(DOCS / "docs.jsonl"), "--out", str(tmp_path / "e.jsonl"), db=tmp_path / "s.duckdb")
    assert bad.exit_code == 0
    assert "skipped: docs.jsonl:4: document afp-3 skipped: date '22/09/2001' is not YYYY-MM-DD" in bad.stderr
    assert "coded 3 documents, 7 sentences: 6 events" in bad.stderr


def test_ingest_stores_events_with_provenance(tmp_path):
    db = tmp_path / "s.duckdb"
    docs = tmp_path / "docs.jsonl"
    shutil.copy(DOCS / "docs.jsonl", docs)
    result = invoke("code", str(docs), "--ingest", db=db)
    assert result.exit_code == 0, result.output
    out = tmp_path / "docs.jsonl.events.jsonl"
    assert "6 events stored, 0 quarantined" in result.stderr
    with Store(db, read_only=True) as store:
        rows = store.con.execute(
            "SELECT event_id, date, source_actor, source_country, source_sector, target_actor, cameo_code, "
            "root_code, quad_class, goldstein, dataset, origin_document, origin_sentence, origin_offsets, "
            "origin_file, origin_line, origin_url FROM events ORDER BY origin_line").fetchall()
    assert len(rows) == 6
    first = rows[0]
    assert first[:9] == ("coded:afp-1:0:0", date(2001, 10, 7), "GBRMIL", "GBR", "MIL",
                         "TAL", "195", "19", 4)
    assert first[10:13] == ("coded", "afp-1", ("American and British aircraft bombed Taliban positions near "
                                              "Kandahar on Sunday. "))
    offsets = json.loads(first[13])
    assert offsets["sentence_index"] == 0 and offsets["verb"] == [30, 36] and offsets["pattern"] == "bomb positions"
    assert (first[14].endswith("docs.jsonl.events.jsonl"), first[15], first[16]) == (True, 1, "https://example.org/afp-1")
    assert out.exists()
    # Coding again continues (nothing left) and the file is already stored: nothing doubles.
    again = invoke("code", str(docs), "--ingest", db=db)
    assert again.exit_code == 0 and "already ingested" in again.stderr
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 6


def test_bad_input_is_one_line_and_exit_1(tmp_path):
    result = invoke("code", str(tmp_path / "missing.txt"), db=tmp_path / "s.duckdb")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr
    (tmp_path / "bad.jsonl").write_text("not json\n")
    result = invoke("code", str(tmp_path / "bad.jsonl"), db=tmp_path / "s.duckdb")
    assert result.exit_code == 1 and "no document could be coded" in result.stderr
    result = invoke("code", str(DOCS / "story.md"), "--date", "3 Jan", db=tmp_path / "s.duckdb")
    assert result.exit_code == 1 and "--date" in result.stderr


def test_the_coded_reader_is_detected_by_content(tmp_path):
    from policyshift.ingest.registry import resolve_reader
    from policyshift.ingest.source import Source

    out = tmp_path / "events.jsonl"
    invoke("code", str(DOCS / "story.md"), "--out", str(out), db=tmp_path / "s.duckdb")
    assert resolve_reader("auto", Source.inspect(out)).name == "coded"


def test_source_only_and_future_intent_are_options(tmp_path):
    doc = tmp_path / "d.jsonl"
    doc.write_text(json.dumps({"id": "d1", "date": "1990-08-10",
                               "text": "Iraq threatened to retaliate. Iraq will attack Kuwait."}) + "\n")

    def coded(*flags):
        result = invoke("code", str(doc), *flags, db=tmp_path / "s.duckdb")
        assert result.exit_code == 0, result.output
        return [(r["source_actor"], r["target_actor"], r["cameo_code"][:2]) for r in
                (json.loads(line) for line in result.stdout.splitlines())]

    plain = coded()
    assert ("IRQ", None, "13") not in plain and ("IRQ", "KWT", "19") in plain  # the act as stated
    assert ("IRQ", None, "13") in coded("--source-only")  # a threat that names no target
    assert ("IRQ", "KWT", "13") in coded("--future-intent")  # "will attack": an intention, CAMEO 138
    result = invoke("code", str(doc), "--source-only", "--ingest", db=tmp_path / "s.duckdb")
    assert result.exit_code == 0 and "1 document," in result.stderr and "0 quarantined" in result.stderr
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM events WHERE target_actor IS NULL").fetchone()[0] == 1
