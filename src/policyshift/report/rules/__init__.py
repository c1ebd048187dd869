"""Finding rules: a conclusion of a case, tested by a rule written in code and stated in the report.

A case spec lists its findings; each names a rule type and the rule's parameters (actors, dates,
thresholds). Every rule type is one module here with the same contract:

- ``PARAMS``: the parameters it takes, with their kinds and defaults (checked when the spec loads);
- ``describe(params, spec) -> str``: the rule in words, with its parameters filled in;
- ``evaluate(bench, params) -> Outcome``: holds or not, the deciding numbers and event ids.

Adding a rule type is one module and one line in ``RULES``. The rules read only the spec and the
data (through policyshift.report.workbench); none names an event or a number of a particular case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from policyshift.errors import InputFileError, PolicyshiftError
from policyshift.render import plural

if TYPE_CHECKING:
    from policyshift.report.spec import CaseSpec, FindingSpec
    from policyshift.report.workbench import Workbench

RULES: dict[str, str] = {
    "break": "policyshift.report.rules.breaks",
    "contrast": "policyshift.report.rules.contrast",
    "broker_share": "policyshift.report.rules.broker",
    "dual_track": "policyshift.report.rules.dual",
    "gains_costs": "policyshift.report.rules.gains",
}
_MISSING = object()


@dataclass(frozen=True)
class Param:
    """A rule parameter: its kind, its default (a value, or a function of the spec), what it means."""

    kind: str  # actor, pair, date, dates, int, float, bool, choice, codes, words
    default: Any = _MISSING
    help: str = ""
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Outcome:
    """What a rule found: holds, a plain verdict, the deciding numbers in one line, the evidence."""

    holds: bool
    verdict: str
    summary: str
    numbers: dict[str, Any]
    event_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A tested conclusion, as the report, findings.json and the terminal show it."""

    id: str
    statement: str
    rule: str
    rule_text: str
    holds: bool
    verdict: str
    summary: str
    numbers: dict[str, Any] = field(default_factory=dict)
    event_ids: tuple[str, ...] = ()
    error: str | None = None

    def to_document(self) -> dict[str, Any]:
        return {"id": self.id, "statement": self.statement, "holds": self.holds, "verdict": self.verdict,
                "summary": self.summary, "rule": {"type": self.rule, "text": self.rule_text},
                "numbers": self.numbers, "event_ids": list(self.event_ids), "error": self.error}


def rule_module(name: str, where: str = "finding") -> ModuleType:
    if name not in RULES:
        raise InputFileError("unknown rule", where=where, field="rule", value=name,
                             fix=f"use one of {', '.join(RULES)} (docs/case.md)")
    return import_module(RULES[name])


def check_params(finding: FindingSpec, spec: CaseSpec) -> dict[str, Any]:
    """The finding's parameters, checked against its rule's PARAMS, converted, defaults filled in."""
    params: dict[str, Param] = rule_module(finding.rule, finding.where).PARAMS
    unknown = sorted(set(finding.params) - set(params))
    if unknown:
        raise InputFileError(f"rule {finding.rule} has no parameter {unknown[0]}", where=finding.where,
                             field=unknown[0], fix=f"its parameters: {', '.join(params)}")
    out = {}
    for name, p in params.items():
        if name in finding.params and finding.params[name] is not None:
            out[name] = convert(p, finding.params[name], finding.where, name)
            continue
        default = p.default(spec) if callable(p.default) else p.default
        # A date left None is resolved against the store when the rule runs (the end of its data).
        if default is _MISSING or default is None and p.kind in ("actor", "pair"):
            raise InputFileError(f"rule {finding.rule} needs {name}", where=finding.where, field=name,
                                 fix=f"add {name}: ({p.help})")
        out[name] = default
    return out


