"""Security: injection payloads in every parameter of every endpoint, path traversal through the
static, export and spec routes, bounded answers, and a server that binds 127.0.0.1 by default."""

from __future__ import annotations

import http.client
import shutil
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

import pytest
import typer
from fastapi.testclient import TestClient

from policyshift.cli import app as cli
from policyshift.web import create_app
from tests.web.conftest import fingerprint

PAYLOADS = ["'; DROP TABLE events; --", "PAK' OR '1'='1", "\" OR 1=1; DELETE FROM events; --",
            "1 UNION SELECT * FROM ingest_files --"]

# A valid request for each endpoint: the payload replaces one parameter at a time.
VALID: dict[str, dict[str, str]] = {
    "/": {}, "/api/overview": {"top": "5"}, "/overview.csv": {"table": "top_actors", "top": "5"}, "/api/actors": {"q": "PA", "limit": "5"},
    "/api/series": {"source": "PAK", "target": "TAL", "by": "month", "from": "1999-01-01", "to": "2003-12-31",
                    "undirected": "0", "normalize": "0"},
    "/api/changes": {"source": "PAK", "target": "TAL", "by": "month", "from": "1999-01-01", "to": "2003-12-31",
                     "undirected": "0", "normalize": "0", "measure": "net_cooperation", "method": "pelt",
                     "penalty": "bic", "min_size": "2", "max_breaks": "3", "alpha": "0.01", "top": "5"},
    "/api/events": {"source": "PAK", "target": "TAL", "actor": "PAK", "from": "1999-01-01", "to": "2003-12-31",
                    "dataset": "csv", "cameo": "1", "limit": "5", "offset": "0"},
    "/api/events/{event_id}": {"event_id": "pk:019"},
    "/api/dyad/events": {"source": "PAK", "target": "TAL", "by": "month", "from": "1999-01-01", "to": "2003-12-31",
                         "undirected": "0", "limit": "5", "offset": "0"},
    "/api/triad": {"broker": "USA", "a": "PAK", "b": "AFG", "by": "year", "from": "1999-01-01", "to": "2003-12-31",
                   "at": "2001-09-13"},
    "/api/saydo": {"source": "PAK", "target": "AFG", "by": "month", "from": "1997-01-01", "to": "2005-12-31"},
    "/api/shift": {"at": "2001-09-11", "focal": "PAK", "window": "12", "top": "5", "by": "month",
                   "measure": "events", "undirected": "0", "normalize": "0", "min_events": "2", "alpha": "0.05"},
    "/api/compliance": {"spec": "builtin:pakistan_2001", "as_of": "2003-01-01"},
    "/api/ledger": {"actor": "PAK", "at": "2001-09-13", "window": "365", "spec": "builtin:pakistan_2001",
                    "max_events": "10"},
    "/dyad": {"source": "PAK", "target": "TAL", "by": "month", "from": "1999-01-01", "to": "2003-12-31",
              "measure": "net_cooperation", "undirected": "0", "limit": "5", "offset": "0"},
    "/event/{event_id}": {"event_id": "pk:019"},
    "/triad": {"broker": "USA", "a": "PAK", "b": "AFG", "by": "year", "from": "1999-01-01", "to": "2003-12-31",
               "at": "2001-09-13"},
    "/saydo": {"source": "PAK", "target": "AFG", "by": "month", "from": "1997-01-01", "to": "2005-12-31"},
    "/shift": {"at": "2001-09-11", "focal": "PAK", "window": "12", "top": "5", "by": "month", "measure": "events",
               "min_events": "2"},
    "/case": {"spec": "builtin:pakistan_2001", "actor": "PAK", "at": "2001-09-13", "window": "365",
              "as_of": "2003-01-01"},
}
EXPORTS = {  # path: (the API endpoint it mirrors, the parameters it takes)
    "/dyad.csv": ("/api/series", "source target by from to undirected normalize"),
    "/changes.csv": ("/api/changes", "source target by from to undirected measure"),
    "/events.csv": ("/api/events", "source target actor from to limit offset"),
    "/dyad/events.csv": ("/api/dyad/events", "source target by from to undirected limit offset"),
    "/triad.csv": ("/api/triad", "broker a b by from to at"),
    "/saydo.csv": ("/api/saydo", "source target by from to"),
    "/shift.csv": ("/api/shift", "at focal window top by measure min_events"),
    "/case.csv": ("/api/compliance", "spec as_of"),
    "/ledger.csv": ("/api/ledger", "spec actor at window max_events"),
    "/chart/dyad.{fmt}": ("/api/changes", "source target by from to undirected measure"),
    "/chart/triad.{fmt}": ("/api/triad", "broker a b by from to at"),
    "/chart/saydo.{fmt}": ("/api/saydo", "source target by from to"),
    "/chart/shift.{fmt}": ("/api/shift", "at focal window top by measure min_events"),
}
for _path, (_api, _names) in EXPORTS.items():
    VALID[_path] = {n: VALID[_api][n] for n in _names.split()} | ({"fmt": "svg"} if "{fmt}" in _path else {})

# Free-text filters where an unknown value is valid syntax: an empty answer, not an error.
EMPTY_OK = {("/api/actors", "q"), ("/api/events", "dataset")}


def url_of(path: str, params: dict[str, str]) -> str:
    query = dict(params)
    for name in [n for n in query if "{" + n + "}" in path]:
        path = path.replace("{" + name + "}", quote(query.pop(name), safe=""))
    return path + ("?" + urlencode(query) if query else "")


