"""`policyshift demo` end to end, and the proof that its findings come from the data, not from the code.

The demo runs once (module fixture, through the CLI in-process); the other tests read its files.
The data test copies the case folder, removes events by what they are (source, target, date, CAMEO
code), never by id, and checks that the conclusions they carry no longer hold.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policyshift.backends import duckdb_backend
from policyshift.cli import app
from policyshift.report import builtin_spec_path, load_case_files, load_case_spec
from policyshift.report.rules import Finding, evaluate
from policyshift.report.workbench import Workbench
from policyshift.store import Store

CASE = builtin_spec_path("pakistan_2001").parent
IDS = ["taliban_turn", "afg_relations_stabilised", "us_broker", "dual_policy", "gains_and_costs"]
SECTIONS = ["findings", "timeline", "series", "triad", "saydo", "compliance", "ledger", "methods"]


class Page(HTMLParser):
    """What a reader's browser would need: ids, internal links, images, captions, external references."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[dict[str, str]] = []
        self.captions = 0
        self.external: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag == "img":
            self.images.append(a)
        if tag == "figcaption":
            self.captions += 1
        if tag == "table":
            self.tables += 1
        for key in ("src", "href"):
            if a.get(key, "").startswith(("http:", "https:", "//")) and tag in ("img", "script", "link"):
                self.external.append(a[key])


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("demo") / "out"
    result = CliRunner().invoke(app, ["demo", "--out", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return {"out": out, "output": result.output}


def test_demo_writes_the_store_the_report_and_the_findings(demo: dict[str, Any]) -> None:
    out = demo["out"]
    for name in ("policyshift.duckdb", "report.html", "findings.json"):
        assert (out / name).stat().st_size > 0, name
    with Store(out / "policyshift.duckdb", read_only=True) as store:  # what `serve --db` will open
        n = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
        case_roles = store.con.execute("SELECT count(*) FROM actors WHERE origin = 'case'").fetchone()[0]
    with (CASE / "events.csv").open(encoding="utf-8") as f:
        assert n == sum(1 for _ in csv.DictReader(f))
    assert case_roles > 0


def test_terminal_shows_each_finding_and_where_the_report_is(demo: dict[str, Any]) -> None:
    lines = demo["output"].splitlines()
    for finding_id in IDS:
        line = next(x for x in lines if x.strip().startswith(finding_id))
        assert ("holds" in line or "does not hold" in line) and any(ch.isdigit() for ch in line), line
    assert any(x.startswith("report:") and x.rstrip().endswith("report.html") for x in lines)
    assert any("every command opens it with --db" in x for x in lines)


def test_findings_json_has_one_entry_per_conclusion_with_its_evidence(demo: dict[str, Any]) -> None:
    doc = json.loads((demo["out"] / "findings.json").read_text(encoding="utf-8"))
    assert [f["id"] for f in doc["findings"]] == IDS
    known = _event_ids(CASE / "events.csv")
    for f in doc["findings"]:
        assert isinstance(f["holds"], bool) and f["statement"] and f["rule"]["text"] and f["numbers"], f["id"]
        assert f["event_ids"], f"{f['id']} cites no events"
        assert set(f["event_ids"]) <= known, f["id"]
    demands = doc["compliance"]["demands"]
    assert [d["id"] for d in demands] == [str(i) for i in range(1, 8)]
    assert all(d["status"] == d["expected"] for d in demands), demands


def test_findings_follow_their_rules(demo: dict[str, Any]) -> None:
    """Each holds agrees with its own deciding numbers (so a rule cannot say holds against them)."""
    doc = {f["id"]: f for f in json.loads((demo["out"] / "findings.json").read_text(encoding="utf-8"))["findings"]}
    turn = doc["taliban_turn"]
    assert turn["holds"], turn["verdict"]
    b = turn["numbers"]["deciding_break"]
    assert "2001-09-01" <= b["date"] <= "2001-12-31" and b["size"] < 0 and b["confidence"] >= 0.9
    assert set(b["drivers"]) == set(turn["event_ids"])
    broker = doc["us_broker"]["numbers"]
    assert doc["us_broker"]["holds"] == (broker["difference"] >= 0.1)
    assert broker["events_before"] == broker["broker_events_before"] + broker["direct_events_before"]
    gains = doc["gains_and_costs"]
    assert gains["holds"] and len(gains["numbers"]["benefits_within"]) >= 3
    assert all(0 <= b["months_after"] <= 6 for b in gains["numbers"]["benefits_within"])
    dual = doc["dual_policy"]["numbers"]
    assert doc["dual_policy"]["holds"] == (dual["partner"]["net_cooperation"] > 0 and dual["partner"]["material_coop"] > 0
                                           and bool(dual["material_cooperation_with_other"] or dual["accusations"]))
    stable = doc["afg_relations_stabilised"]["numbers"]
    assert doc["afg_relations_stabilised"]["holds"] == (
        stable["rise"] is not None and stable["rise"] >= 0.5
        and stable["after"]["conflict_share"] <= stable["before"]["conflict_share"])


def test_report_renders_every_section_chart_and_caption_offline(demo: dict[str, Any]) -> None:
    html = (demo["out"] / "report.html").read_text(encoding="utf-8")
    page = parse(html)
    assert set(SECTIONS) <= page.ids
    assert len(page.images) >= 7  # timeline, 4 dyads, triad, say-do, ledger
    assert all(i["src"].startswith("data:image/png;base64,") and i.get("alt") for i in page.images)
    assert page.captions == len(page.images)
    assert page.external == []
    missing = sorted(set(page.links) - page.ids)
    assert missing == [], f"links to nowhere: {missing}"
    for finding_id in IDS:
        assert f"finding-{finding_id}" in page.ids
    assert "Khudayberdiyev" in html and "events.csv:" in html  # citations and provenance are shown


# --- the findings come from the data --------------------------------------------------------------

def _event_ids(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as f:
        return {row["event_id"] for row in csv.DictReader(f)}


def _findings_without(tmp_path: Path, drop: Callable[[dict[str, str]], bool]) -> dict[str, Finding]:
    """The case's findings on a copy of its data without the rows ``drop`` selects."""
    folder = tmp_path / "case"
    shutil.copytree(CASE, folder)
    with (CASE / "events.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        fields = reader.fieldnames or []
    kept = [r for r in rows if not drop(r)]
    assert 0 < len(rows) - len(kept) < len(rows)
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)
    spec = load_case_spec(folder / "case.yaml")
    with Store(tmp_path / "copy.duckdb") as store:
        load_case_files(store=store, spec=spec)
        bench = Workbench(duckdb_backend(store), spec)
        return {f.id: evaluate(bench, f) for f in spec.findings}


def _day(row: dict[str, str]) -> date:
    return date.fromisoformat(row["date"][:10])


def test_without_pakistans_acts_toward_the_taliban_after_2001_the_turn_is_gone(tmp_path: Path) -> None:
    found = _findings_without(tmp_path, lambda r: r["source_actor"].startswith("PAK")
                              and r["target_actor"].startswith("TAL") and _day(r) >= date(2001, 9, 1))
    assert not found["taliban_turn"].holds, found["taliban_turn"].verdict
    assert "do not support" in found["taliban_turn"].verdict or "Could not" in found["taliban_turn"].verdict
    # The refuge was one of those acts: the second track of the dual policy goes with it.
    assert not found["dual_policy"].holds
    assert found["gains_and_costs"].holds  # what was not touched still holds


def test_without_the_economic_relief_of_2001_the_gains_are_gone(tmp_path: Path) -> None:
    relief = ("06", "07", "08")  # economic cooperation, aid, eased sanctions

    def drop(r: dict[str, str]) -> bool:
        return r["target_actor"].startswith("PAK") and r["cameo_code"].startswith(relief) \
            and date(2001, 9, 1) <= _day(r) <= date(2002, 3, 31)

    found = _findings_without(tmp_path, drop)
    gains = found["gains_and_costs"]
    assert not gains.holds and gains.numbers["benefits_within"] == [], gains.verdict
    assert found["taliban_turn"].holds
