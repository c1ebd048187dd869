"""The web app in a real browser: Playwright driving the system's chromium against ``policyshift serve``.

What a user does: open the overview, pick PAK and AFG in the dyad explorer (typing, with the
autocomplete), read the chart, follow an event to its provenance, export the table as CSV, and
visit the triad, say-do, shift and case views. Every answer is checked against the JSON API of the
same server or against the case's own CSV file, never against numbers written here.

Screenshots of each main page go to build/screenshots/ (git-ignored) for a person to look at.
Playwright cannot download browsers here: the tests use ``chromium`` from PATH (``.ci/run``
installs Debian's) and skip, saying so, when it is missing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The demo's headline break: Pakistan's turn against Afghanistan's government (the Taliban held
# the role, AFGGOV, until 2001-11-13) in September 2001, seen in the count of conflictual acts.
CASE_RANGE = {"from": "1996-01-01", "to": "2005-12-31"}
BREAK_QUERY = {"source": "PAK", "target": "AFG", "measure": "conflict", **CASE_RANGE}
BREAK_WINDOW = ("2001-08", "2001-10")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: apt-get install chromium "
                                                          "(Playwright's own browsers cannot be downloaded here)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    yield pg
    context.close()
    # A page that works but throws in its script (or is refused by the CSP) is still broken.
    assert [p for p in problems if "status of 4" not in p] == []


def shoot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000, f"{path} is (nearly) blank"
    return path


def api(base: str, path: str, **params: str) -> Any:
    r = httpx.get(f"{base}{path}", params=params, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def no_error(page: Any) -> None:
    errors = page.locator('[data-testid="error"]')
    assert errors.count() == 0, errors.first.inner_text()


def submit_dyad(page: Any, base: str, *, source: str, target: str, extra: dict[str, str],
                measure: str | None = None) -> None:
    """Fill the dyad form as a user would (typing into each field, picking the measure) and submit it."""
    page.goto(f"{base}/dyad")
    form = page.locator('[data-testid="dyad-form"]')
    form.locator('input[name="source"]').fill(source)
    form.locator('input[name="target"]').fill(target)
    for name, value in extra.items():
        form.locator(f'input[name="{name}"]').fill(value)
    if measure is not None:
        form.locator('select[name="measure"]').select_option(measure)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    no_error(page)


def test_overview_shows_the_store_and_links_to_dyads(page: Any, live_server: str) -> None:
    doc = api(live_server, "/api/overview")
    response = page.goto(f"{live_server}/")
    assert response is not None and response.status == 200
    no_error(page)
    section = page.locator('[data-testid="overview"]')
    assert str(doc["events"]) in section.inner_text()
    assert doc["first"] in section.inner_text() and doc["last"] in section.inner_text()
    top = page.locator('[data-testid="top-dyads"] a')
    assert top.count() == len(doc["top_dyads"])
    shoot(page, "overview")
    first = doc["top_dyads"][0]
    with page.expect_navigation():
        top.first.click()
    query = parse_qs(urlparse(page.url).query)
    assert (query["source"], query["target"]) == ([first["source"]], [first["target"]])
    assert page.locator('[data-testid="chart"]').is_visible()


def test_autocomplete_suggests_known_actors(page: Any, live_server: str) -> None:
    expected = {a["code"] for a in api(live_server, "/api/actors", q="AF", limit="20")["actors"]}
    assert "AFG" in expected
    page.goto(f"{live_server}/dyad")
    target = page.locator('input[name="target"]')
    target.click()
    target.press_sequentially("AF", delay=30)
    options = page.locator("datalist#actors option")
    page.wait_for_function("() => document.querySelectorAll('datalist#actors option').length > 0 && "
                           "[...document.querySelectorAll('datalist#actors option')].every(o => o.value.startsWith('AF'))")
    shown = {options.nth(i).get_attribute("value") for i in range(options.count())}
    assert shown == expected


def test_dyad_explorer_events_provenance_and_csv(page: Any, live_server: str) -> None:
    submit_dyad(page, live_server, source="PAK", target="AFG", extra=CASE_RANGE)
    query = parse_qs(urlparse(page.url).query)
    assert query["source"] == ["PAK"] and query["target"] == ["AFG"] and query["from"] == [CASE_RANGE["from"]]
    assert page.locator('[data-testid="chart"]').is_visible()
    shoot(page, "dyad-pak-afg")

    # The table lists the events behind the chart (roles resolved by date: the Taliban count as
    # AFG until 2001-11-13), as /api/dyad/events lists them for the same query, in the same order.
    events = api(live_server, "/api/dyad/events", source="PAK", target="AFG", **CASE_RANGE)
    assert "pk:017" in [e["event_id"] for e in events], "PAK -> TAL in 2001-09 counts as PAK -> AFG"
    rows = page.locator('[data-testid="event-row"]')
    assert [rows.nth(i).get_attribute("data-event-id") for i in range(rows.count())] == [e["event_id"] for e in events]

    # Export: the download's header and rows are the API's fields and events.
    link = page.locator('[data-testid="export-csv"][href^="/dyad/events.csv"]')
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    table = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert table[0] == list(events[0].keys())
    assert len(table) - 1 == len(events)
    assert [r[0] for r in table[1:]] == [e["event_id"] for e in events]

    # Provenance: the first event's page names the case CSV and the line that holds it.
    first = events[0]["event_id"]
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    assert urlparse(page.url).path == f"/event/{first}"
    provenance = page.locator('[data-testid="provenance"]')
    file = Path(provenance.locator('[data-field="file"]').inner_text().strip())
    line = int(provenance.locator('[data-field="line"]').inner_text())
    assert file.name == "events.csv" and file.exists()
    assert file.read_text(encoding="utf-8").splitlines()[line - 1].startswith(f"{first},")
    shoot(page, "event")


def test_chart_marks_the_break_of_september_2001(page: Any, live_server: str) -> None:
    submit_dyad(page, live_server, source="PAK", target="AFG", extra=CASE_RANGE, measure="conflict")
    assert parse_qs(urlparse(page.url).query)["measure"] == ["conflict"]
    doc = api(live_server, "/api/changes", **BREAK_QUERY)
    marks = page.locator('[data-testid="chart"] [data-testid="break"]')
    periods = [marks.nth(i).get_attribute("data-period") for i in range(marks.count())]
    assert len(periods) == len(doc["breaks"])
    near = [p for p in periods if p and BREAK_WINDOW[0] <= p <= BREAK_WINDOW[1]]
    assert near, f"no break between {BREAK_WINDOW[0]} and {BREAK_WINDOW[1]}: {periods}"
    # The break's driving events are listed and link to their provenance.
    drivers = page.locator(f'[data-testid="drivers"][data-period="{near[0]}"] a')
    assert drivers.count() > 0
    api(live_server, f"/api/events/{drivers.first.inner_text()}")
    # The chart exports: a real PNG and an SVG, for the same query.
    for testid, magic in (("export-png", b"\x89PNG"), ("export-svg", b"<svg")):
        href = page.locator(f'[data-testid="{testid}"]').get_attribute("href")
        assert parse_qs(urlparse(href).query)["target"] == ["AFG"]
        body = httpx.get(f"{live_server}{href}", timeout=60).content
        assert magic in body[:400], (testid, body[:100])
    shoot(page, "dyad")


@pytest.mark.parametrize(("name", "path", "table"), [
    ("triad", "/triad?broker=USA&a=PAK&b=AFG&by=quarter&from=1996-01-01&to=2005-12-31&at=2001-09-11", "triad-table"),
    ("saydo", "/saydo?source=PAK&target=USA&by=year", "saydo-table"),
    ("shift", "/shift?at=2001-09-11&focal=PAK&window=12&top=20&min_events=1", "shift-table"),
    ("case", "/case?spec=builtin:pakistan_2001", "compliance-table"),
])
def test_view_renders_its_table(page: Any, live_server: str, name: str, path: str, table: str) -> None:
    response = page.goto(f"{live_server}{path}")
    assert response is not None and response.status == 200
    no_error(page)
    rows = page.locator(f'[data-testid="{table}"] tbody tr')
    assert rows.count() > 0
    # Each table can be exported; the export answers with a CSV attachment.
    href = page.locator('[data-testid="export-csv"]').first.get_attribute("href")
    r = httpx.get(f"{live_server}{href}", timeout=30)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    shoot(page, name)


def test_bad_input_shows_the_message(page: Any, live_server: str) -> None:
    response = page.goto(f"{live_server}/dyad?source=ZZZ&target=AFG")
    assert response is not None and response.status == 400
    message = page.locator('[data-testid="error"]').inner_text()
    assert "ZZZ" in message
    # The form keeps what the user typed, so the fix is one edit away.
    assert page.locator('input[name="source"]').input_value() == "ZZZ"
    assert re.search(r"unknown actor", message)
