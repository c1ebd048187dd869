"""Which spec a case page may read: a built-in case, or a YAML file inside the ``--specs`` folder.

A URL never names a path of its own: ``spec=builtin:pakistan_2001``, or ``spec=powell.yaml`` (a
file directly or below the folder the server was started with). Anything that resolves outside
that folder (``../``, absolute paths, links pointing out) is refused before a file is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from policyshift.errors import UsageError
from policyshift.web.errors import NotFound

BUILTIN_PREFIX = "builtin:"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class SpecRef:
    """A resolved spec: its demands file (if any) and the ledger's defaults (focal actor, date)."""

    name: str
    title: str
    demands: Path | None
    focal: str
    at: date | None
    ledger_window: int = 365
    ledger_rules: Path | None = None

    def demands_spec(self) -> Any:
        from policyshift.demands import load_spec

        if self.demands is None:
            raise UsageError(f"the case {self.name} has no demands spec", where="spec",
                             fix="name a case with a 'demands:' file, or a demands spec")
        return load_spec(self.demands)


def builtin_names() -> tuple[str, ...]:
    from policyshift.report.spec import BUILTIN_CASES

    return tuple(f"{BUILTIN_PREFIX}{n}" for n in BUILTIN_CASES)


def resolve(spec: str, specs_dir: Path | None) -> SpecRef:
    """The SpecRef a URL's ``spec=`` names; 400 for a path outside ``specs_dir``, 404 for a missing one."""
    from policyshift.report.spec import BUILTIN_CASES, load_case_spec

    text = spec.strip()
    if text.startswith(BUILTIN_PREFIX):
        name = text[len(BUILTIN_PREFIX):]
        if name not in BUILTIN_CASES:
            raise NotFound(f"no built-in case named {name!r}", field="spec",
                           fix=f"use one of {', '.join(builtin_names())}")
        return _from_case(text, load_case_spec(name))
    path = inside(text, specs_dir)
    data = _read_yaml(path)
    if isinstance(data, dict) and "focal" in data:
        return _from_case(text, load_case_spec(path))
    from policyshift.demands import load_spec

    demands = load_spec(path)
    return SpecRef(text, demands.name, path, demands.target, demands.issued)


def inside(name: str, specs_dir: Path | None) -> Path:
    """``specs_dir / name`` if it is a YAML file inside ``specs_dir``; never any other path."""
    if specs_dir is None:
        raise UsageError(f"spec {name!r} is not a built-in case, and this server reads no spec files", field="spec",
                         fix=f"use {' or '.join(builtin_names())}, or start the server with --specs DIR")
    base = specs_dir.resolve()
    candidate = Path(name)
    if not name or candidate.is_absolute() or ".." in candidate.parts or "\\" in name or "\x00" in name:
        raise UsageError(f"spec {name!r} is not a file name inside the server's spec folder", field="spec",
                         fix="name a YAML file of the --specs folder, e.g. demands.yaml")
    path = (base / candidate).resolve()
    if not path.is_relative_to(base) or path.suffix.lower() not in SUFFIXES:
        raise UsageError(f"spec {name!r} is not a YAML file inside the server's spec folder", field="spec",
                         fix="name a .yaml file of the --specs folder")
    if not path.is_file():
        raise NotFound(f"no spec named {name!r} in the server's spec folder", field="spec",
                       fix=f"see the case page's list of specs, or use {builtin_names()[0]}")
    return path


def available(specs_dir: Path | None) -> list[str]:
    """What the case page offers: the built-in cases, then the YAML files of the spec folder."""
    names = list(builtin_names())
    if specs_dir is not None and specs_dir.is_dir():
        base = specs_dir.resolve()
        names += sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.suffix.lower() in SUFFIXES
                        and p.is_file() and p.resolve().is_relative_to(base))
    return names


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None  # the loaders below report what is wrong, with the line


def _from_case(name: str, case: Any) -> SpecRef:
    return SpecRef(name, case.name, case.demands, case.focal, case.at, case.ledger_window, case.ledger_rules)
