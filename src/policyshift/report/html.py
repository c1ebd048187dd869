"""Render the report's context with its Jinja template (templates/report.html.j2) into one HTML file."""

from __future__ import annotations

import functools
from typing import Any

from policyshift.demands import date_label
from policyshift.report.sections import anchor


def fmt_num(value: Any, digits: int = 2, sign: bool = False) -> str:
    if value is None:
        return "n/a"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:  # NaN
        return "n/a"
    return f"{number:+.{digits}f}" if sign else f"{number:.{digits}f}"


@functools.cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup, escape

    env = Environment(loader=PackageLoader("policyshift.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def event_link(event_id: str) -> Markup:
        return Markup('<a class="ev" href="#ev-{}">{}</a>').format(anchor(event_id), escape(event_id))

    def event_links(ids: Any) -> Markup:
        return Markup(", ").join(event_link(str(i)) for i in ids) if ids else Markup("none")

    env.filters["num"] = fmt_num
    env.filters["ev"] = event_link
    env.filters["evs"] = event_links
    env.filters["anchor"] = anchor
    env.filters["datelabel"] = date_label
    return env


def render(context: dict[str, Any]) -> str:
    return str(_environment().get_template("report.html.j2").render(**context))


__all__ = ["fmt_num", "render"]
