"""`policyshift report --spec`: the same kind of report for any case over any store.

The main fixture is another case written here, seeded, with a known truth: Turkey's behaviour toward
Syria turns from cooperation to conflict in 2011-04, the United States' share of the triad rises
then, and Turkey's material support goes to Syrian rebels while it cooperates with the US. Its spec
loads the events and roles itself; the report must find what was built in and reject what was not.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policyshift.cli import app
from policyshift.errors import InputFileError
from policyshift.report import load_case_spec
from policyshift.store import Store
from tests.conftest import shared_path
from tests.test_demo import parse

BREAK = date(2011, 4, 1)
COOPERATE = {"verbal": ["042", "043", "051"], "material": ["057", "061", "064"]}
CONFLICT = {"verbal": ["112", "130", "125"], "material": ["163", "172", "190"]}
FIELDS = ["event_id", "date", "date_precision", "source_actor", "target_actor", "cameo_code", "origin_sentence",
          "origin_document"]

SPEC = """
name: Turkey and Syria after 2011 (synthetic test case)
source: policyshift tests, seeded synthetic events
focal: TUR
partners: [SYR, USA]
broker: {actor: USA, between: [TUR, SYR]}
at: 2011-04-01
by: month
from: 2009-01-01
to: 2013-12-31
events: tur_syr.csv
dataset: csv
roles: roles.yaml
timeline: {limit: 40}
findings:
  - id: turn
    statement: Turkey's behaviour toward Syria turns to conflict in spring 2011.
    rule: break
    dyad: [TUR, SYR]
    between: [2011-03-01, 2011-07-31]
  - id: broker
    statement: The United States comes to stand between Turkey and Syria.
    rule: broker_share
    min_rise: 0.1
  - id: calmer
    statement: Turkey and Syria are calmer and more cooperative in 2012-2013 than in 2009-2010.
    rule: contrast
    dyad: [TUR, SYR]
    before: [2009-01-01, 2010-12-31]
    after: [2012-01-01, 2013-12-31]
  - id: two_tracks
    statement: Turkey cooperates with the United States while supplying Syria's rebels.
    rule: dual_track
    partner: USA
    other: SYRREB
"""

ROLES = """
- code: ERDOGAN
  name: Recep Tayyip Erdogan
  role: TURGOV
  from: 2003-03-14
  source: synthetic test role