def declared(client: TestClient, path: str) -> list[str]:
    """The parameters an endpoint takes: from the OpenAPI schema, or (pages) from VALID."""
    schema = client.get("/openapi.json").json()["paths"]
    if path in schema:
        return [p["name"] for p in schema[path]["get"].get("parameters", [])]
    return list(VALID[path])


def test_every_endpoint_is_covered(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["paths"]
    assert set(schema) <= set(VALID), set(schema) - set(VALID)
    for path in schema:
        assert set(declared(client, path)) == set(VALID[path]), path


CASES = [(path, name) for path in VALID for name in VALID[path]]


@pytest.mark.parametrize(("path", "name"), CASES, ids=[f"{p}:{n}" for p, n in CASES])
def test_injection_in_every_parameter_is_refused_or_finds_nothing(client: TestClient, web_db: Path, path: str,
                                                                  name: str) -> None:
    before = fingerprint(web_db)  # (test_no_endpoint_writes shows each VALID request answers 200)
    for payload in PAYLOADS:
        response = client.get(url_of(path, {**VALID[path], name: payload}))
        if (path, name) in EMPTY_OK:
            assert response.status_code == 200
            body = response.json()
            assert (body["actors"] if isinstance(body, dict) else body) == []
            continue
        assert response.status_code in (400, 404, 422), (payload, response.status_code, response.text[:300])
        if not response.headers["content-type"].startswith("text/html"):
            assert set(response.json()["error"]) == {"code", "message", "field"}
        else:
            assert 'data-testid="error"' in response.text
        assert "<script" not in response.text.lower().replace("<script src=\"/static/app.js\"", "")
    assert fingerprint(web_db) == before


def raw_get(base: str, target: str) -> tuple[int, bytes]:
    """GET with the request target sent as written (no client-side normalisation of ../)."""
    parsed = urlparse(base)
    con = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=30)
    try:
        con.putrequest("GET", target, skip_accept_encoding=True)
        con.endheaders()
        response = con.getresponse()
        return response.status, response.read()
    finally:
        con.close()


TRAVERSAL = ["/static/../../pyproject.toml", "/static/../../../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
             "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
             "/static/....//....//pyproject.toml", "/static/%252e%252e/pyproject.toml",
             "/static/..\\..\\pyproject.toml", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
             "/chart/..%2f..%2fpyproject.toml", "/chart/dyad.png/../../../pyproject.toml",
             "/event/..%2f..%2f..%2fpyproject.toml", "/case?spec=../../pyproject.toml",
             "/case?spec=%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/compliance?spec=/etc/passwd",
             "/api/compliance?spec=builtin:../../../etc/passwd", "/case.csv?spec=../../etc/passwd",
             "/api/ledger?spec=..%5c..%5cpyproject.toml"]


@pytest.mark.parametrize("target", TRAVERSAL)
def test_no_path_traversal(live_server: str, target: str) -> None:
    status, body = raw_get(live_server, target)
    assert status in (400, 404), (status, body[:200])
    assert b"[project]" not in body and b"root:" not in body


def test_static_files_are_served(live_server: str) -> None:
    status, body = raw_get(live_server, "/static/app.js")
    assert status == 200 and b"/api/actors" in body


def test_specs_folder_gives_its_files_and_nothing_outside(tmp_path: Path, web_db: Path) -> None:
    specs, outside = tmp_path / "specs", tmp_path / "outside"
    specs.mkdir()
    outside.mkdir()
    demands = Path(str(files("policyshift.cases").joinpath("pakistan_2001", "demands.yaml")))
    shutil.copy(demands, specs / "powell.yaml")
    shutil.copy(demands, outside / "secret.yaml")
    (specs / "link.yaml").symlink_to(outside / "secret.yaml")
    app = create_app(web_db, specs_dir=specs)
    try:
        c = TestClient(app)
        ok = c.get("/api/compliance?spec=powell.yaml")
        assert ok.status_code == 200 and ok.json()["spec"]["name"] == "Powell's seven demands"
        assert c.get("/api/ledger?spec=powell.yaml").json()["actor"] == "PAK"  # the demands' target
        for bad in ("../outside/secret.yaml", "link.yaml", str(outside / "secret.yaml"), "powell.yaml/..",
                    "sub/../../outside/secret.yaml", "..\\outside\\secret.yaml"):
            r = c.get("/api/compliance", params={"spec": bad})
            assert r.status_code == 400, (bad, r.text)
            assert r.json()["error"]["field"] == "spec"
        assert c.get("/api/compliance?spec=absent.yaml").status_code == 404
        assert "powell.yaml" in c.get("/case").text and "secret" not in c.get("/case").text
    finally:
        app.state.server.close()


def test_row_limit_is_enforced(client: TestClient) -> None:
    assert client.get("/api/events?limit=10001").status_code == 422
    assert client.get("/events.csv?limit=10001").status_code == 422
    rows = client.get("/api/events?limit=10000").json()
    total = client.get("/api/overview").json()["events"]
    assert len(rows) == min(total, 10_000)
    assert len(client.get("/api/events?limit=7").json()) == 7


def test_no_endpoint_writes(client: TestClient, web_db: Path) -> None:
    before = fingerprint(web_db)
    for path, params in VALID.items():
        assert client.get(url_of(path, params)).status_code == 200, path
        for method in ("post", "put", "delete", "patch"):
            assert getattr(client, method)(url_of(path, params)).status_code == 405
    assert fingerprint(web_db) == before
    assert client.app.state.server.store.read_only  # type: ignore[attr-defined]


def test_serve_binds_localhost_by_default() -> None:
    command = typer.main.get_command(cli).commands["serve"]  # type: ignore[attr-defined]
    options = {p.name: p for p in command.params}
    assert options["host"].default == "127.0.0.1"
    assert options["port"].default == 8000
