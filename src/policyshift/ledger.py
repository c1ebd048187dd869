"""The ledger: the benefits and costs an actor received, before and after a date.

``ledger(backend, "PAK", at="2001-09-13", window=365)`` selects the events A received and
classifies each with the first matching rule of a documented table (data/ledger_rules.yaml, or a
file of the user's): CAMEO codes or families, optional keywords, and a scope. The scopes say what
"received" means:

* received: the target is A (roles resolved by date) and the source is foreign;
* on_soil: the event took place in A's country and the source is foreign (a drone strike on
  militants in Pakistan is something Pakistan received, though its target is not the state);
* own_society: the source is one of A's own non-state actors and the target is A's state
  (domestic opposition).

Selection and classification are Ibis expressions run by the backend, so they run on DuckDB and
Spark alike; only the small aggregated result and the classified events come back to pandas to be
grouped into lines. Each line is one (domain, sign, category) with counts and Goldstein sums before
and after the date and the events behind it. See docs/ledger.md.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import yaml

from policyshift.actors import cameo_to_iso3
from policyshift.backends import Backend
from policyshift.cameo import codebook
from policyshift.dates import parse_date
from policyshift.errors import InputFileError, UsageError
from policyshift.roles import Role
from policyshift.selectors import check_known, matches, normalise

DOMAINS = ("economic", "military", "diplomatic", "domestic")
SIGNS = ("benefit", "cost")
SCOPES = ("received", "on_soil", "own_society")
TARGETS = ("state", "not_state")
GROUPINGS = ("category", "domain", "sign", "source")
# The sectors that make up a state: its own acts are A's acts, never something A received.
STATE_SECTORS = ("GOV", "MIL", "SPY", "COP", "JUD", "LEG")
DEFAULT_WINDOW = 365
BUILTIN_RULES = "policyshift ledger_rules.yaml"
_RULE_KEYS = ("category", "domain", "sign", "codes", "keywords", "scope", "target", "why")
_LINE_KEYS = {"category": ("domain", "sign", "category"), "domain": ("domain", "sign"), "sign": ("sign",),
              "source": ("domain", "sign", "category", "source")}
_EVENT_COLUMNS = ["event_id", "date", "date_precision", "source_actor", "source_name", "source_country", "target_actor",
                  "target_name", "cameo_code", "goldstein", "location_country", "origin_sentence",
                  "origin_document", "origin_url", "origin_file", "origin_line"]


# --- rules ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One row of the rules table; ``number`` is its 1-based position (the first match wins)."""

    number: int
    category: str
    domain: str
    sign: str
    codes: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    scope: str = "received"
    target: str | None = None
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.number, "category": self.category, "domain": self.domain, "sign": self.sign,
                "codes": list(self.codes), "keywords": list(self.keywords), "scope": self.scope,
                "target": self.target, "why": self.why}


def _choice(entry: dict[str, Any], key: str, choices: Sequence[str], at: str, default: str | None = None) -> str | None:
    value = entry.get(key, default)
    if value is None:
        return None
    if str(value) not in choices:
        raise InputFileError(f"unknown {key}", where=at, field=key, value=value, fix=f"use one of {', '.join(choices)}")
    return str(value)