"""


def _month(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, 28))


def write_case(folder: Path, *, seed: int = 7) -> Path:
    """The synthetic case: events, roles, spec. Every month 2009-2013 gets events drawn by the rules above."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []

    def add(day: date, source: str, target: str, kind: dict[str, list[str]], what: str) -> None:
        mode = "verbal" if rng.random() < 0.5 else "material"
        rows.append({"event_id": f"ts:{len(rows) + 1:04d}", "date": day.isoformat(), "date_precision": "day",
                     "source_actor": source, "target_actor": target, "cameo_code": rng.choice(kind[mode]),
                     "origin_sentence": f"{source} {what} {target} (synthetic).",
                     "origin_document": f"synthetic report {len(rows) + 1}"})

    for year in range(2009, 2014):
        for month in range(1, 13):
            after = date(year, month, 1) >= BREAK
            for _ in range(rng.randint(3, 5)):
                friendly = rng.random() < (0.1 if after else 0.9)
                add(_month(year, month, rng.randint(1, 28)), rng.choice(["TURGOV", "ERDOGAN"]), "SYRGOV",
                    COOPERATE if friendly else CONFLICT, "acts toward")
            for _ in range(rng.randint(2, 3) if after else int(rng.random() < 0.3)):
                add(_month(year, month, rng.randint(1, 28)), "USAGOV", rng.choice(["TURGOV", "SYRGOV"]),
                    COOPERATE if rng.random() < 0.5 else CONFLICT, "deals with")
            if after:
                add(_month(year, month, rng.randint(1, 28)), "TURGOV", "USAGOV",
                    {"verbal": ["042"], "material": ["061"]}, "works with")
            if date(year, month, 1) >= date(2011, 9, 1) and month % 3 == 0:
                rows.append({"event_id": f"ts:{len(rows) + 1:04d}", "date": f"{year}-{month:02d}-15",
                             "date_precision": "day", "source_actor": "TURMIL", "target_actor": "SYRREB",
                             "cameo_code": "072", "origin_sentence": "Turkey supplies arms to Syrian rebels.",
                             "origin_document": "synthetic report"})
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "tur_syr.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    (folder / "roles.yaml").write_text(ROLES, encoding="utf-8")
    (folder / "case.yaml").write_text(SPEC, encoding="utf-8")
    return folder / "case.yaml"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def turkey(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("turkey")
    spec = write_case(folder / "case")
    db, out, findings = folder / "ts.duckdb", folder / "out" / "report.html", folder / "out" / "findings.json"
    result = invoke("report", "--spec", str(spec), "--out", str(out), "--db", str(db), "--findings", str(findings))
    assert result.exit_code == 0, result.output
    return {"spec": spec, "db": db, "out": out, "findings": findings, "output": result.output}


def test_report_on_another_case_finds_what_was_built_in(turkey: dict[str, Any]) -> None:
    doc = {f["id"]: f for f in json.loads(turkey["findings"].read_text(encoding="utf-8"))["findings"]}
    turn = doc["turn"]
    assert turn["holds"], turn["verdict"]
    assert "2011-03-01" <= turn["numbers"]["deciding_break"]["date"] <= "2011-07-31"
    assert doc["broker"]["holds"], doc["broker"]["verdict"]
    assert doc["broker"]["numbers"]["difference"] >= 0.1
    assert doc["two_tracks"]["holds"], doc["two_tracks"]["verdict"]
    assert doc["two_tracks"]["numbers"]["material_cooperation_with_other"]
    # Built in the other way round: it must not hold, and the report must say so.
    calmer = doc["calmer"]
    assert not calmer["holds"] and "do not support" in calmer["verdict"]
    assert calmer["numbers"]["rise"] < 0
    for finding in doc.values():
        assert finding["id"] in turkey["output"]


def test_report_on_another_case_has_the_general_sections(turkey: dict[str, Any]) -> None:
    page = parse(turkey["out"].read_text(encoding="utf-8"))
    assert {"findings", "timeline", "series", "triad", "saydo", "ledger", "methods"} <= page.ids
    assert "compliance" not in page.ids  # the spec names no demands
    assert len(page.images) == 6  # timeline, TUR->SYR, TUR->USA, triad, say-do, ledger
    assert page.captions == len(page.images)
    assert page.external == []
    assert sorted(set(page.links) - page.ids) == []


def test_the_spec_loads_its_files_once(turkey: dict[str, Any]) -> None:
    with Store(turkey["db"], read_only=True) as store:
        before = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
        roles = store.con.execute("SELECT count(*) FROM actors WHERE origin = 'case' AND code = 'ERDOGAN'").fetchone()[0]
    assert before > 300 and roles == 1
    again = turkey["out"].with_name("again.html")
    result = invoke("report", "--spec", str(turkey["spec"]), "--out", str(again), "--db", str(turkey["db"]),
                    "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["tested"] == 4 and doc["case"]["focal"] == "TUR"
    with Store(turkey["db"], read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == before


def test_report_over_a_real_icews_sample_degrades_to_notes(tmp_path: Path) -> None:
    """Two days of ICEWS: too short for breaks and tests; the report says so and still renders."""
    sample = shared_path("data", "icews_andybega_sample", "events.2018.sample.tab")
    spec = tmp_path / "usa_prk.yaml"
    spec.write_text(f"""
name: United States and North Korea, June 2018 (ICEWS sample)
focal: USA
partners: [PRK, CHN]
broker: {{actor: CHN, between: [USA, PRK]}}
at: 2018-06-02
by: day
events: {sample}
dataset: icews
findings:
  - id: turn
    statement: The US turns toward North Korea on 2018-06-02.
    rule: break
    dyad: [USA, PRK]
    between: [2018-06-01, 2018-06-02]
    direction: any
""", encoding="utf-8")
    out = tmp_path / "r.html"
    result = invoke("report", "--spec", str(spec), "--out", str(out), "--db", str(tmp_path / "i.duckdb"))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "too few periods" in html
    assert "does not hold" in html


# --- bad specs: one line naming the file, the key and the fix ----------------------------------------

def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = "name: x\nfocal: TUR\nat: 2011-04-01\n"


@pytest.mark.parametrize(("text", "expected"), [
    ("name: x\nfocus: TUR\nat: 2011-04-01\n", ["focus", "did you mean focal"]),
    ("name: x\nat: 2011-04-01\n", ["no focal", "add focal"]),
    (BASE.replace("2011-04-01", "2011-13-01"), ["at", "not a date", "YYYY-MM-DD"]),
    (BASE + "by: fortnight\n", ["by", "fortnight", "month"]),
    (BASE + "demands: nowhere.yaml\n", ["demands", "does not exist"]),
    (BASE + "findings:\n  - {id: a, statement: s, rule: brake}\n", ["unknown rule", "brake", "break"]),
    (BASE + "findings:\n  - {id: a, statement: s, rule: break, dyad: [TUR, SYR]}\n", ["needs between"]),
    (BASE + "findings:\n  - {id: a, statement: s, rule: break, dyad: [TUR, SYR], between: [2011-01-01, 2011-02-01], "
            "confidence: 0.9}\n", ["no parameter confidence", "min_confidence"]),
    (BASE + "findings:\n  - {id: a, statement: s, rule: contrast, dyad: TUR, before: [2009-01-01, 2010-12-31], "
            "after: [2012-01-01, 2013-12-31]}\n", ["dyad", "two actor codes"]),
    (BASE + "findings:\n  - {id: a, statement: s, rule: broker_share}\n", ["needs broker"]),
])
def test_bad_spec_says_what_where_and_how_to_fix(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = _spec(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        load_case_spec(path)
    message = str(info.value)
    assert str(path) in message
    for part in expected:
        assert part in message, message


def test_report_command_errors_are_one_line(tmp_path: Path) -> None:
    spec = write_case(tmp_path / "case")
    result = invoke("report", "--spec", str(spec), "--out", str(tmp_path / "r.txt"), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1 and "--out" in result.output and ".html" in result.output
    result = invoke("report", "--spec", "no_such_case", "--out", str(tmp_path / "r.html"))
    assert result.exit_code == 1 and "no_such_case" in result.output and "pakistan_2001" in result.output
    assert "Traceback" not in result.output


def test_every_rule_and_parameter_is_documented() -> None:
    from policyshift.report.rules import RULES, rule_module
    from policyshift.report.spec import KEYS

    text = (Path(__file__).resolve().parent.parent / "docs" / "case.md").read_text(encoding="utf-8")
    for name in RULES:
        assert f"**`{name}`**" in text, f"docs/case.md lacks the rule {name}"
        for param in rule_module(name).PARAMS:
            assert f"| {param} |" in text, f"docs/case.md lacks {name}'s parameter {param}"
    for key in KEYS:
        assert f"\n{key}:" in text, f"docs/case.md lacks the spec key {key}"
