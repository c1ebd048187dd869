"""Every error has one shape, {"error": {"code", "message", "field"}}, a 4xx for bad input, and a
message that says how to fix it; pages show the same message with the same status."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

S = "/api/series?source=PAK&target=AFG"
# (request, status, code, field, a phrase of the fix the message must give)
BAD = [
    ("/api/series?source=XXQ&target=AFG", 400, "bad_option", "source", "policyshift stats lists"),
    ("/api/series?source=PAK&target=AFX", 400, "bad_option", "target", "nearest codes in the store: AFG"),
    ("/api/series?source=P&target=AFG", 400, "bad_option", "source", "CAMEO-style code"),
    (f"{S}&from=2001-13-45", 400, "bad_option", "from", "YYYY-MM-DD"),
    (f"{S}&to=yesterday", 400, "bad_option", "to", "YYYY-MM-DD"),
    (f"{S}&from=2003-01-01&to=2001-01-01", 400, "bad_option", None, "swap them"),
    (f"{S}&from=2030-01-01&to=2031-12-31", 400, "bad_option", "from", "choose dates inside"),
    ("/api/series?source=IND&target=TAL", 400, "bad_option", "source", "try --undirected, a wider"),
    (f"{S}&by=century", 400, "bad_option", "by", "use one of day, week, month, quarter, year"),
    (f"{S}&undirected=maybe", 422, "invalid_parameter", "undirected", "fix the value"),
    ("/api/series?target=AFG", 422, "invalid_parameter", "source", "fix the value"),
    ("/api/changes?source=PAK&target=TAL&measure=happiness", 400, "bad_option", "measure", "use one of"),
    ("/api/changes?source=PAK&target=TAL&top=1000", 422, "invalid_parameter", "top", "fix the value"),
    ("/api/events/pk:999999", 404, "not_found", "event_id", "list ids with /api/events"),
    ("/api/events?limit=10001", 422, "invalid_parameter", "limit", "fix the value"),
    ("/api/events?limit=0", 422, "invalid_parameter", "limit", "fix the value"),
    ("/api/events?source=XXQ", 400, "bad_option", "source", "policyshift stats lists"),
    ("/api/events?from=2001-02-30", 400, "bad_option", "from", "YYYY-MM-DD"),
    ("/api/dyad/events?source=XXQ&target=AFG", 400, "bad_option", "source", "policyshift stats lists"),
    ("/api/dyad/events?source=PAK&target=AFG&by=century", 400, "bad_option", "by", "use one of day, week"),
    ("/api/dyad/events?source=PAK&target=AFG&limit=10001", 422, "invalid_parameter", "limit", "fix the value"),
    ("/api/triad?broker=USA&a=PAK&b=PAKGOV", 400, "bad_option", "a", "choose actors that do not contain each other"),
    ("/api/shift?at=2001-13-45", 400, "bad_option", "at", "YYYY-MM-DD"),
    ("/api/shift?at=2001-09-11&top=5000", 422, "invalid_parameter", "top", "fix the value"),
    ("/api/compliance?spec=builtin:nowhere", 404, "not_found", "spec", "builtin:pakistan_2001"),
    ("/api/compliance?spec=../../etc/passwd", 400, "bad_option", "spec", "--specs"),
    ("/api/ledger", 400, "bad_option", "actor", "actor=PAK"),
    ("/api/ledger?actor=PAK&at=2001-09-45", 400, "bad_option", "at", "YYYY-MM-DD"),
    ("/api/nothing-here", 404, "not_found", None, "start from /"),
    ("/dyad.csv?source=PAK&target=AFG&by=century", 400, "bad_option", "by", "use one of"),
    ("/chart/dyad.png?source=XXQ&target=AFG", 400, "bad_option", "source", "policyshift stats lists"),
    ("/chart/dyad.gif?source=PAK&target=AFG", 422, "invalid_parameter", "fmt", "fix the value"),
]


@pytest.mark.parametrize(("url", "status", "code", "field", "fix"), BAD, ids=[b[0] for b in BAD])
def test_bad_request_has_the_one_error_shape(client: TestClient, url: str, status: int, code: str,
                                             field: str | None, fix: str) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code
    assert body["error"]["field"] == field
    message = body["error"]["message"]
    assert fix in message and "Traceback" not in message and "\n" not in message
    assert ";" in message, "every message ends with how to fix it"


PAGES = [
    ("/dyad?source=XXQ&target=AFG", "/api/series?source=XXQ&target=AFG", 400),
    ("/dyad?source=PAK&target=AFG&from=2001-13-45", "/api/series?source=PAK&target=AFG&from=2001-13-45", 400),
    ("/dyad?source=PAK&target=AFG&by=century", "/api/series?source=PAK&target=AFG&by=century", 400),
    ("/event/pk:999999", "/api/events/pk:999999", 404),
    ("/triad?broker=USA&a=PAK&b=AFG&at=2001-02-30", "/api/triad?broker=USA&a=PAK&b=AFG&at=2001-02-30", 400),
    ("/case?spec=builtin:nowhere", "/api/compliance?spec=builtin:nowhere", 404),
    ("/dyad?source=PAK&target=AFG&undirected=maybe", "/api/series?source=PAK&target=AFG&undirected=maybe", 422),
]


@pytest.mark.parametrize(("page", "api", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_show_the_api_message_with_its_status(client: TestClient, page: str, api: str, status: int) -> None:
    html = client.get(page)
    assert html.status_code == status
    shown = re.search(r'data-testid="error"[^>]*>([^<]*)<', html.text)
    assert shown, html.text[:500]
    import html as html_lib

    assert html_lib.unescape(shown.group(1)) == client.get(api).json()["error"]["message"]


def test_a_fault_is_500_in_the_same_shape_without_a_traceback(client: TestClient) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]

    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/api/test-boom", boom)
    try:
        response = client.get("/api/test-boom")
    finally:
        app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", "") != "/api/test-boom"]
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret internals" not in response.text and "Traceback" not in response.text
