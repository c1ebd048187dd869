"""Actor roles with date ranges: who counts as whom, when.

A role row says that events whose actor code starts with ``code`` count as ``role`` from
``valid_from`` to ``valid_to`` (inclusive; open-ended when ``valid_to`` is None). The package ships
the well-known ones (data/roles.yaml); a store keeps its own in the ``actors`` table, so cases and
users can add theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from policyshift.errors import InputFileError

BUILTIN_SOURCE = "policyshift roles.yaml"


@dataclass(frozen=True)
class Role:
    code: str
    role: str
    valid_from: date | None
    valid_to: date | None
    name: str | None = None
    source: str | None = None

    def active(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def yaml_date(value: Any, *, where: str, field: str) -> date | None:
    """A date from a YAML file (a date, an ISO string, or blank for open-ended)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputFileError("not a date", where=where, field=field, value=value, fix="use YYYY-MM-DD") from None


def parse_roles(data: Any, where: str) -> list[Role]:
    """Roles from parsed YAML (a list of mappings with code, role, from, to, name, source)."""
    if not isinstance(data, list):
        raise InputFileError("a roles file is a list of entries", where=where,
                             fix="see docs/measure.md for the format")
    roles = []
    for i, entry in enumerate(data, start=1):
        at = f"{where} entry {i}"
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("role"):
            raise InputFileError("each entry needs code and role", where=at, fix="add them")
        role = Role(code=str(entry["code"]).upper(), role=str(entry["role"]).upper(),
                    valid_from=yaml_date(entry.get("from"), where=at, field="from"), valid_to=yaml_date(entry.get("to"), where=at, field="to"),
                    name=entry.get("name"), source=entry.get("source"))
        if role.valid_from and role.valid_to and role.valid_from > role.valid_to:
            raise InputFileError("from is after to", where=at, field="from", value=str(role.valid_from),
                                 fix="swap the dates")
        roles.append(role)
    return roles


def load_roles(path: str | Path) -> list[Role]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise InputFileError(f"cannot read the roles file ({e})".replace("\n", " "), where=str(path),
                             fix="check that it is YAML") from None
    return parse_roles(data, str(path))


def builtin_roles() -> list[Role]:
    text = files("policyshift.data").joinpath("roles.yaml").read_text(encoding="utf-8")
    return [Role(r.code, r.role, r.valid_from, r.valid_to, r.name, r.source or BUILTIN_SOURCE)
            for r in parse_roles(yaml.safe_load(text), "roles.yaml")]
