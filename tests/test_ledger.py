"""The ledger against hand-classified fixtures (one per rule type), the window, roles, errors, and the case.

Each fixture row says in its comment which line it must land on; the case tests check the article's
benefits and costs of Pakistan by category and date, computed from the case data.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from policyshift.backends import Backend, duckdb_backend
from policyshift.cli import app
from policyshift.errors import InputFileError, UsageError
from policyshift.ingest import ingest_file
from policyshift.ledger import Ledger, country_of, ledger, load_rules, parse_rules
from policyshift.roles import Role, load_roles
from policyshift.store import Store

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "src" / "policyshift" / "cases" / "pakistan_2001"
COLUMNS = ["event_id", "date", "date_precision", "source_actor", "source_country", "target_actor", "cameo_code",
           "location_country", "origin_sentence", "origin_document"]
AT = "2001-06-01"

# (date, precision, source, source_country, target, cameo, location, description)
ROWS = [
    ("2001-07-01", "day", "USAGOV", "", "PAKGOV", "071", "", "US gives economic aid to Pakistan."),  # aid
    ("2001-07-02", "day", "PCL", "", "PAKGOV", "071", "", "The Paris Club reschedules Pakistan's debt."),  # debt relief
    ("2001-07-03", "day", "EUR", "", "PAKGOV", "061", "", "The EU cuts tariffs on Pakistani textiles."),  # trade pref.
    ("2001-07-04", "day", "EUR", "", "PAKGOV", "061", "", "The EU and Pakistan cooperate on energy."),  # econ. coop.
    ("2001-03-01", "day", "USAGOV", "", "PAKGOV", "163", "", "US sanctions on Pakistan."),  # sanctions, before
    ("2001-08-01", "day", "USAMIL", "", "PAKREB", "195", "PAK", "A drone strike on militants."),  # raids on soil
    ("2001-08-02", "day", "USAMIL", "", "PAKMIL", "195", "PAK", "An air strike on a border post."),  # attacks
    ("2001-08-03", "day", "USAMIL", "", "ALQ", "195", "AFG", "A strike in Afghanistan."),  # not Pakistan's
    ("2001-08-04", "day", "PAKOPP", "", "PAKGOV", "141", "PAK", "Protests against the government."),  # domestic opp.
    ("2001-08-05", "day", "PAKREB", "", "PAKGOV", "185", "PAK", "An attempt on the president's life."),  # militants
    ("2001-08-06", "day", "PAKMIL", "", "PAKGOV", "190", "PAK", "A coup."),  # the state to itself: nothing
    ("2001-08-07", "day", "PAKGOV", "", "USAGOV", "071", "USA", "Pakistan gives aid."),  # A gives: nothing
    ("2001-08-08", "day", "USAGOV", "", "PAKGOV", "010", "", "A statement on Pakistan."),  # unclassified
    ("2001-05-01", "month", "INDGOV", "", "PAKGOV", "112", "", "India accuses Pakistan."),  # accusations, before
    ("2001-06-01", "month", "INDGOV", "", "PAKGOV", "111", "", "India criticises Pakistan."),  # after, spans --at
    ("1999-01-01", "day", "USAGOV", "", "PAKGOV", "071", "", "Aid long before."),  # outside a 365-day window
    ("2001-06-01", "day", "USAGOV", "", "PAKGOV", "042", "", "A visit on the day."),  # visits, after (the day)
    ("2001-05-31", "day", "USAGOV", "", "PAKGOV", "042", "", "A visit the day before."),  # visits, before
    ("2000-01-10", "day", "USAGOV", "", "MUSHARRAF", "051", "", "Praise for Musharraf."),  # support (role, 2000)
    ("2009-01-10", "day", "USAGOV", "", "MUSHARRAF", "051", "", "Praise for Musharraf."),  # no role in 2009
    ("2001-09-01", "day", "USAGOV", "", "PAKGOV", "162", "", "The US suspends security assistance."),  # mil. aid cut
    ("2001-09-02", "day", "USAGOV", "", "PAKGOV", "162", "", "The US cuts development aid."),  # aid cut
    ("2001-09-03", "day", "TTP", "PAK", "PAKGOV", "183", "PAK", "A bombing by a Pakistani group."),  # militants
    ("2001-08-09", "day", "USAGOV", "", "AFGGOV", "042", "PAK", "A US-Afghan meeting in Pakistan."),  # unclassified
    ("2001-10-01", "day", "USAGOV", "", "PAKGOV", "050", "", "The US designates Pakistan a major ally."),  # alliance
    ("2001-10-02", "day", "USAGOV", "", "PAKGOV", "050", "", "US officials rally behind Pakistan."),  # not "ally"
    ("2000-02-01", "day", "UNO", "", "TAL", "163", "AFG", "UN sanctions on the Taliban."),  # AFGGOV in 2000
    ("2005-02-01", "day", "UNO", "", "TAL", "163", "AFG", "UN sanctions on the Taliban."),  # not AFGGOV in 2005
]


def write_events(path: Path, rows: Sequence[tuple[str, ...]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i, (day, precision, source, country, target, code, place, text) in enumerate(rows, start=1):
            writer.writerow([f"f:{i}", day, precision, source, country, target, code, place, text, "fixture"])
    return path


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    tmp = tmp_path_factory.mktemp("ledger")
    store = Store(tmp / "f.duckdb")
    assert ingest_file(store, write_events(tmp / "f.csv", ROWS), dataset="csv").stored == len(ROWS)
    store.add_roles([Role("MUSHARRAF", "PAKGOV", date(1999, 10, 12), date(2008, 8, 18))], origin="test")
    yield store
    store.close()


@pytest.fixture(scope="module")
def backend(fixture_store: Store) -> Backend:
    return duckdb_backend(fixture_store)


@pytest.fixture(scope="module")
def fixture_ledger(backend: Backend) -> Ledger:
    return ledger(backend, "PAK", at=AT, window=365)


def descriptions(result: Ledger, **key: str) -> list[str]:
    return [e.description or "" for e in result.events(**key)]


def test_each_rule_type_lands_on_its_line(fixture_ledger: Ledger) -> None:
    got = {e.description: e.category for ln in fixture_ledger.lines for e in ln.events}
    assert got == {
        "US gives economic aid to Pakistan.": "aid",  # codes only
        "The Paris Club reschedules Pakistan's debt.": "debt relief",  # keywords win over the aid rule
        "The EU cuts tariffs on Pakistani textiles.": "trade preferences",
        "The EU and Pakistan cooperate on energy.": "economic cooperation",  # 061 without keywords
        "US sanctions on Pakistan.": "sanctions",
        "A drone strike on militants.": "raids on its soil",  # on_soil, target not the state
        "An air strike on a border post.": "attacks",  # on the state: received
        "Protests against the government.": "domestic opposition",  # own_society
        "An attempt on the president's life.": "attacks by militants",
        "India accuses Pakistan.": "accusations and criticism",
        "India criticises Pakistan.": "accusations and criticism",
        "A visit on the day.": "visits and talks",
        "A visit the day before.": "visits and talks",
        "The US suspends security assistance.": "military aid cut",  # keyword rule before the generic 162
        "The US cuts development aid.": "aid cut",
        "A bombing by a Pakistani group.": "attacks by militants",  # own society by the source_country column
        "The US designates Pakistan a major ally.": "alliance status",
        "US officials rally behind Pakistan.": "diplomatic support",  # keywords begin a word: rally is no ally
    }


def test_domains_signs_and_counts(fixture_ledger: Ledger) -> None:
    (aid,) = fixture_ledger.find(category="aid")
    assert aid.key == {"domain": "economic", "sign": "benefit", "category": "aid"}
    assert (aid.sides["before"].events, aid.sides["after"].events) == (0, 1)
    assert aid.sides["after"].goldstein == pytest.approx(7.4)
    (acc,) = fixture_ledger.find(category="accusations and criticism")
    assert acc.key["domain"] == "diplomatic" and acc.key["sign"] == "cost"
    assert (acc.sides["before"].events, acc.sides["after"].events) == (1, 1)
    assert acc.sides["before"].imprecise == 1 and acc.sides["after"].imprecise == 1
    assert fixture_ledger.find(category="attacks by militants")[0].key["domain"] == "domestic"
    assert fixture_ledger.find(category="raids on its soil")[0].key["domain"] == "military"
    benefits = fixture_ledger.totals["benefit"]
    assert (benefits["before"].events, benefits["after"].events) == (1, 7)  # the visit before; 7 after
    costs = fixture_ledger.totals["cost"]
    assert (costs["before"].events, costs["after"].events) == (2, 8)
    assert costs["after"].goldstein == pytest.approx(-10 - 10 - 6.5 - 8 - 2 - 5.6 - 5.6 - 10)


def test_nothing_of_its_own_and_nothing_elsewhere(fixture_ledger: Ledger) -> None:
    listed = {e.description for ln in fixture_ledger.lines for e in ln.events}
    for text in ("A strike in Afghanistan.", "A coup.", "Pakistan gives aid."):
        assert text not in listed
    # In scope but matched by no rule: counted, not dropped.
    assert {(u["side"], u["cameo_code"], u["events"]) for u in fixture_ledger.unclassified} == {
        ("after", "010", 1), ("after", "042", 1)}


def test_the_window_and_the_day_itself(backend: Backend, fixture_ledger: Ledger) -> None:
    assert (fixture_ledger.start, fixture_ledger.end) == (date(2000, 6, 1), date(2002, 6, 1))
    assert "Aid long before." not in descriptions(fixture_ledger)
    (visits,) = fixture_ledger.find(category="visits and talks")
    assert {e.description: e.side for e in visits.events} == {"A visit on the day.": "after",
                                                              "A visit the day before.": "before"}
    wide = ledger(backend, "PAK", at=AT, window=1000)
    (aid,) = wide.find(category="aid")
    assert (aid.sides["before"].events, aid.sides["after"].events) == (1, 1)
    narrow = ledger(backend, "PAK", at=AT, window=1)
    assert {ln.key["category"] for ln in narrow.lines} == {"visits and talks", "accusations and criticism"}


def test_coarse_dates_are_placed_by_their_date_and_flagged(fixture_ledger: Ledger) -> None:
    events = {e.description: e for e in fixture_ledger.events(category="accusations and criticism")}
    may, june = events["India accuses Pakistan."], events["India criticises Pakistan."]
    assert (may.date, may.date_precision, may.side, may.spans_at) == (date(2001, 5, 1), "month", "before", False)
    assert (june.date, june.side, june.spans_at) == (date(2001, 6, 1), "after", True)


def test_roles_resolve_by_date(backend: Backend) -> None:
    whole = ledger(backend, "PAK")  # no date: one column over the whole store
    assert whole.at is None and set(whole.find(category="diplomatic support")[0].sides) == {"total"}
    praise = [e for e in whole.events(category="diplomatic support") if e.target_actor == "MUSHARRAF"]
    assert [(e.date, e.side, e.target_role) for e in praise] == [(date(2000, 1, 10), "total", "PAKGOV")]
    afg = ledger(backend, "AFGGOV")  # the Taliban are AFGGOV until 2001-11-13 (built-in roles)
    (sanction,) = afg.events(category="sanctions")
    assert (sanction.date, sanction.target_actor, sanction.target_role) == (date(2000, 2, 1), "TAL", "AFGGOV")


def test_group_by_sign_domain_and_source(backend: Backend) -> None:
    signs = ledger(backend, "PAK", at=AT, by="sign")
    assert [ln.key for ln in signs.lines] == [{"sign": "benefit"}, {"sign": "cost"}]
    assert signs.lines[1].sides["after"].events == 8
    domains = ledger(backend, "PAK", at=AT, by="domain")
    assert {"domain": "domestic", "sign": "cost"} in [ln.key for ln in domains.lines]
    sources = ledger(backend, "PAK", at=AT, by="source")
    econ = {ln.key["source"]: ln.sides["total"].events for ln in sources.find(category="economic cooperation")}
    assert econ == {"EUR": 1}
    assert {ln.key["source"] for ln in sources.find(category="attacks by militants")} == {"PAK"}


def test_max_events_keeps_the_counts(backend: Backend) -> None:
    capped = ledger(backend, "PAK", at=AT, max_events=1, by="sign")
    costs = capped.lines[1]
    assert (costs.sides["before"].events, costs.sides["after"].events) == (2, 8)
    listed = [(e.rule, e.side) for e in costs.events]
    assert len(listed) == len(set(listed)) == 9  # one per rule and side; attacks by militants has two after


def test_custom_rules_first_match_and_target(backend: Backend) -> None:
    rules = parse_rules({"rules": [
        {"category": "strikes on the state", "domain": "military", "sign": "cost", "codes": ["19"],
         "scope": "on_soil", "target": "state"},
        {"category": "other force", "domain": "military", "sign": "cost", "codes": ["18", "19"],
         "scope": "on_soil"},
    ]}, "test")
    result = ledger(backend, "PAK", at=AT, rules=rules)
    assert descriptions(result, category="strikes on the state") == ["An air strike on a border post."]
    assert descriptions(result, category="other force") == ["A drone strike on militants."]


def test_country_of() -> None:
    assert [country_of(a) for a in ("PAK", "PAKGOV", "AFGGOV", "TAL", "UNO", "EUR", "NATO")] == [
        "PAK", "PAK", "AFG", None, None, None, None]


# --- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "message"), [
    ({"actor": "XYZ"}, "ACTOR: unknown actor XYZ: no event in the store has an actor code starting with it"),
    ({"actor": "pa k"}, "ACTOR: not an actor code: 'pa k'"),
    ({"at": "2001-13-01"}, "--at: not a date: '2001-13-01'; use YYYY-MM-DD"),
    ({"at": AT, "window": 0}, "--window: the window must be a whole number of days, 1 or more (got 0)"),
    ({"at": "1950-01-01"}, "is outside the data, which runs from 1999-01-01 to 2009-01-10"),
    ({"by": "year"}, "--by: unknown grouping 'year'; use one of category, domain, sign, source"),
    ({"max_events": 0}, "--max-events must be 1 or more"),
])
def test_error_messages(backend: Backend, kwargs: dict, message: str) -> None:
    actor = kwargs.pop("actor", "PAK")
    with pytest.raises(UsageError) as e:
        ledger(backend, actor, **kwargs)
    assert message in str(e.value)


def test_empty_store(store: Store) -> None:
    with pytest.raises(UsageError, match="the store holds no events.*ingest files first"):
        ledger(duckdb_backend(store), "PAK")


@pytest.mark.parametrize(("rule", "message"), [
    ({"codes": [71]}, "field codes = 71: a CAMEO code must be quoted"),
    ({"codes": ["99"]}, "field codes = '99': not a CAMEO code or family"),
    ({"codes": []}, "codes must be a non-empty list"),
    ({"domain": "social"}, "field domain = 'social': unknown domain; use one of economic, military"),
    ({"sign": "gain"}, "unknown sign; use one of benefit, cost"),
    ({"scope": "abroad"}, "unknown scope; use one of received, on_soil, own_society"),
    ({"target": "people"}, "unknown target; use one of state, not_state"),
    ({"keywords": "debt"}, "keywords must be a list of words"),
    ({"codez": ["07"]}, "unknown key 'codez'"),
    ({"category": None}, "the rule has no category; add category:"),
])
def test_rule_errors(rule: dict, message: str) -> None:
    entry = {"category": "aid", "domain": "economic", "sign": "benefit", "codes": ["07"], **rule}
    with pytest.raises(InputFileError) as e:
        parse_rules({"rules": [entry]}, "rules.yaml")
    assert str(e.value).startswith("rules.yaml rule 1:") and message in str(e.value)


def test_rule_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="rule 2: field category = 'aid': category 'aid' is military cost here "
                                             "but economic benefit in rule 1"):
        parse_rules([{"category": "aid", "domain": "economic", "sign": "benefit", "codes": ["07"]},
                     {"category": "aid", "domain": "military", "sign": "cost", "codes": ["19"]}], "r")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - category: aid\n   domain: [\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"bad.yaml line \d+: not valid YAML"):
        load_rules(bad)
    with pytest.raises(InputFileError, match="cannot read the rules file.*--rules"):
        load_rules(tmp_path / "missing.yaml")
    with pytest.raises(InputFileError, match="non-empty list under rules:"):
        parse_rules({"rules": []}, "r")


def test_builtin_rules_are_documented() -> None:
    rules, source = load_rules()
    assert source == "policyshift ledger_rules.yaml" and len(rules) > 20
    doc = (ROOT / "docs" / "ledger.md").read_text(encoding="utf-8")
    missing = sorted({r.category for r in rules if f"| {r.category} |" not in doc})
    assert missing == [], f"docs/ledger.md lacks rules for {missing}"
    assert "365" in doc and "days" in doc


# --- the command --------------------------------------------------------------------------------

def invoke(*args: str, db: Path) -> Result:
    return CliRunner().invoke(app, ["ledger", *args, "--db", str(db)], env={"COLUMNS": "200"})


def test_cli_formats_and_errors(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    with Store(db) as store:  # its own file: the module's store is open for writing in this process
        ingest_file(store, write_events(tmp_path / "f.csv", ROWS), dataset="csv")
    out = invoke("PAK", "--at", AT, "--format", "json", db=db)
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert (doc["actor"], doc["at"], doc["window_days"]) == ("PAK", AT, 365)
    line = next(ln for ln in doc["lines"] if ln["category"] == "aid")
    assert line["after"] == {"events": 1, "goldstein": 7.4, "imprecise": 0}
    assert line["events"][0]["citation"] == "fixture" and line["events"][0]["date"] == "2001-07-01"
    table = invoke("PAK", "--at", AT, db=db)
    assert table.exit_code == 0 and "debt relief" in table.stdout and "2001-05 (month) " in table.stdout
    assert "2001-06 (month, spans --at)" in table.stdout
    rows = list(csv.DictReader(invoke("PAK", "--at", AT, "--format", "csv", db=db).stdout.splitlines()))
    assert {"domain", "sign", "category", "before", "after_goldstein"} <= set(rows[0])
    events = list(csv.DictReader(invoke("PAK", "--at", AT, "-f", "csv", "--events", db=db).stdout.splitlines()))
    assert len(events) == sum(int(r["total"]) for r in rows)
    bad = invoke("PAK", "--at", "13/09/2001", db=db)
    assert bad.exit_code == 1 and "--at: not a date" in bad.output and "Traceback" not in bad.output


# --- the case -----------------------------------------------------------------------------------

def case_ledger(tmp: Path, events_csv: Path, **kwargs: object) -> Ledger:
    store = Store(tmp / "case.duckdb")
    try:
        ingest_file(store, events_csv, dataset="csv")
        store.add_roles(load_roles(CASE / "roles.yaml"), origin="case")
        return ledger(duckdb_backend(store), "PAK", **kwargs)  # type: ignore[arg-type]
    finally:
        store.close()


def months(result: Ledger, category: str, side: str = "after") -> set[str]:
    return {e.date.isoformat()[:7] for e in result.events(category=category, side=side)}


def sources(result: Ledger, category: str, month: str) -> set[str]:
    return {e.source_actor or "" for e in result.events(category=category) if e.date.isoformat().startswith(month)}


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    # 4000 days each side reaches from the 1998 sanctions to the Salala strike of 2011-11-26.
    return case_ledger(tmp_path_factory.mktemp("case"), CASE / "events.csv", at="2001-09-13", window=4000)


def test_case_benefits(case: Ledger) -> None:
    assert "2001-09" in months(case, "sanctions easing")
    assert any(e.date == date(2001, 9, 22) for e in case.events(category="sanctions easing"))
    assert "IMF" in sources(case, "loans and credit", "2001-12")
    assert "PCL" in sources(case, "debt relief", "2001-12")
    assert "EUR" in sources(case, "trade preferences", "2001-12")
    assert "2004-06" in months(case, "alliance status")
    assert {"2003", "2009"} <= {m[:4] for m in months(case, "aid")}


def test_case_costs(case: Ledger) -> None:
    assert any(s.startswith("IND") for s in sources(case, "accusations and criticism", "2001-12"))
    assert any(s.startswith("IND") for s in sources(case, "military pressure", "2001-12"))
    assert "2001-10" in months(case, "domestic opposition")
    assert "2003-12" in months(case, "attacks by militants")
    assert {"2004-06", "2011-05"} <= months(case, "raids on its soil")
    assert "2011-11" in months(case, "attacks")
    assert "1998-05" in months(case, "sanctions", side="before")
    assert case.totals["benefit"]["after"].events > case.totals["benefit"]["before"].events
    assert case.totals["cost"]["after"].events > 0


def test_changing_the_case_data_changes_the_ledger(tmp_path: Path, case: Ledger) -> None:
    with open(CASE / "events.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = list(reader.fieldnames or []), list(reader)
    kept = [r for r in rows if not (r["cameo_code"] == "085" and r["date"] == "2001-09-22")]  # no waiver
    for r in kept:
        if r["date"] == "2004-06-18" and r["cameo_code"] == "195":
            r["location_country"] = "AFG"  # the drone strike, moved out of Pakistan
    kept.append({**{k: "" for k in fields}, "event_id": "x:1", "date": "2002-05-01", "date_precision": "day",
                 "source_actor": "USAGOV", "target_actor": "PAKGOV", "cameo_code": "163",
                 "origin_sentence": "New sanctions.", "origin_document": "test"})
    changed_csv = tmp_path / "events.csv"
    with open(changed_csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)
    changed = case_ledger(tmp_path, changed_csv, at="2001-09-13", window=4000)
    assert "2001-09" in months(case, "sanctions easing") and "2001-09" not in months(changed, "sanctions easing")
    assert "2004-06" not in months(changed, "raids on its soil") and "2011-05" in months(changed, "raids on its soil")
    assert months(changed, "sanctions") == {"2002-05"} and "2002-05" not in months(case, "sanctions")
