"""Render the report's context with its Jinja template (templates/report.html.j2) into one HTML file."""

from __future__ import annotations

import functools
import math
from typing import Any

from policyshift.demands import date_label
from policyshift.errors import UsageError
from policyshift.report.sections import anchor


def fmt_num(value: Any, digits: int = 2, sign: bool = False) -> str:
    if value is None:
        return "n/a"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "n/a"
    return f"{number:+.{digits}f}" if sign else f"{number:.{digits}f}"


@functools.cache
def _environment() -> Any:
    try:
        from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
        from markupsafe import Markup, escape
    except ImportError:
        raise UsageError("the HTML report needs Jinja2, which is not installed", where="policyshift report",
                         fix="pip install jinja2 (or reinstall policyshift with its dependencies)") from None

    env = Environment(loader=PackageLoader("policyshift.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    # An id links to its row in the timeline where it has one; the timeline of a big store is limited.
    @pass_context
    def event_link(context: Any, event_id: str) -> Markup:
        if event_id in context.get("anchored", ()):
            return Markup('<a class="ev" href="#ev-{}">{}</a>').format(anchor(event_id), escape(event_id))
        return Markup('<code class="ev">{}</code>').format(escape(event_id))

    @pass_context
    def event_links(context: Any, ids: Any, limit: int = 12) -> Markup:
        ids = [str(i) for i in ids or ()]
        if not ids:
            return Markup("none")
        shown = Markup(", ").join(event_link(context, i) for i in ids[:limit])
        return shown + (Markup(" and {} more").format(len(ids) - limit) if len(ids) > limit else Markup(""))

    env.filters["num"] = fmt_num
    env.filters["ev"] = event_link
    env.filters["evs"] = event_links
    env.filters["anchor"] = anchor
    env.filters["datelabel"] = date_label
    return env


def render(context: dict[str, Any]) -> str:
    return str(_environment().get_template("report.html.j2").render(**context))


__all__ = ["fmt_num", "render"]
