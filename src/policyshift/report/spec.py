"""The case spec: a YAML file naming the case, its actors, its dates, its files and its findings.

``policyshift report --spec FILE`` and ``policyshift demo`` read it; docs/case.md documents every
key. Loading validates everything (dates, actor codes, each finding's rule and parameters) before a
store is opened, so a typo fails with one line naming the file, the key and the fix, never as an
empty chart later. Relative file names resolve against the spec's own folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from policyshift.errors import InputFileError, UsageError
from policyshift.selectors import normalise

GRANULARITIES = ("day", "week", "month", "quarter", "year")
EMPTY_RULES = ("zero", "drop")
METHODS = ("pelt", "binseg")
KEYS = ("name", "source", "focal", "partners", "rivals", "broker", "dyads", "at", "by", "from", "to", "events",
        "dataset", "roles", "demands", "ledger", "detector", "timeline", "findings")
REQUIRED = ("name", "focal", "at")
DETECTOR_KEYS = ("method", "penalty", "min_size", "alpha", "empty", "top")
LEDGER_KEYS = ("window", "rules")
TIMELINE_KEYS = ("limit", "actors")
FINDING_KEYS = ("id", "statement", "rule")
BUILTIN_CASES = ("pakistan_2001",)


@dataclass(frozen=True)
class DyadSpec:
    """A dyad to chart: source -> target, or both ways pooled (``undirected``)."""

    source: str
    target: str
    undirected: bool = False

    @property
    def label(self) -> str:
        return f"{self.source} {'<->' if self.undirected else '->'} {self.target}"


@dataclass(frozen=True)
class BrokerSpec:
    actor: str
    a: str
    b: str


@dataclass(frozen=True)
class DetectorSpec:
    """The change-point detector's settings (policyshift.detect.detect_changes), defaults as `changes`."""

    method: str = "pelt"
    penalty: str | float = "bic"
    min_size: int = 2
    alpha: float = 0.01
    empty: str = "zero"
    top: int = 5


@dataclass(frozen=True)
class FindingSpec:
    """One conclusion to test: its id, the statement, the rule type and the rule's parameters."""

    id: str
    statement: str
    rule: str
    params: dict[str, Any]
    where: str


@dataclass(frozen=True)
class CaseSpec:
    name: str
    focal: str
    at: date
    by: str = "month"
    start: date | None = None
    end: date | None = None
    source: str | None = None
    partners: tuple[str, ...] = ()
    rivals: tuple[str, ...] = ()
    broker: BrokerSpec | None = None
    dyads: tuple[DyadSpec, ...] = ()
    events: tuple[Path, ...] = ()
    dataset: str = "auto"
    roles: Path | None = None
    demands: Path | None = None
    ledger_window: int = 365
    ledger_rules: Path | None = None
    detector: DetectorSpec = field(default_factory=DetectorSpec)
    timeline_limit: int = 80
    timeline_actors: tuple[str, ...] = ()
    findings: tuple[FindingSpec, ...] = ()
    path: Path | None = None

    @property
    def chart_dyads(self) -> tuple[DyadSpec, ...]:
        """The focal actor toward each partner and rival, then the spec's own dyads (no repeats)."""
        out = [DyadSpec(self.focal, other) for other in (*self.partners, *self.rivals)]
        return tuple(dict.fromkeys([*out, *self.dyads]))

    @property
    def named_actors(self) -> tuple[str, ...]:
        names = [self.focal, *self.partners, *self.rivals]
        if self.broker:
            names += [self.broker.actor, self.broker.a, self.broker.b]
        for d in self.dyads:
            names += [d.source, d.target]
        return tuple(dict.fromkeys(names))


# --- loading ------------------------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date (2011-13-01) gets our error naming its key."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def builtin_spec_path(name: str) -> Path:
    """The case.yaml of a built-in case (``pakistan_2001``)."""
    if name not in BUILTIN_CASES:
        raise InputFileError(f"no built-in case named {name!r}", where="--spec",
                             fix=f"use a spec file or one of {', '.join(BUILTIN_CASES)}")
    return Path(str(files("policyshift.cases").joinpath(name, "case.yaml")))