def _codes(value: Any, at: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InputFileError("codes must be a non-empty list", where=at, field="codes", value=value,
                             fix='write e.g. codes: ["07", "085"]')
    known = codebook()
    out = []
    for code in value:
        if not isinstance(code, str):
            # YAML reads 071 as the octal number 57 and 10 as ten: the leading zero, or the code, is lost.
            raise InputFileError("a CAMEO code must be quoted", where=at, field="codes", value=code,
                                 fix='quote every code, e.g. ["071", "10"]')
        if code not in known:
            raise InputFileError("not a CAMEO code or family", where=at, field="codes", value=code,
                                 fix="use a code of the codebook (policyshift/data/cameo.tsv), e.g. 07 or 085")
        out.append(code)
    return tuple(out)


def _keywords(value: Any, at: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
        raise InputFileError("keywords must be a list of words", where=at, field="keywords", value=value,
                             fix="write e.g. keywords: [debt, reschedul]")
    return tuple(k.strip().lower() for k in value)


def parse_rules(data: Any, where: str) -> list[Rule]:
    """Rules from parsed YAML: a mapping with a ``rules`` list (or the list itself)."""
    entries = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise InputFileError("a ledger rules file holds a non-empty list under rules:", where=where,
                             fix="see docs/ledger.md for the format")
    rules: list[Rule] = []
    kinds: dict[str, tuple[str, str, int]] = {}
    for number, entry in enumerate(entries, start=1):
        at = f"{where} rule {number}"
        if not isinstance(entry, dict):
            raise InputFileError("a rule is a mapping", where=at, fix="write category:, domain:, sign: and codes:")
        unknown = sorted(set(map(str, entry)) - set(_RULE_KEYS))
        if unknown:
            raise InputFileError(f"unknown key {unknown[0]!r}", where=at, fix=f"use {', '.join(_RULE_KEYS)}")
        for key in ("category", "domain", "sign", "codes"):
            if entry.get(key) in (None, ""):
                raise InputFileError(f"the rule has no {key}", where=at, field=key, fix=f"add {key}:")
        category = str(entry["category"]).strip()
        domain, sign = str(_choice(entry, "domain", DOMAINS, at)), str(_choice(entry, "sign", SIGNS, at))
        if category in kinds and kinds[category][:2] != (domain, sign):
            first = kinds[category]
            raise InputFileError(f"category {category!r} is {domain} {sign} here but {first[0]} {first[1]} in rule "
                                 f"{first[2]}", where=at, field="category", value=category,
                                 fix="give every rule of a category the same domain and sign")
        kinds.setdefault(category, (domain, sign, number))
        rules.append(Rule(number=number, category=category, domain=domain, sign=sign,
                          codes=_codes(entry["codes"], at), keywords=_keywords(entry.get("keywords"), at),
                          scope=_choice(entry, "scope", SCOPES, at, "received") or "received",
                          target=_choice(entry, "target", TARGETS, at), why=str(entry.get("why") or "").strip()))
    return rules


def load_rules(path: str | Path | None = None) -> tuple[list[Rule], str]:
    """The rules of a YAML file (default: the package's), and the name to cite them by."""
    if path is None:
        return list(_builtin_rules()), BUILTIN_RULES
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise InputFileError(f"cannot read the rules file ({e.strerror})", where=where,
                             fix="check the path given to --rules") from None
    return parse_rules(_yaml(text, where), where), where


@functools.cache
def _builtin_rules() -> tuple[Rule, ...]:
    text = files("policyshift.data").joinpath("ledger_rules.yaml").read_text(encoding="utf-8")
    return tuple(parse_rules(_yaml(text, BUILTIN_RULES), BUILTIN_RULES))


def _yaml(text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InputFileError("not valid YAML", where=f"{where} line {mark.line + 1}" if mark else where,
                             fix="check the indentation and quoting there") from None


# --- who is who, as Ibis expressions --------------------------------------------------------------

def country_of(actor: str) -> str | None:
    """A's country code when A is a country or one of its sectors (PAK, PAKGOV); None for groups (TAL, UNO)."""
    head = actor[:3]
    return head if cameo_to_iso3(head) else None


@dataclass(frozen=True)
class _Who:
    actor: str
    country: str | None
    roles: Sequence[Role]

    def is_a(self, t: ir.Table, code: ir.StringValue) -> ir.BooleanValue:
        return matches(code, t.date, self.actor, self.roles)

    def home(self, t: ir.Table, code: ir.StringValue, country: ir.StringValue) -> ir.BooleanValue:
        """The actor belongs to A's country (or, for a group, to A): by code, role or country column."""
        cond = matches(code, t.date, self.country or self.actor, self.roles)
        if self.country:
            cond |= (country == self.country).fill_null(False)
        return cond

    def state(self, t: ir.Table, code: ir.StringValue) -> ir.BooleanValue:
        if not self.country:
            return ibis.literal(False)
        cond = (code == self.country).fill_null(False)  # the bare country code stands for the state
        for sector in STATE_SECTORS:
            cond |= matches(code, t.date, self.country + sector, self.roles)
        return cond

    def foreign_source(self, t: ir.Table) -> ir.BooleanValue:
        # An unknown source is nobody's: it can be neither foreign nor A's own society.
        known = (t.source_actor.notnull() & (t.source_actor.strip() != "")).fill_null(False)
        return known & ~self.home(t, t.source_actor, t.source_country)

    def scopes(self, t: ir.Table) -> dict[str, ir.BooleanValue]:
        foreign = self.foreign_source(t)
        received = self.is_a(t, t.target_actor) & foreign
        if not self.country:
            return {"received": received, "on_soil": ibis.literal(False), "own_society": ibis.literal(False)}
        on_soil = (t.location_country == self.country).fill_null(False) & foreign
        known = (t.source_actor.notnull() & (t.source_actor.strip() != "")).fill_null(False)
        society = known & self.home(t, t.source_actor, t.source_country) & ~self.state(t, t.source_actor)
        own = society & self.is_a(t, t.target_actor) & self.state(t, t.target_actor)
        return {"received": received, "on_soil": on_soil, "own_society": own}


def _regex(keywords: Sequence[str]) -> str:
    # Escape by hand: RE2 (DuckDB) and Java (Spark) reject some of re.escape's escapes.
    special = set(".^$*+?()[]{}|\\")
    words = ["".join("\\" + c if c in special else c for c in k) for k in keywords]
    return r"\b(?:" + "|".join(words) + ")"


def rule_condition(t: ir.Table, rule: Rule, scopes: dict[str, ir.BooleanValue],
                   target_state: ir.BooleanValue) -> ir.BooleanValue:
    code = functools.reduce(operator.or_, [t.cameo_code.startswith(c) for c in rule.codes]).fill_null(False)
    cond = scopes[rule.scope] & code
    if rule.keywords:
        cond &= t.origin_sentence.lower().re_search(_regex(rule.keywords)).fill_null(False)
    if rule.target == "state":
        cond &= target_state
    elif rule.target == "not_state":
        cond &= ~target_state
    return cond


# --- the result ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    events: int = 0
    goldstein: float = 0.0
    imprecise: int = 0  # events dated to the month or year only

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.events + other.events, self.goldstein + other.goldstein, self.imprecise + other.imprecise)

    def to_dict(self) -> dict[str, Any]:
        return {"events": self.events, "goldstein": round(self.goldstein, 3), "imprecise": self.imprecise}


@dataclass(frozen=True)
class LedgerEvent:
    event_id: str
    date: date
    date_precision: str
    side: str  # before, after, or all (without a date)
    spans_at: bool  # month or year precision, and that month or year contains the date
    rule: int
    category: str
    domain: str
    sign: str
    source_actor: str | None
    source_name: str | None
    source_role: str | None  # the role the source held that day (TAL as AFGGOV in 2001), if any
    target_actor: str | None
    target_name: str | None
    target_role: str | None
    cameo_code: str
    cameo_name: str | None
    goldstein: float | None
    location_country: str | None
    description: str | None
    citation: str | None

    def to_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}


@dataclass
class Line:
    key: dict[str, str]
    sides: dict[str, Counts]
    events: list[LedgerEvent] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**self.key, **{s: c.to_dict() for s, c in self.sides.items()},
                "events": [e.to_dict() for e in self.events]}


