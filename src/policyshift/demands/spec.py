"""The demands spec: a YAML file naming who demanded what of whom, and the evidence rules.

Loading validates everything before a query runs, so a typo in a CAMEO code or a selector fails
with one line naming the file, the demand, the rule and the field, never as "not met" later.
The format is documented in docs/demands.md; cases/pakistan_2001/demands.yaml is an example.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from policyshift.cameo import codebook
from policyshift.errors import InputFileError, UsageError
from policyshift.selectors import normalise

Status = Literal["met", "partly met", "not met", "violated", "no evidence yet"]
STATUSES: tuple[str, ...] = ("met", "partly met", "not met", "violated", "no evidence yet")
Kind = Literal["fulfil", "violate"]

SPEC_KEYS = ("name", "issuer", "target", "issued", "window", "source", "demands")
SPEC_REQUIRED = ("name", "issuer", "target", "issued", "window", "demands")
DEMAND_KEYS = ("id", "text", "expected", "window", "fulfil", "violate")
RULE_KEYS = ("name", "source", "target", "cameo", "keywords", "window")


@dataclass(frozen=True)
class Window:
    """Days after the date issued, both ends inclusive: [0, 30] is the issue day and the 30 after."""

    start_day: int
    end_day: int

    def dates(self, issued: date) -> tuple[date, date]:
        return issued + timedelta(days=self.start_day), issued + timedelta(days=self.end_day)


@dataclass(frozen=True)
class Rule:
    """Events that count as evidence: source -> target, one of the CAMEO families, any keyword."""

    kind: Kind
    name: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    cameo: tuple[str, ...]
    keywords: tuple[str, ...]
    window: Window


@dataclass(frozen=True)
class Demand:
    id: str
    text: str
    fulfil: tuple[Rule, ...]
    violate: tuple[Rule, ...]
    expected: str | None = None

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.fulfil + self.violate


@dataclass(frozen=True)
class DemandSpec:
    name: str
    issuer: str
    target: str
    issued: date
    window: Window
    demands: tuple[Demand, ...]
    source: str | None = None
    path: str | None = None


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date (2001-02-30) gets our error with its field."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load_spec(path: str | Path) -> DemandSpec:
    """Read and validate a demands spec file (InputFileError, naming file, demand, rule and field)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputFileError(f"cannot read the demands spec ({e.strerror or e})", where=str(path),
                             fix="check the path (cases/pakistan_2001/demands.yaml is an example)") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader (see _Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputFileError(f"not valid YAML ({problem})", where=where,
                             fix="check indentation and quoting on that line") from None
    return parse_spec(data, where=str(path))


def parse_spec(data: Any, *, where: str = "demands spec") -> DemandSpec:
    """Validate parsed YAML (a mapping) as a demands spec; ``where`` names it in errors."""
    if not isinstance(data, dict):
        raise InputFileError("a demands spec is a mapping with name, issuer, target, issued, window and demands",
                             where=where, fix="see docs/demands.md for the format")
    _check_keys(data, SPEC_KEYS, where)
    for key in SPEC_REQUIRED:
        if data.get(key) in (None, "", []):
            raise InputFileError("missing", where=where, field=key, fix=_HINTS[key])
    default = _window(data["window"], where)
    demands_data = data["demands"]
    if not isinstance(demands_data, list):
        raise InputFileError("demands is a list of demands", where=where, field="demands",
                             fix="write each demand as a list item starting with '- id:'")
    demands: list[Demand] = []
    seen: set[str] = set()
    for i, item in enumerate(demands_data, start=1):
        demand = _demand(item, i, default, where)
        if demand.id in seen:
            raise InputFileError("duplicate demand id", where=f"{where}, demand {i}", field="id", value=demand.id,
                                 fix="give every demand its own id")
        seen.add(demand.id)
        demands.append(demand)
    return DemandSpec(name=_text(data["name"], where, "name"), issuer=_selector(data["issuer"], where, "issuer"),
                      target=_selector(data["target"], where, "target"), issued=_date(data["issued"], where),
                      window=default, demands=tuple(demands),
                      source=None if data.get("source") is None else _text(data["source"], where, "source"),
                      path=where)


_HINTS = {
    "name": "give the set of demands a name",
    "issuer": "the actor that made the demands, e.g. issuer: USAGOV",
    "target": "the actor expected to comply, e.g. target: PAK",
    "issued": "the date the demands were made, e.g. issued: 2001-09-13",
    "window": "days after issue in which evidence counts, e.g. window: [0, 365]",
    "demands": "list the demands, each with id, text and fulfil rules",
    "id": "give the demand an id, e.g. id: \"1\"",
    "text": "quote the demand, e.g. text: Stop fuel supplies to the Taliban",
    "fulfil": "list at least one rule for the events that fulfil the demand",
    "rule name": "name the rule, e.g. name: fuel supplies stopped",
    "rule source": "the acting actor, a selector or a list, e.g. source: PAK",
    "rule target": "the receiving actor, a selector or a list, e.g. target: [TAL, AFGGOV]",
    "cameo": "CAMEO codes or families, quoted, e.g. cameo: [\"16\", \"191\"]",
}


def _check_keys(data: dict[Any, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in allowed:
            near = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {near[0]}? " if near else ""
            raise InputFileError("unknown key", where=where, field=str(key),
                                 fix=f"{hint}the keys here are {', '.join(allowed)}")


def _demand(item: Any, index: int, default: Window, where: str) -> Demand:
    at = f"{where}, demand {index}"
    if not isinstance(item, dict):
        raise InputFileError("a demand is a mapping with id, text and fulfil rules", where=at,
                             fix="start it with '- id:' and indent its keys")
    if isinstance(item.get("id"), (str, int)) and not isinstance(item.get("id"), bool) and str(item["id"]).strip():
        at = f"{where}, demand {str(item['id']).strip()}"
    _check_keys(item, DEMAND_KEYS, at)
    for key in ("id", "text", "fulfil"):
        if item.get(key) in (None, "", []):
            raise InputFileError("missing" if key not in item else "empty", where=at, field=key, fix=_HINTS[key])
    if isinstance(item["id"], bool) or not isinstance(item["id"], (str, int)):
        raise InputFileError("not an id", where=at, field="id", value=item["id"], fix="use a short text, e.g. id: \"1\"")
    expected = item.get("expected")
    if expected is not None and expected not in STATUSES:
        raise InputFileError("unknown status", where=at, field="expected", value=expected,
                             fix=f"use one of: {', '.join(STATUSES)}")
    window = _window(item["window"], at) if item.get("window") is not None else default
    rules: dict[str, list[Rule]] = {"fulfil": [], "violate": []}
    names: set[str] = set()
    for kind in ("fulfil", "violate"):
        items = item.get(kind) or []
        if not isinstance(items, list):
            raise InputFileError(f"{kind} is a list of rules", where=at, field=kind,
                                 fix="write each rule as a list item starting with '- name:'")
        for j, rule_data in enumerate(items, start=1):
            rule = _rule(rule_data, kind, j, window, at)  # type: ignore[arg-type]
            if rule.name in names:
                raise InputFileError("duplicate rule name", where=f"{at}, {kind} rule {j}", field="name",
                                     value=rule.name, fix="give every rule of a demand its own name")
            names.add(rule.name)
            rules[kind].append(rule)
    return Demand(id=str(item["id"]).strip(), text=_text(item["text"], at, "text"), fulfil=tuple(rules["fulfil"]),
                  violate=tuple(rules["violate"]), expected=expected)


def _rule(data: Any, kind: Kind, index: int, default: Window, where: str) -> Rule:
    at = f"{where}, {kind} rule {index}"
    if not isinstance(data, dict):
        raise InputFileError("a rule is a mapping with name, source, target and cameo", where=at,
                             fix="start it with '- name:' and indent its keys")
    if isinstance(data.get("name"), str) and data["name"].strip():
        at = f"{where}, {kind} rule {data['name'].strip()!r}"
    _check_keys(data, RULE_KEYS, at)
    for key in ("name", "source", "target", "cameo"):
        if data.get(key) in (None, "", []):
            raise InputFileError("missing" if key not in data else "empty", where=at, field=key,
                                 fix=_HINTS[f"rule {key}"] if f"rule {key}" in _HINTS else _HINTS[key])
    return Rule(kind=kind, name=_text(data["name"], at, "name"),
                source=tuple(_selector(s, at, "source") for s in _listed(data["source"])),
                target=tuple(_selector(s, at, "target") for s in _listed(data["target"])),
                cameo=tuple(_cameo(c, at) for c in _listed(data["cameo"])),
                keywords=tuple(_keyword(k, at) for k in _listed(data.get("keywords") or [])),
                window=_window(data["window"], at) if data.get("window") is not None else default)


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _text(value: Any, where: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputFileError("not a text", where=where, field=field, value=value, fix="write it as a quoted text")
    return value.strip()


def _selector(value: Any, where: str, field: str) -> str:
    if not isinstance(value, str):
        raise InputFileError("not an actor selector", where=where, field=field, value=value,
                             fix="use a CAMEO-style code such as PAK, PAKGOV, TAL or UNO")
    try:
        return normalise(value, field)
    except UsageError as e:
        raise InputFileError("not an actor selector", where=where, field=field, value=value, fix=e.fix) from None


def _cameo(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InputFileError("a CAMEO code must be a quoted text", where=where, field="cameo", value=value,
                             fix="write it in quotes (\"06\", not 06): YAML reads 06 as the number 6")
    code = value.strip()
    if code not in codebook():
        near = difflib.get_close_matches(code, list(codebook()), n=3)
        hint = f"nearest codes: {', '.join(near)}; " if near else ""
        raise InputFileError("unknown CAMEO code", where=where, field="cameo", value=value,
                             fix=f"{hint}a family is an existing code (\"17\" covers 170-175); see docs/cameo.md")
    return code


def _keyword(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputFileError("not a keyword", where=where, field="keywords", value=value,
                             fix="write keywords as non-empty texts, e.g. keywords: [fuel, oil]")
    return value.strip().lower()


def _window(value: Any, where: str) -> Window:
    ok = (isinstance(value, list) and len(value) == 2
          and all(isinstance(v, int) and not isinstance(v, bool) for v in value))
    if not ok:
        raise InputFileError("a window is two whole numbers of days after the date issued", where=where,
                             field="window", value=value, fix="write e.g. window: [0, 365]")
    start, end = value
    if start < 0 or end < start:
        raise InputFileError("the window must start on or after the date issued and end after it starts",
                             where=where, field="window", value=value,
                             fix="use [start_day, end_day] with 0 <= start_day <= end_day")
    return Window(start, end)


def _date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputFileError("not a date", where=where, field="issued", value=value,
                         fix="use YYYY-MM-DD, e.g. issued: 2001-09-13")


__all__ = ["STATUSES", "Demand", "DemandSpec", "Kind", "Rule", "Status", "Window", "load_spec", "parse_spec"]
