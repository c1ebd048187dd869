"""Rule ``dual_track``: an actor cooperates with a partner while a second track with another side is recorded.

Over the window (from the period containing ``from`` to ``to``; every date precision), for the
actor toward the partner and toward the other side, the quad-class counts give

- net cooperation, (cooperative - conflictual) / events;
- the tone of words, say = (VC - VK) / (VC + VK), and of deeds, do = (MC - MK) / (MC + MK), and the
  say-do gap, say - do (policyshift.measure.saydo.gaps): below 0, the deeds are friendlier than
  the words.

The second track is material cooperation (quad class 2) of the actor toward the other side, or
accusations of the actor by anyone else (the ``accusation_codes``, in the event text one of the
``accusation_keywords`` if given). Holds when net cooperation toward the partner exceeds
``min_partner_net`` with at least one materially cooperative act, and the second track has at least
one event.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

import ibis
import pandas as pd

from policyshift.demands.evidence import has_keyword
from policyshift.measure.saydo import gaps
from policyshift.report.rules import Outcome, Param, ids_text, num, spec_default
from policyshift.report.spec import CaseSpec, DyadSpec
from policyshift.report.workbench import Counts, Workbench, period_label, period_start
from policyshift.selectors import matches

PARAMS = {
    "actor": Param("actor", spec_default("focal"), "whose policy (default: the spec's focal actor)"),
    "partner": Param("actor", help="the side it cooperates with openly, e.g. USA"),
    "other": Param("actor", help="the other side of the second track, e.g. TAL"),
    "from": Param("date", spec_default("at"), "the window's first date (default: the spec's at)"),
    "to": Param("date", lambda spec: spec.end, "the window's last date (default: the spec's to, else the data's end)"),
    "accusation_codes": Param("codes", ("112",), "CAMEO codes of accusations (default 112, accuse)"),
    "accusation_keywords": Param("words", (), "words one of which the accusation's text must contain"),
    "min_partner_net": Param("float", 0.0, "net cooperation toward the partner must exceed this", low=-1.0, high=1.0),
}


def describe(p: dict[str, Any], spec: CaseSpec) -> str:
    words = f" whose text names {' or '.join(p['accusation_keywords'])}" if p["accusation_keywords"] else ""
    return (f"Holds if, from {period_label(p['from'], spec.by)} to {p['to'] or 'the end of the data'}, {p['actor']}'s net cooperation toward {p['partner']} "
            f"exceeds {p['min_partner_net']:g} with at least one materially cooperative act, while at least one "
            f"materially cooperative act of {p['actor']} toward {p['other']}, or one accusation of {p['actor']} "
            f"(CAMEO {', '.join(p['accusation_codes'])}{words}) by another actor, is recorded. The say-do gap "
            f"(tone of words minus tone of deeds) is reported for both dyads.")


def tones(c: Counts) -> dict[str, Any]:
    g = gaps(c.frame()).iloc[0]

    def value(name: str) -> float | None:
        return None if pd.isna(g[name]) else float(g[name])

    return {"events": c.events, "verbal_coop": c.n("verbal_coop"), "material_coop": c.n("material_coop"),
            "verbal_conflict": c.n("verbal_conflict"), "material_conflict": c.n("material_conflict"),
            "net_cooperation": c.net_cooperation, "say_tone": value("say_tone"), "do_tone": value("do_tone"),
            "tone_gap": value("tone_gap"), "coop_gap": value("coop_gap"), "event_ids": c.ids()}


def accusations(bench: Workbench, p: dict[str, Any], lo: Any, hi: Any) -> list[str]:
    t = bench.backend.events
    roles = bench.backend.roles
    code = functools.reduce(operator.or_, [t.cameo_code.startswith(c) for c in p["accusation_codes"]])
    cond = (code.fill_null(False) & matches(t.target_actor, t.date, p["actor"], roles)
            & ~matches(t.source_actor, t.date, p["actor"], roles)
            & (t.date >= ibis.literal(lo)) & (t.date <= ibis.literal(hi)))
    if p["accusation_keywords"]:
        cond &= has_keyword(t, tuple(k.lower() for k in p["accusation_keywords"]))
    rows = bench.backend.execute(t.filter(cond).select("event_id", "date").order_by(["date", "event_id"]))
    return [str(i) for i in rows["event_id"]]


def _tone_text(d: dict[str, Any]) -> str:
    return (f"words {num(d['say_tone'])} ({d['verbal_coop']} cooperative, {d['verbal_conflict']} conflictual), "
            f"deeds {num(d['do_tone'])} ({d['material_coop']} cooperative, {d['material_conflict']} conflictual)")


def evaluate(bench: Workbench, p: dict[str, Any]) -> Outcome:
    lo, hi = period_start(p["from"], bench.spec.by), p["to"] or bench.end
    partner = tones(bench.counts(DyadSpec(p["actor"], p["partner"]), lo, hi))
    other_counts = bench.counts(DyadSpec(p["actor"], p["other"]), lo, hi)
    other = tones(other_counts)
    covert = list(other_counts.material_coop)
    accused = accusations(bench, p, lo, hi)
    numbers = {"window": {"from": lo.isoformat(), "to": hi.isoformat()}, "partner": {"dyad": f"{p['actor']} -> "
               f"{p['partner']}", **partner}, "other": {"dyad": f"{p['actor']} -> {p['other']}", **other},
               "material_cooperation_with_other": covert, "accusations": accused}
    open_track = partner["net_cooperation"] is not None and partner["net_cooperation"] > p["min_partner_net"] \
        and partner["material_coop"] >= 1
    second = bool(covert or accused)
    holds = open_track and second
    a, pa, ot = p["actor"], p["partner"], p["other"]
    summary = (f"{a}->{pa} net {num(partner['net_cooperation'])} ({partner['events']} events, "
               f"{partner['material_coop']} material coop); {a}->{ot} say {num(other['say_tone'])} vs do "
               f"{num(other['do_tone'])} (gap {num(other['tone_gap'])}); material coop with {ot}: {ids_text(covert)}; "
               f"accusations: {ids_text(accused)}")
    parts = [(f"From {period_label(lo, bench.spec.by)} to {hi}, {a} toward {pa}: net cooperation {num(partner['net_cooperation'])} over "
             f"{partner['events']} events; {_tone_text(partner)}."),
             f"{a} toward {ot}: net cooperation {num(other['net_cooperation'])} over {other['events']} events; "
             f"{_tone_text(other)}; say-do gap {num(other['tone_gap'])}"
             + (" (deeds friendlier than words)." if (other["tone_gap"] or 0) < 0 else "."),
             f"Material cooperation with {ot}: {ids_text(covert)}. Accusations of {a}: {ids_text(accused)}."]
    if holds:
        head = "It holds."
    elif not open_track:
        head = f"The data do not support it: there is no open cooperation of {a} with {pa} in the window."
    else:
        head = f"The data do not support it: no second track (material cooperation with {ot}, or accusations) " \
               f"is recorded in the window."
    ids = tuple(dict.fromkeys([*partner["event_ids"], *covert, *accused]))
    return Outcome(holds, " ".join([head, *parts]), summary, numbers, ids)