@dataclass
class Ledger:
    actor: str
    country: str | None
    at: date | None
    window: int | None
    start: date | None
    end: date | None
    by: str
    rules_source: str
    rules: list[Rule]
    lines: list[Line]
    totals: dict[str, dict[str, Counts]]
    unclassified: list[dict[str, Any]]
    backend: str

    @property
    def sides(self) -> tuple[str, ...]:
        return ("before", "after", "total") if self.at else ("total",)

    def find(self, **key: str) -> list[Line]:
        """The lines whose key has these values, e.g. ``find(category="aid")``."""
        return [ln for ln in self.lines if all(ln.key.get(k) == v for k, v in key.items())]

    def events(self, *, side: str | None = None, **key: str) -> list[LedgerEvent]:
        """The events of the matching lines, on one side of the date or both."""
        return [e for ln in self.find(**key) for e in ln.events if side is None or e.side == side]

    def rows(self) -> list[dict[str, Any]]:
        """One flat record per line, for tables and CSV."""
        out = []
        for ln in self.lines:
            row: dict[str, Any] = dict(ln.key)
            for side in self.sides:
                row[side] = ln.sides[side].events
                row[f"{side}_goldstein"] = round(ln.sides[side].goldstein, 3)
            out.append(row)
        return out

    def event_rows(self) -> list[dict[str, Any]]:
        keys = _LINE_KEYS[self.by]
        return [{**{k: ln.key[k] for k in keys}, **e.to_dict()} for ln in self.lines for e in ln.events]

    def to_document(self) -> dict[str, Any]:
        return {
            "actor": self.actor, "country": self.country, "at": self.at.isoformat() if self.at else None,
            "window_days": self.window, "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None, "by": self.by, "rules": self.rules_source,
            "backend": self.backend,
            "totals": {sign: {s: c.to_dict() for s, c in sides.items()} for sign, sides in self.totals.items()},
            "lines": [ln.to_dict() for ln in self.lines],
            "unclassified": self.unclassified,
        }


# --- the computation ----------------------------------------------------------------------------

