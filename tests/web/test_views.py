"""What the pages show agrees with what they compute: the dyad table lists the events behind the
chart, the chart draws empty periods and levels honestly, the triad marks its date, counts agree
with their nouns, the autocomplete names each role holder once, and a long daily series is
examined on a coarser one. Every expectation comes from the API or the store, not from numbers
written here."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from policyshift.detect.changepoints import detect_changes
from policyshift.store import Store
from policyshift.web.app import STATIC
from policyshift.web.charts import line_chart, period_label, values
from policyshift.web.limits import DETECT_MAX_PERIODS
from policyshift.web.pages import segment_levels
from policyshift.web.render import plural

CASE = "from=1996-01-01&to=2005-12-31"


def event_ids(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="event-row" data-event-id="([^"]+)">', html)


def chart_of(html: str) -> str:
    found = re.search(r'<svg[^>]*data-testid="chart".*?</svg>', html, re.DOTALL)
    assert found, "the page has no chart"
    return found.group(0)


@pytest.mark.parametrize("query", [f"source=PAK&target=AFG&{CASE}", f"source=PAK&target=AFG&{CASE}&undirected=1",
                                   "source=PAK&target=AFGGOV&by=quarter", f"source=PAK&target=TAL&by=day&{CASE}"])
def test_dyad_table_lists_exactly_the_events_behind_the_chart(client: TestClient, query: str) -> None:
    series = client.get(f"/api/series?{query}").json()
    by = series["by"]
    html = client.get(f"/dyad?{query}&limit=10000").text
    listed = event_ids(html)
    api = client.get(f"/api/dyad/events?{query}&limit=10000").json()
    exported = list(csv.DictReader(io.StringIO(client.get(f"/dyad/events.csv?{query}&limit=10000").text)))
    assert listed == [e["event_id"] for e in api] == [e["event_id"] for e in exported]
    # Period by period, the rows are the series' counts: no more, no fewer.
    per_period = Counter(period_label(e["date"], by) for e in api)
    counted = {period_label(p["period"], by): p["events"] for p in series["periods"] if p["events"]}
    assert dict(per_period) == counted and len(listed) == sum(counted.values()) > 0
    assert f"The {plural(len(listed), 'event')} the chart counts" in html
    assert re.search(r'data-testid="export-csv" href="/dyad/events\.csv\?', html)


def test_dyad_table_resolves_roles_by_date(client: TestClient, web_db: Path) -> None:
    # The Taliban held AFGGOV: their events of those years are PAK -> AFG events, in the chart and the table.
    store = Store(web_db, read_only=True)
    try:
        held = [r for r in store.roles() if r.role.startswith("AFG") and r.valid_to is not None]
    finally:
        store.close()
    assert held
    rows = client.get(f"/api/dyad/events?source=PAK&target=AFG&{CASE}&limit=10000").json()
    by_role = [e for e in rows if not e["target_actor"].startswith("AFG")]
    assert by_role, "some PAK -> AFG events reach AFG through a role"
    for e in by_role:
        assert any(e["target_actor"].startswith(r.code) and str(r.valid_from) <= e["date"] <= str(r.valid_to)
                   for r in held)
    prefix_only = client.get(f"/api/events?source=PAK&target=AFG&{CASE}&limit=10000").json()
    assert {e["event_id"] for e in prefix_only} < {e["event_id"] for e in rows}


def test_count_measure_is_one_line_through_zero_periods(client: TestClient) -> None:
    series = client.get(f"/api/series?source=PAK&target=TAL&{CASE}").json()["periods"]
    assert any(p["events"] == 0 for p in series)
    svg = chart_of(client.get(f"/dyad?source=PAK&target=TAL&{CASE}&measure=events").text)
    lines = re.findall(r'<polyline class="series" points="([^"]+)"', svg)
    assert len(lines) == 1 and len(lines[0].split()) == len(series)


def test_mean_measure_is_dots_where_defined_and_segment_levels(client: TestClient) -> None:
    query = f"source=PAK&target=TAL&{CASE}"
    series = client.get(f"/api/series?{query}").json()["periods"]
    doc = client.get(f"/api/changes?{query}").json()
    assert any(p["net_cooperation"] is None for p in series)
    svg = chart_of(client.get(f"/dyad?{query}&measure=net_cooperation").text)
    assert "<polyline" not in svg, "an undefined period must not break the line into pieces"
    dots = re.findall(r'<circle class="series-dot"', svg)
    assert len(dots) == sum(p["net_cooperation"] is not None for p in series)
    # One level per segment between breaks, as the detector reads it (an empty period counts as 0).
    levels = [float(m) for m in re.findall(r'data-testid="segment"[^>]*data-mean="([^"]+)"', svg)]
    if doc["breaks"]:
        expected = [doc["breaks"][0]["before"], *(b["after"] for b in doc["breaks"])]
    else:
        expected = [sum(p["net_cooperation"] or 0 for p in series) / len(series)]
    assert levels == pytest.approx(expected, rel=1e-5)
    firsts = re.findall(r'data-testid="segment" data-first="([^"]+)"', svg)
    assert firsts == [series[0]["period"][:7], *(b["date"][:7] for b in doc["breaks"])]


def test_segment_levels_are_the_detectors_before_and_after() -> None:
    # A seeded sparse series with a known turn: cooperative, then conflictual, from period 30 on.
    rng = np.random.default_rng(7)
    n = 60
    days = pd.period_range("2000-01", periods=n, freq="M").start_time
    events = rng.poisson(1.2, n)
    coop = np.where(np.arange(n) < 30, rng.binomial(events, 0.9), rng.binomial(events, 0.1))
    frame = pd.DataFrame({"events": events, "net_cooperation": (2 * coop - events) / np.where(events, events, np.nan)},
                         index=days)
    assert frame["net_cooperation"].isna().any()
    found = detect_changes(frame, measure="net_cooperation", alpha=0.05)
    assert len(found) == 1 and abs(found[0].index - 30) <= 3  # the turn, give or take the noise
    breaks, k = [b.to_dict() for b in found], found[0].index
    levels = segment_levels(frame, "net_cooperation", "zero", [d.date() for d in days], breaks)
    assert [(s.first, s.last) for s in levels] == [(0, k), (k, n - 1)]
    assert [s.level for s in levels] == pytest.approx([breaks[0]["before"], breaks[0]["after"]])
    svg = line_chart([d.date() for d in days], values(frame["net_cooperation"]), by="month", label="net",
                     breaks=breaks, levels=levels)
    assert svg.count('data-testid="segment"') == 2 and "<polyline" not in svg


def test_close_breaks_keep_legible_labels() -> None:
    # Breaks a period or two apart: each label is shown in a row of its own, or left out (and
    # marked) when no row has room; none overlaps another.
    days = [d.date() for d in pd.period_range("2000-01", periods=120, freq="M").start_time]
    breaks = [{"date": days[i], "before": 0.0, "after": 1.0, "confidence": 0.99} for i in (40, 41, 42, 44, 45, 90, 119)]
    svg = str(line_chart(days, [1.0] * len(days), by="month", label="x", breaks=breaks))
    groups = re.findall(r'<g class="break"[^>]*>.*?</g>', svg)
    assert len(groups) == len(breaks)
    boxes = []
    for g in groups:
        text = re.search(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)">([^<]+)</text>', g)
        if text is None:
            assert 'data-label="hidden"' in g and "<title>break at" in g
            continue
        x, y, anchor, label = float(text[1]), float(text[2]), text[3], text[4]
        width = len(label) * 6.0  # an 11px digit is at most about 6 px wide
        left = x if anchor == "start" else x - width
        assert 0 <= left and left + width <= 900
        boxes.append((left, left + width, y))
    assert len(boxes) >= 4
    for i, (l1, r1, y1) in enumerate(boxes):
        for l2, r2, y2 in boxes[i + 1:]:
            assert y1 != y2 or r1 <= l2 or r2 <= l1, (boxes, i)


def test_close_break_labels_do_not_overlap_in_a_browser() -> None:
    # The same chart measured by chromium: the text boxes as drawn, in the page's own stylesheet.
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium on PATH: apt-get install chromium")
    days = [d.date() for d in pd.period_range("2000-01-01", periods=400, freq="D").start_time]
    breaks = [{"date": days[i], "before": 0.0, "after": 1.0, "confidence": 0.99} for i in (100, 103, 105, 108, 399)]
    svg = str(line_chart(days, [1.0] * len(days), by="day", label="x", breaks=breaks))
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_content(f"<style>{css}</style>{svg}")
            boxes = page.eval_on_selector_all(
                "svg.chart .break text", "ts => ts.map(t => { const b = t.getBBox(); "
                "return [b.x, b.y, b.x + b.width, b.y + b.height]; })")
        finally:
            browser.close()
    assert len(boxes) >= 4
    for i, (l1, t1, r1, b1) in enumerate(boxes):
        assert 0 <= l1 and r1 <= 900
        for l2, t2, r2, b2 in boxes[i + 1:]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (boxes, i)


def test_triad_chart_marks_its_at_date(client: TestClient) -> None:
    query = "broker=USA&a=PAK&b=AFG&by=quarter&from=1996-01-01&to=2005-12-31&at=2001-09-11"
    doc = client.get(f"/api/triad?{query}").json()
    svg = chart_of(client.get(f"/triad?{query}").text)
    marks = re.findall(r'<g class="at" data-testid="at" data-period="([^"]+)" data-date="([^"]+)"', svg)
    assert marks == [(f"at {doc['at']}", doc["at"])]
    levels = [float(m) for m in re.findall(r'data-testid="segment"[^>]*data-mean="([^"]+)"', svg)]
    share = doc["change"]["broker_share"]
    assert levels == pytest.approx([share["before"], share["after"]])
    # The line stands at the period holding the date (which counts as "after").
    quarter = period_label(doc["at"], "quarter")
    after = re.findall(r'data-testid="segment" data-first="([^"]+)"', svg)[1]
    assert after == quarter
    assert 'data-testid="at"' not in chart_of(client.get("/triad?" + query.split("&at=")[0]).text)


def test_plural_agrees_with_its_count() -> None:
    assert [plural(n, "file") for n in (0, 1, 2, 1234)] == ["0 files", "1 file", "2 files", "1,234 files"]
    assert plural(1, "query", "queries") == "1 query" and plural(3, "query", "queries") == "3 queries"


@pytest.mark.parametrize("path", ["/", f"/dyad?source=PAK&target=TAL&{CASE}", f"/dyad?source=PAK&target=AFG&{CASE}",
                                  "/shift?at=2001-09-11&focal=PAK&window=12&top=20&min_events=1",
                                  "/case?spec=builtin:pakistan_2001&window=1"])
def test_pages_never_say_one_with_a_plural(client: TestClient, path: str) -> None:
    html = client.get(path).text
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"(?<![\d.,])1 (files|events|breaks|periods|dyads|days)\b", text), path
    assert "(s)" not in text
    if path == "/":
        files = client.get("/api/overview").json()["files"]
        assert f"from {plural(files, 'file')} (" in text


def test_autocomplete_names_each_role_holder_once_with_its_ranges(client: TestClient, web_db: Path) -> None:
    store = Store(web_db, read_only=True)
    try:
        roles = store.roles()
    finally:
        store.close()
    for entry in client.get("/api/actors?q=&limit=100").json()["actors"] + \
            client.get("/api/actors?q=AFGGOV").json()["actors"]:
        if "held_by" not in entry:
            continue
        codes = [h["code"] for h in entry["holders"]]
        assert len(codes) == len(set(codes)) == len(entry["held_by"]), entry
        for h, text in zip(entry["holders"], entry["held_by"]):
            truth = {(str(r.valid_from) if r.valid_from else None, str(r.valid_to) if r.valid_to else None)
                     for r in roles if r.role == entry["code"] and r.code == h["code"]}
            assert [(s["from"], s["to"]) for s in h["ranges"]] == sorted(truth, key=lambda s: s[0] or "")
            assert text.startswith(f"{h['code']} (") and all(s["from"] in text for s in h["ranges"] if s["from"])
    afggov = client.get("/api/actors?q=AFGGOV").json()["actors"][0]
    tal = [h for h in afggov["holders"] if h["code"] == "TAL"]
    assert len(tal) == 1 and len(tal[0]["ranges"]) == 2  # 1996-2001 and from 2021


def test_long_daily_series_is_examined_on_a_coarser_one(client: TestClient) -> None:
    query = "source=PAK&target=TAL&by=day&from=1996-01-01&to=2005-12-31"
    days = len(client.get(f"/api/series?{query}").json()["periods"])
    assert days > DETECT_MAX_PERIODS
    html = client.get(f"/dyad?{query}").text
    note = re.search(r'data-testid="detect-note">(.*?)</span>', html, re.DOTALL)
    assert note and "week series" in note.group(1) and f"{days:,} periods" in note.group(1)
    weekly = client.get("/api/changes?" + query.replace("by=day", "by=week")).json()
    marks = re.findall(r'data-testid="break" data-period="([^"]+)" data-date="([^"]+)"', chart_of(html))
    assert [d for _, d in marks] == [b["date"] for b in weekly["breaks"]]
    # The chart still has every day; the API (and the CLI) still detect on every day.
    assert len(re.findall(r'<polyline class="series" points="([^"]+)"', chart_of(html))) == 0
    assert client.get(f"/api/changes?{query}").json()["periods"] == days