def load_case_spec(path: str | Path) -> CaseSpec:
    """Read and check a case spec (a YAML file, or the name of a built-in case such as pakistan_2001)."""
    text_path = str(path)
    if text_path in BUILTIN_CASES:
        path = builtin_spec_path(text_path)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputFileError(f"cannot read the case spec ({e.strerror})", where=str(path),
                             fix=f"check the path, or name a built-in case ({', '.join(BUILTIN_CASES)})") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader (see _Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputFileError(f"not valid YAML ({problem})", where=f"{path} line {mark.line + 1}" if mark else str(path),
                             fix="check the indentation and quoting there") from None
    return parse_case_spec(data, where=str(path), base=path.parent)


def parse_case_spec(data: Any, *, where: str = "case spec", base: Path | None = None) -> CaseSpec:
    """A CaseSpec from parsed YAML; file names resolve against ``base``."""
    from policyshift.report.rules import check_params  # the rules module validates its own parameters

    if not isinstance(data, dict):
        raise InputFileError("a case spec is a mapping of keys (name:, focal:, at:, ...)", where=where,
                             fix="see docs/case.md for the format")
    _check_keys(data, KEYS, where)
    for key in REQUIRED:
        if data.get(key) in (None, ""):
            raise InputFileError(f"the spec has no {key}", where=where, field=key, fix=f"add {key}: (docs/case.md)")
    base = base or Path(".")
    by = str(data.get("by") or "month")
    if by not in GRANULARITIES:
        raise InputFileError("unknown granularity", where=where, field="by", value=by,
                             fix=f"use one of {', '.join(GRANULARITIES)}")
    start, end = date_value(data.get("from"), where, "from", optional=True), \
        date_value(data.get("to"), where, "to", optional=True)
    if start and end and start > end:
        raise InputFileError("from is after to", where=where, field="from", value=str(start), fix="swap the dates")
    dataset = str(data.get("dataset") or "auto")
    from policyshift.ingest import dataset_choices

    if dataset not in dataset_choices():
        raise InputFileError("unknown data set", where=where, field="dataset", value=dataset,
                             fix=f"use one of {', '.join(dataset_choices())}")
    ledger = _mapping(data.get("ledger"), LEDGER_KEYS, where, "ledger")
    window = ledger.get("window", 365)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise InputFileError("the ledger window is a whole number of days", where=where, field="ledger.window",
                             value=window, fix="e.g. window: 365")
    timeline = _mapping(data.get("timeline"), TIMELINE_KEYS, where, "timeline")
    limit = timeline.get("limit", 80)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputFileError("the timeline limit is a whole number of events", where=where, field="timeline.limit",
                             value=limit, fix="e.g. limit: 80")
    spec = CaseSpec(
        name=str(data["name"]).strip(), source=_optional_text(data.get("source")),
        focal=actor(data["focal"], where, "focal"), at=required_date(data["at"], where, "at"), by=by,
        start=start, end=end,
        partners=tuple(actor(v, where, "partners") for v in _listed(data.get("partners"))),
        rivals=tuple(actor(v, where, "rivals") for v in _listed(data.get("rivals"))),
        broker=_broker(data.get("broker"), where), dyads=_dyads(data.get("dyads"), where),
        events=tuple(_file(v, base, where, "events") for v in _listed(data.get("events"))),
        dataset=dataset,
        roles=_file(data["roles"], base, where, "roles") if data.get("roles") else None,
        demands=_file(data["demands"], base, where, "demands") if data.get("demands") else None,
        ledger_window=window,
        ledger_rules=_file(ledger["rules"], base, where, "ledger.rules") if ledger.get("rules") else None,
        detector=_detector(data.get("detector"), where), timeline_limit=limit,
        timeline_actors=tuple(actor(v, where, "timeline.actors") for v in _listed(timeline.get("actors"))),
        findings=(), path=Path(where) if where != "case spec" else None)
    # The demands spec and the ledger's rules are checked now too, so their typos fail before the store opens.
    if spec.demands is not None:
        from policyshift.demands import load_spec

        load_spec(spec.demands)
    if spec.ledger_rules is not None:
        from policyshift.ledger import load_rules

        load_rules(spec.ledger_rules)
    findings = [replace(f, params=check_params(f, spec)) for f in _findings(data.get("findings"), where)]
    seen: set[str] = set()
    for finding in findings:
        if finding.id in seen:
            raise InputFileError("two findings have the same id", where=finding.where, field="id", value=finding.id,
                                 fix="give every finding its own id")
        seen.add(finding.id)
    return replace(spec, findings=tuple(findings))


# --- values -------------------------------------------------------------------------------------

def date_value(value: Any, where: str, key: str, *, optional: bool = False) -> date | None:
    if value in (None, "") and optional:
        return None
    return required_date(value, where, key)


def required_date(value: Any, where: str, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputFileError("not a date", where=where, field=key, value=value, fix="use YYYY-MM-DD") from None


def actor(value: Any, where: str, key: str) -> str:
    try:
        return normalise(str(value), key)
    except UsageError:
        raise InputFileError("not an actor code", where=where, field=key, value=value,
                             fix="use a CAMEO-style code: a country (PAK), a sector (PAKGOV), a group (TAL)") from None


def _optional_text(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _check_keys(data: dict[Any, Any], allowed: tuple[str, ...], where: str, prefix: str = "") -> None:
    unknown = sorted(str(k) for k in data if str(k) not in allowed)
    if unknown:
        import difflib

        near = difflib.get_close_matches(unknown[0], allowed, n=1)
        hint = f"did you mean {near[0]}? " if near else ""
        raise InputFileError("unknown key", where=where, field=prefix + unknown[0],
                             fix=f"{hint}valid keys: {', '.join(allowed)}")


def _mapping(value: Any, allowed: tuple[str, ...], where: str, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputFileError(f"{key} is a mapping", where=where, field=key, value=value,
                             fix=f"write {key}: with the keys {', '.join(allowed)}")
    _check_keys(value, allowed, where, f"{key}.")
    return value


def _file(value: Any, base: Path, where: str, key: str) -> Path:
    path = Path(str(value))
    path = path if path.is_absolute() else base / path
    if not path.exists():
        raise InputFileError("the file does not exist", where=where, field=key, value=str(value),
                             fix=f"check the name; relative names are read from {base}")
    return path


def _broker(value: Any, where: str) -> BrokerSpec | None:
    if value is None:
        return None
    if not isinstance(value, dict) or "actor" not in value or not isinstance(value.get("between"), list) \
            or len(value["between"]) != 2:
        raise InputFileError("broker names an actor and the two it stands between", where=where, field="broker",
                             value=value, fix="write broker: {actor: USA, between: [PAK, AFG]}")
    _check_keys(value, ("actor", "between"), where, "broker.")
    a, b = (actor(v, where, "broker.between") for v in value["between"])
    return BrokerSpec(actor(value["actor"], where, "broker.actor"), a, b)


def _dyads(value: Any, where: str) -> tuple[DyadSpec, ...]:
    out = []
    for i, item in enumerate(_listed(value), start=1):
        at = f"dyads[{i}]"
        if isinstance(item, list) and len(item) == 2:
            out.append(DyadSpec(actor(item[0], where, at), actor(item[1], where, at)))
            continue
        if not isinstance(item, dict) or "source" not in item or "target" not in item:
            raise InputFileError("a dyad is [SOURCE, TARGET] or {source:, target:, undirected:}", where=where,
                                 field=at, value=item, fix="write e.g. - {source: PAKGOV, target: AFGGOV, undirected: true}")
        _check_keys(item, ("source", "target", "undirected"), where, f"{at}.")
        out.append(DyadSpec(actor(item["source"], where, f"{at}.source"), actor(item["target"], where, f"{at}.target"),
                            bool(item.get("undirected", False))))
    return tuple(out)


def _detector(value: Any, where: str) -> DetectorSpec:
    data = _mapping(value, DETECTOR_KEYS, where, "detector")
    d = DetectorSpec()
    method = str(data.get("method", d.method))
    if method not in METHODS:
        raise InputFileError("unknown detector", where=where, field="detector.method", value=method,
                             fix=f"use one of {', '.join(METHODS)}")
    empty = str(data.get("empty", d.empty))
    if empty not in EMPTY_RULES:
        raise InputFileError("unknown empty-period rule", where=where, field="detector.empty", value=empty,
                             fix=f"use one of {', '.join(EMPTY_RULES)}")
    penalty = data.get("penalty", d.penalty)
    if not (penalty == "bic" or (isinstance(penalty, (int, float)) and not isinstance(penalty, bool) and penalty >= 0)):
        raise InputFileError("not a penalty", where=where, field="detector.penalty", value=penalty,
                             fix="use bic or a non-negative number")
    numbers: dict[str, Any] = {}
    for key, low, high, kind in (("min_size", 1, 10_000, int), ("alpha", 0.0, 1.0, float), ("top", 0, 100, int)):
        v = data.get(key, getattr(d, key))
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (kind is int and not isinstance(v, int)) \
                or not low <= v <= high or (key == "alpha" and v == 0):
            raise InputFileError("out of range", where=where, field=f"detector.{key}", value=v,
                                 fix=f"use a {'whole ' if kind is int else ''}number from {low} to {high}")
        numbers[key] = kind(v)
    return DetectorSpec(method=method, penalty=penalty, empty=empty, min_size=numbers["min_size"],
                        alpha=numbers["alpha"], top=numbers["top"])


def _findings(value: Any, where: str) -> list[FindingSpec]:
    out = []
    for i, item in enumerate(_listed(value), start=1):
        at = f"{where} findings[{i}]"
        if not isinstance(item, dict):
            raise InputFileError("a finding is a mapping with id, statement, rule and the rule's parameters",
                                 where=at, fix="see docs/case.md")
        for key in FINDING_KEYS:
            if item.get(key) in (None, ""):
                raise InputFileError(f"the finding has no {key}", where=at, field=key, fix=f"add {key}:")
        params = {str(k): v for k, v in item.items() if k not in FINDING_KEYS}
        out.append(FindingSpec(id=str(item["id"]).strip(), statement=" ".join(str(item["statement"]).split()),
                               rule=str(item["rule"]).strip(), params=params, where=f"{where} finding {item['id']}"))
    return out


__all__ = ["BUILTIN_CASES", "BrokerSpec", "CaseSpec", "DetectorSpec", "DyadSpec", "FindingSpec", "actor",
           "builtin_spec_path", "date_value", "load_case_spec", "parse_case_spec", "required_date"]