def _data_range(backend: Backend) -> tuple[date, date]:
    t = backend.events
    row = backend.execute(t.aggregate(first=t.date.min(), last=t.date.max()))
    first, last = row["first"].iloc[0], row["last"].iloc[0]
    if pd.isna(first):
        raise UsageError("the store holds no events", where=backend.description or backend.name,
                         fix="ingest files first (policyshift ingest FILE)")
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def _source_key(actor: Any, country: Any) -> str:
    if isinstance(country, str) and country:
        return country
    if isinstance(actor, str) and actor:
        return actor[:3] if cameo_to_iso3(actor[:3]) else actor
    return "unknown"


def _spans(day: date, precision: str, at: date | None) -> bool:
    if at is None or precision == "day":
        return False
    return day.year == at.year and (precision == "year" or day.month == at.month)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _role(roles: Sequence[Role], code: Any, day: date) -> str | None:
    if not isinstance(code, str) or not code:
        return None
    held = sorted({r.role for r in roles if code.startswith(r.code) and r.active(day)})
    return ", ".join(held) or None


def _citation(row: pd.Series) -> str | None:
    line = row["origin_line"]
    where = f"{row['origin_file']}:{int(line)}" if _text(row["origin_file"]) and pd.notna(line) else None
    return _text(row["origin_document"]) or _text(row["origin_url"]) or where


def ledger(backend: Backend, actor: str, *, at: str | date | None = None, window: int | None = DEFAULT_WINDOW,
           by: str = "category", rules: str | Path | Sequence[Rule] | None = None,
           max_events: int | None = None) -> Ledger:
    """What ``actor`` received, classified by the rules, before and after ``at`` within ``window`` days.

    ``at`` None: one column over the whole store (the window is ignored). ``window`` None: every
    event on each side. The date itself counts as after. ``by`` groups the lines by category
    (domain, sign, category), domain, sign, or source (category and the giver's country).
    ``max_events`` keeps at most that many events per rule and side (earliest first); the counts
    always cover every event.
    """
    code = normalise(actor, "ACTOR")
    at_d = parse_date(at, "--at")
    if by not in GROUPINGS:
        raise UsageError(f"unknown grouping {by!r}", where="--by", fix=f"use one of {', '.join(GROUPINGS)}")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int) or window < 1):
        raise UsageError(f"the window must be a whole number of days, 1 or more (got {window!r})", where="--window",
                         fix="e.g. --window 365")
    if max_events is not None and max_events < 1:
        raise UsageError(f"--max-events must be 1 or more (got {max_events})", where="--max-events",
                         fix="leave it out to list every event")
    if rules is None or isinstance(rules, (str, Path)):
        rule_list, rules_source = load_rules(rules)
    else:
        rule_list, rules_source = list(rules), "given rules"
    if not rule_list:
        raise UsageError("no classification rules were given", where="rules", fix="pass at least one Rule, or None")
    first, last = _data_range(backend)
    start = end = None
    if at_d is not None and window is not None:
        start, end = at_d - timedelta(days=window), at_d + timedelta(days=window)
        if start > last or end < first:
            raise UsageError(f"{start} to {end} ({window} days around {at_d}) is outside the data, which runs from "
                             f"{first} to {last}", where="--at/--window",
                             fix="choose a date inside that range or a longer window")
    check_known(backend.events, code, backend.roles, "ACTOR")

    who = _Who(code, country_of(code), backend.roles)
    raw = backend.events
    # The scopes become columns first, so that each rule refers to them instead of repeating them.
    t = raw.mutate(**{f"_{name}": cond for name, cond in who.scopes(raw).items()},
                   _target_state=who.state(raw, raw.target_actor))
    scopes = {name: t[f"_{name}"] for name in SCOPES}
    in_scope = functools.reduce(operator.or_, scopes.values())
    if start is not None and end is not None:
        in_scope &= (t.date >= ibis.literal(start)) & (t.date <= ibis.literal(end))
    rule_no = ibis.cases(*[(rule_condition(t, r, scopes, t._target_state), r.number) for r in rule_list],
                         else_=None)
    side = ibis.literal("total") if at_d is None else ibis.cases((t.date < ibis.literal(at_d), "before"),
                                                                 else_="after")
    selected = t.filter(in_scope).mutate(_rule=rule_no, _side=side)
    classified = selected.filter(selected._rule.notnull())

    # One aggregate for the classified lines and the unclassified remainder alike (rule null).
    counts = backend.execute(selected.group_by(["_rule", "_side", "source_actor", "source_country", "cameo_code"])
                             .aggregate(events=selected.count(), goldstein=selected.goldstein.sum(),
                                        imprecise=(selected.date_precision != "day").cast("int64").sum()))
    listed = classified
    if max_events is not None:
        rank = ibis.row_number().over(group_by=[classified._rule, classified._side],
                                      order_by=[classified.date, classified.event_id])
        listed = classified.mutate(_rank=rank).filter(ibis._._rank < max_events)
    events = backend.execute(listed.select("_rule", "_side", *_EVENT_COLUMNS).order_by(["date", "event_id"]))

    return _assemble(code, who.country, at_d, window if at_d else None, start, end, by, rules_source, rule_list,
                     counts, events, backend)