def convert(p: Param, value: Any, where: str, name: str) -> Any:
    """A YAML value as the parameter's kind; an InputFileError naming the parameter otherwise."""
    from policyshift.report.spec import actor, required_date

    def bad(fix: str) -> InputFileError:
        return InputFileError(f"bad value for {name}", where=where, field=name, value=value, fix=fix)

    if p.kind == "actor":
        return actor(value, where, name)
    if p.kind == "pair":
        if not isinstance(value, list) or len(value) != 2:
            raise bad("write two actor codes, e.g. [PAK, TAL]")
        return tuple(actor(v, where, name) for v in value)
    if p.kind == "date":
        return required_date(value, where, name)
    if p.kind == "dates":
        if not isinstance(value, list) or len(value) != 2:
            raise bad("write [FROM, TO], e.g. [2001-09-01, 2001-12-31]")
        lo, hi = (required_date(v, where, name) for v in value)
        if lo > hi:
            raise bad("the first date must not be after the second")
        return lo, hi
    if p.kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (p.kind == "int" and
                                                                             not isinstance(value, int)):
            raise bad(f"use a {'whole ' if p.kind == 'int' else ''}number")
        if (p.low is not None and value < p.low) or (p.high is not None and value > p.high):
            raise bad(f"use a number from {p.low} to {p.high}")
        return value
    if p.kind == "bool":
        if not isinstance(value, bool):
            raise bad("use true or false")
        return value
    if p.kind == "choice":
        if str(value) not in p.choices:
            raise bad(f"use one of {', '.join(p.choices)}")
        return str(value)
    if p.kind == "choices":
        values = value if isinstance(value, list) else [value]
        for v in values:
            if str(v) not in p.choices:
                raise bad(f"use some of {', '.join(p.choices)}")
        return tuple(str(v) for v in values)
    if p.kind == "codes":
        from policyshift.cameo import codebook

        values = value if isinstance(value, list) else [value]
        known = codebook()
        for v in values:
            if not isinstance(v, str) or v not in known:
                raise bad('quote CAMEO codes or families, e.g. ["112", "17"]')
        return tuple(values)
    if p.kind == "words":
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise bad("write a list of words, e.g. [Taliban, Haqqani]")
        return tuple(v.strip() for v in values)
    raise AssertionError(f"unknown parameter kind {p.kind}")  # a defect in a rule module, not user input


def evaluate(bench: Workbench, finding: FindingSpec) -> Finding:
    """Test one finding on the data; a finding that cannot be computed does not hold, and says why."""
    module = rule_module(finding.rule, finding.where)
    text = module.describe(finding.params, bench.spec)
    try:
        out: Outcome = module.evaluate(bench, finding.params)
    except PolicyshiftError as e:
        return Finding(finding.id, finding.statement, finding.rule, text, False,
                       f"Could not be tested on this store: {e.what}.", f"not tested: {e.what}", error=str(e))
    return Finding(finding.id, finding.statement, finding.rule, text, out.holds, out.verdict, out.summary,
                   out.numbers, out.event_ids)


# --- shared by the rule modules -----------------------------------------------------------------

def spec_default(attribute: str) -> Callable[[CaseSpec], Any]:
    return lambda spec: getattr(spec, attribute)


def num(value: float | None, digits: int = 2, *, sign: bool = True) -> str:
    """A number for a sentence: +0.61, -1.00, or n/a."""
    if value is None:
        return "n/a"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def ids_text(ids: list[str] | tuple[str, ...], limit: int = 6) -> str:
    ids = list(ids)
    if not ids:
        return "none"
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(ids[:limit]) + more


def span(lo: date, hi: date) -> str:
    """A window for a sentence: 2001, 2002-2004, or 2001-09-01 to 2001-12-31."""
    whole = lo.month == 1 and lo.day == 1 and hi.month == 12 and hi.day == 31
    if whole:
        return str(lo.year) if lo.year == hi.year else f"{lo.year}-{hi.year}"
    return f"{lo} to {hi}"


__all__ = ["RULES", "Finding", "Outcome", "Param", "check_params", "convert", "evaluate", "ids_text", "num",
           "plural", "rule_module", "span", "spec_default"]
