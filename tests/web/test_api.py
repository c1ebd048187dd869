"""The JSON API answers what the CLI prints with --format json, over real HTTP and concurrently."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from policyshift.cli import app as cli
from policyshift.errors import PolicyshiftError
from policyshift.store import Store
from policyshift.web import create_app
from policyshift.web.errors import QueryTimeout
from policyshift.web.reader import reading
from tests.web.conftest import serve_log

DEMANDS = str(files("policyshift.cases").joinpath("pakistan_2001", "demands.yaml"))

# (API URL, the CLI arguments that must print the same document)
SAME_AS_CLI = [
    ("/api/series?source=PAK&target=AFG", ["series", "PAK", "AFG"]),
    ("/api/series?source=PAK&target=AFG&by=quarter&from=1999-01-01&to=2004-12-31&undirected=1&normalize=1",
     ["series", "PAK", "AFG", "--by", "quarter", "--from", "1999-01-01", "--to", "2004-12-31", "--undirected",
      "--normalize"]),
    ("/api/changes?source=PAK&target=AFG", ["changes", "PAK", "AFG"]),
    ("/api/changes?source=PAK&target=TAL", ["changes", "PAK", "TAL"]),
    ("/api/changes?source=PAK&target=TAL&by=quarter&measure=goldstein_mean&top=2",
     ["changes", "PAK", "TAL", "--by", "quarter", "--measure", "goldstein_mean", "--top", "2"]),
    ("/api/events?source=PAK&target=TAL&limit=5&offset=2",
     ["events", "--source", "PAK", "--target", "TAL", "--limit", "5", "--offset", "2"]),
    ("/api/triad?broker=USA&a=PAK&b=AFG&at=2001-09-13", ["triad", "USA", "PAK", "AFG", "--at", "2001-09-13"]),
    ("/api/saydo?source=PAK&target=AFG&by=year", ["saydo", "PAK", "AFG", "--by", "year"]),
    ("/api/shift?at=2001-09-11&focal=PAK&min_events=2", ["shift", "--at", "2001-09-11", "--focal", "PAK",
                                                          "--min-events", "2"]),
    ("/api/compliance?spec=builtin:pakistan_2001", ["compliance", DEMANDS]),
    ("/api/ledger?actor=PAK&at=2001-09-13&window=365&max_events=10000",
     ["ledger", "PAK", "--at", "2001-09-13", "--window", "365", "--max-events", "10000"]),
    ("/api/overview?top=5", ["stats", "--top", "5"]),
]


def cli_json(db: Path, args: list[str]) -> object:
    result = CliRunner().invoke(cli, [*args, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("url", "args"), SAME_AS_CLI, ids=[u for u, _ in SAME_AS_CLI])
def test_api_equals_cli_json(client: TestClient, web_db: Path, url: str, args: list[str]) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(web_db, args)


# The demo's headline break: Pakistan's conflictual acts toward Afghanistan's government (the
# Taliban held the role, AFGGOV, until 2001-11-13) jump in September 2001.
HEADLINE = "source=PAK&target=AFG&measure=conflict"


def test_changes_find_the_2001_break_with_its_drivers(client: TestClient) -> None:
    doc = client.get(f"/api/changes?{HEADLINE}").json()
    turn = [b for b in doc["breaks"] if b["date"][:7] == "2001-09"]
    assert len(turn) == 1 and turn[0]["after"] > turn[0]["before"]
    drivers = turn[0]["drivers"]
    assert drivers and all(d["contribution"] > 0 for d in drivers)


def test_ledger_of_a_spec_takes_its_focal_actor_date_and_window(client: TestClient) -> None:
    by_spec = client.get("/api/ledger?spec=builtin:pakistan_2001").json()
    assert (by_spec["actor"], by_spec["at"], by_spec["window_days"]) == ("PAK", "2001-09-13", 365)
    explicit = client.get("/api/ledger?actor=PAK&at=2001-09-13&window=365").json()
    assert by_spec == explicit


def test_event_by_id_is_the_row_events_lists(client: TestClient) -> None:
    rows = client.get("/api/events?source=PAK&target=TAL&limit=3").json()
    assert len(rows) == 3
    for row in rows:
        one = client.get(f"/api/events/{row['event_id']}")
        assert one.status_code == 200
        assert one.json() == row
        assert row["origin_file"] and row["origin_line"] >= 2  # every row knows its file and line


def test_actors_autocomplete_lists_codes_by_prefix_most_events_first(client: TestClient) -> None:
    doc = client.get("/api/actors?q=pak&limit=10").json()
    codes = [a for a in doc["actors"] if a["kind"] == "actor"]
    assert codes and all(a["code"].startswith("PAK") for a in codes)
    counts = [a["events"] for a in codes]
    assert counts == sorted(counts, reverse=True)
    stats = client.get("/api/overview?top=100").json()
    pak = next(a["events"] for a in stats["top_actors"] if a["actor"] == "PAKGOV")
    assert next(a["events"] for a in codes if a["code"] == "PAKGOV") == pak
    roles = client.get("/api/actors?q=AFGGOV").json()["actors"]
    assert any(h.startswith("TAL") for a in roles for h in a.get("held_by", []))  # the Taliban held AFGGOV
    every = [a["code"] for a in client.get("/api/actors?q=&limit=100").json()["actors"]]
    assert len(every) == len(set(every))
    assert client.get("/api/actors?q=ZZZ").json()["actors"] == []


def test_openapi_schema_lists_every_api_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for name in ("overview", "actors", "series", "changes", "events", "events/{event_id}", "dyad/events", "triad",
                 "saydo", "shift", "compliance", "ledger"):
        assert f"/api/{name}" in paths
    limit = next(p for p in paths["/api/events"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 10_000


def test_concurrent_requests_over_real_http_all_succeed_and_agree(live_server: str, client: TestClient) -> None:
    # Fifty different URLs, so that none is answered from the server's cache: each runs its queries
    # on cursors of its own, at the same time as the others.
    paths = ([f"/api/events?source=PAK&limit={i + 1}" for i in range(15)]
             + [f"/api/series?source=PAK&target=AFG&from=1999-01-01&to=2002-{i + 1:02d}-28" for i in range(12)]
             + [f"/api/changes?source=PAK&target=TAL&top={i + 1}" for i in range(8)]
             + [f"/dyad?source=PAK&target=TAL&limit={i + 1}" for i in range(10)]
             + [f"/api/triad?broker=USA&a=PAK&b=AFG&to=200{i}-12-31" for i in range(2, 7)])
    assert len(set(paths)) == 50
    with httpx.Client(timeout=120, limits=httpx.Limits(max_connections=50)) as c, ThreadPoolExecutor(50) as pool:
        responses = list(pool.map(lambda p: c.get(f"{live_server}{p}"), paths))
    assert [r.status_code for r in responses] == [200] * 50
    assert [r.headers["x-cache"] for r in responses] == ["miss"] * 50
    assert [r.content for r in responses] == [client.get(p).content for p in paths]


def test_answers_are_kept_per_url_but_faults_are_not(web_db: Path) -> None:
    app = create_app(web_db)
    try:
        c = TestClient(app)
        first, second = c.get("/api/changes?source=PAK&target=TAL"), c.get("/api/changes?source=PAK&target=TAL")
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
        assert first.content == second.content and first.headers["content-type"] == second.headers["content-type"]
        assert c.get("/api/changes?source=PAK&target=TAL&top=2").headers["x-cache"] == "miss"
    finally:
        app.state.server.close()
    slow = create_app(web_db, timeout=1e-6)
    try:
        c = TestClient(slow)
        assert [c.get("/api/series?source=PAK&target=AFG").headers["x-cache"] for _ in range(2)] == ["miss"] * 2
    finally:
        slow.state.server.close()


def test_serve_prints_its_url_on_localhost(live_server: str, web_db: Path) -> None:
    assert live_server.startswith("http://127.0.0.1:")
    assert f"policyshift serving {web_db} at {live_server}/" in serve_log(web_db).read_text().splitlines()
    assert "policyshift" in httpx.get(f"{live_server}/").text


def test_serve_without_a_store_says_so_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "absent.duckdb")])
    assert result.exit_code == 1
    assert "no store here" in result.output and "Traceback" not in result.output


def test_a_query_past_the_timeout_is_interrupted(web_db: Path) -> None:
    store = Store(web_db, read_only=True)
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout) as caught, reading(store.con, store.path, [], timeout=0.3) as reader:
            reader.con.execute("SELECT count(*) FROM range(100000000000) a").fetchall()
        assert time.monotonic() - started < 10
        assert isinstance(caught.value, PolicyshiftError) and "0.3 s" in str(caught.value)
        with reading(store.con, store.path, [], timeout=5) as reader:  # the connection still works after
            assert reader.con.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    finally:
        store.close()


def test_timeout_answers_503_in_the_error_shape(web_db: Path) -> None:
    app = create_app(web_db, timeout=1e-6)
    try:
        response = TestClient(app).get("/api/series?source=PAK&target=AFG")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "query_timeout"
    finally:
        app.state.server.close()


def test_dyad_page_marks_the_breaks_and_lists_drivers_and_events(client: TestClient) -> None:
    html = client.get(f"/dyad?{HEADLINE}&by=month&undirected=0").text
    doc = client.get(f"/api/changes?{HEADLINE}").json()
    marks = re.findall(r'data-testid="break" data-period="([^"]+)" data-date="([^"]+)"', html)
    assert marks == [(b["date"][:7], b["date"]) for b in doc["breaks"]]
    assert ("2001-09", "2001-09-01") in marks
    turn = marks.index(("2001-09", "2001-09-01"))
    drivers = re.search(r'<ol data-testid="drivers" data-period="2001-09">(.*?)</ol>', html, re.DOTALL)
    assert drivers and re.findall(r'href="/event/([^"]+)"', drivers.group(1)) == \
        [d["event_id"] for d in doc["breaks"][turn]["drivers"]]
    rows = re.findall(r'<tr data-testid="event-row" data-event-id="([^"]+)">\s*<td><a href="/event/([^"]+)"', html)
    listed = [e["event_id"] for e in client.get("/api/dyad/events?source=PAK&target=AFG").json()]
    assert [r[0] for r in rows] == [r[1] for r in rows] == listed


def test_event_page_shows_the_provenance(client: TestClient) -> None:
    event = client.get("/api/events/pk:019").json()
    html = client.get("/event/pk:019").text
    block = re.search(r'data-testid="provenance">(.*?)</dl>', html, re.DOTALL)
    assert block
    fields = dict(re.findall(r'data-field="(\w+)">([^<]*)<', block.group(1)))
    assert fields["dataset"] == event["dataset"] and fields["file"] == event["origin_file"]
    assert fields["line"] == str(event["origin_line"])
    assert fields["sentence"] == event["origin_sentence"]


def test_case_page_shows_the_api_compliance_and_ledger(client: TestClient) -> None:
    html = client.get("/case?spec=builtin:pakistan_2001").text
    doc = client.get("/api/compliance?spec=builtin:pakistan_2001").json()
    shown = re.findall(r'<tr data-demand="([^"]+)" data-status="([^"]+)">', html)
    assert shown == [(d["id"], d["status"]) for d in doc["demands"]] and len(shown) == 7
    assert 'data-testid="ledger"' in html and "Ledger of PAK" in html


def test_exports_are_the_api_numbers_as_attachments(client: TestClient) -> None:
    query = "source=PAK&target=TAL&by=quarter"
    periods = client.get(f"/api/series?{query}").json()["periods"]
    response = client.get(f"/dyad.csv?{query}")
    assert response.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["period"], int(r["events"])) for r in rows] == [(p["period"], p["events"]) for p in periods]
    events = list(csv.DictReader(io.StringIO(client.get("/events.csv?source=PAK&target=TAL&limit=4").text)))
    assert [e["event_id"] for e in events] == [e["event_id"] for e in
                                               client.get("/api/events?source=PAK&target=TAL&limit=4").json()]
    actors = list(csv.DictReader(io.StringIO(client.get("/overview.csv?table=top_actors&top=5").text)))
    assert actors == [{k: str(v) for k, v in a.items()} for a in client.get("/api/overview?top=5").json()["top_actors"]]
    png = client.get(f"/chart/dyad.png?{query}")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client.get(f"/chart/dyad.svg?{query}")
    assert svg.headers["content-type"] == "image/svg+xml" and b"<svg" in svg.content
    assert svg.headers["content-disposition"].startswith("attachment")