def _assemble(actor: str, country: str | None, at: date | None, window: int | None, start: date | None,
              end: date | None, by: str, rules_source: str, rules: list[Rule], counts: pd.DataFrame,
              events: pd.DataFrame, backend: Backend) -> Ledger:
    """Group the backend's small results into lines (pandas, in memory)."""
    by_number = {r.number: r for r in rules}
    keys = _LINE_KEYS[by]
    sides = ("before", "after", "total") if at else ("total",)
    category_order = {c: i for i, c in enumerate(dict.fromkeys(r.category for r in rules))}

    def line_key(rule: Rule, source: str) -> tuple[str, ...]:
        values = {"domain": rule.domain, "sign": rule.sign, "category": rule.category, "source": source}
        return tuple(values[k] for k in keys)

    lines: dict[tuple[str, ...], Line] = {}
    totals = {sign: {s: Counts() for s in sides} for sign in SIGNS}
    missed: dict[tuple[str, str], int] = {}
    for row in counts.to_dict("records"):
        if pd.isna(row["_rule"]):
            slot = (str(row["_side"]), str(row["cameo_code"]))
            missed[slot] = missed.get(slot, 0) + int(row["events"])
            continue
        rule = by_number[int(row["_rule"])]
        c = Counts(int(row["events"]), float(row["goldstein"]) if pd.notna(row["goldstein"]) else 0.0,
                   int(row["imprecise"]))
        key = line_key(rule, _source_key(row["source_actor"], row["source_country"]))
        line = lines.setdefault(key, Line(dict(zip(keys, key)), {s: Counts() for s in sides}))
        for s in {str(row["_side"]), "total"}:
            line.sides[s] = line.sides[s] + c
            totals[rule.sign][s] = totals[rule.sign][s] + c

    names = codebook()
    for row in events.to_dict("records"):
        rule = by_number[int(row["_rule"])]
        day = pd.Timestamp(row["date"]).date()
        event = LedgerEvent(
            event_id=str(row["event_id"]), date=day, date_precision=str(row["date_precision"]), side=str(row["_side"]),
            spans_at=_spans(day, str(row["date_precision"]), at), rule=rule.number, category=rule.category,
            domain=rule.domain, sign=rule.sign, source_actor=_text(row["source_actor"]),
            source_name=_text(row["source_name"]), source_role=_role(backend.roles, row["source_actor"], day),
            target_actor=_text(row["target_actor"]), target_name=_text(row["target_name"]),
            target_role=_role(backend.roles, row["target_actor"], day), cameo_code=str(row["cameo_code"]),
            cameo_name=names[row["cameo_code"]].name if row["cameo_code"] in names else None,
            goldstein=float(row["goldstein"]) if pd.notna(row["goldstein"]) else None,
            location_country=_text(row["location_country"]), description=_text(row["origin_sentence"]),
            citation=_citation(pd.Series(row)))
        lines[line_key(rule, _source_key(row["source_actor"], row["source_country"]))].events.append(event)

    domain_order = {d: i for i, d in enumerate(DOMAINS)}
    sign_order = {s: i for i, s in enumerate(SIGNS)}

    def order(line: Line) -> tuple[Any, ...]:
        k = line.key
        return (sign_order[k["sign"]] if by == "sign" else domain_order[k["domain"]], sign_order[k["sign"]],
                category_order.get(k.get("category", ""), 0), -line.sides["total"].events, k.get("source", ""))

    unclassified_rows = [{"side": side, "cameo_code": code, "events": n} for (side, code), n in sorted(missed.items())]
    return Ledger(actor=actor, country=country, at=at, window=window, start=start, end=end, by=by,
                  rules_source=rules_source, rules=rules, lines=sorted(lines.values(), key=order), totals=totals,
                  unclassified=unclassified_rows, backend=backend.name)


__all__ = ["DEFAULT_WINDOW", "DOMAINS", "GROUPINGS", "SCOPES", "SIGNS", "Counts", "Ledger", "LedgerEvent", "Line",
           "Rule", "country_of", "ledger", "load_rules", "parse_rules"]
