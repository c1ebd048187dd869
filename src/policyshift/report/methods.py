"""The methods section: the data behind the report, the measures, the detector, and the limits.

Written from the store and the spec, so the section describes this report's data rather than a
generic one: its files, counts, roles, and the settings actually used.
"""

from __future__ import annotations

from typing import Any

from policyshift.query import files, stats
from policyshift.report.workbench import Workbench
from policyshift.store import Store

MEASURES = [
    ("Quad classes", ("CAMEO's four kinds of event: verbal cooperation (codes 01-05), material cooperation "
                     "(06-08), verbal conflict (09-13), material conflict (14-20).")),
    ("Net cooperation", ("(cooperative - conflictual events) / events in a period or window: -1 when every event "
                        "is conflict, +1 when every event is cooperation.")),
    ("Goldstein weight", ("each CAMEO code's place on a scale from -10 (most conflictual) to +10 (most "
                         "cooperative).")),
    ("Say and do tones", ("say = (VC - VK) / (VC + VK) over verbal events, do = (MC - MK) / (MC + MK) over material "
                         "events; the say-do gap is say - do (below 0: deeds friendlier than words). The test of "
                         "the cooperation gap (verbal minus material cooperation share) is a t test of its "
                         "per-period mean with Newey-West standard errors.")),
    ("Triad", ("the interactions among a broker and two actors, both directions pooled; the broker's share is its "
              "interactions with either over all three pairs' interactions; Burt's constraint and effective size, "
              "and Gould-Fernandez liaison brokerage, as policyshift triad computes them.")),
    ("Roles", ("an actor code counts as a role (a movement as its country's government, say) only between the "
              "role's dates, so one query follows a government through changes of who holds it.")),
]


def methods_section(store: Store, bench: Workbench) -> dict[str, Any]:
    spec = bench.spec
    summary = stats(store, top=5)
    ingested = files(store)
    named = spec.named_actors
    # The package and the case may both know a role (the Taliban as AFGGOV): one row, both sources.
    roles: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in bench.backend.roles:
        if not any(r.role.startswith(a) or a.startswith(r.role) or r.code.startswith(a) for a in named):
            continue
        row = roles.setdefault((r.code, r.role, r.valid_from, r.valid_to),
                               {"code": r.code, "role": r.role, "valid_from": r.valid_from, "valid_to": r.valid_to,
                                "name": r.name, "sources": []})
        if r.source and r.source not in row["sources"]:
            row["sources"].append(r.source)
    d = spec.detector
    detector = (f"{d.method.upper()} (ruptures) on the per-{spec.by} net cooperation, l2 cost, penalty "
                f"{d.penalty if d.penalty != 'bic' else 'BIC (2 sigma^2 log n, sigma from the MAD of differences)'}, "
                f"segments of at least {d.min_size} periods; each candidate break confirmed by a permutation test "
                f"(999 permutations, seeded) against the segments beside it and kept when p <= {d.alpha:g}; a "
                f"break's confidence is 1 - p. Periods without events count as "
                f"{'0 (neutral)' if d.empty == 'zero' else 'missing (left out)'}. The driving events of a break are "
                f"the events of the last old and first new period that push the measure the way of the break, "
                f"largest contribution first (top {d.top}).")
    limits = [
        ("Event data record what was reported and coded, not all that happened: a quiet period may be an "
        "unreported one, and hand-coded case data are far sparser than machine-coded feeds."),
        (f"Events dated only to the month or year are left out of series finer than their precision (they are "
        f"never placed on an invented day); windows that start at {spec.at} start at the first day of its "
        f"{spec.by}, because such an event cannot be placed before or after a day inside it."),
        ("The permutation test treats periods as exchangeable under no change; strong autocorrelation makes its "
        "confidence optimistic. With sparse series, a return to silence after a burst of events can itself be "
        "found as a break."),
        ("Each finding is an operational rule, stated with its numbers: it tests the statement as the rule "
        "reads it, and a different, equally reasonable rule may judge differently."),
        ("CAMEO codes what an event is, not why; whether an accusation is true, or a refuge was state policy, is "
        "beyond what the codes say."),
    ]
    return {"events": summary["events"], "first": summary["first"], "last": summary["last"],
            "datasets": summary["datasets"], "files": ingested.to_dict("records"), "rows": summary["rows"],
            "roles": sorted(roles.values(), key=lambda r: (r["code"], str(r["valid_from"]))),
            "measures": MEASURES, "detector": detector, "limits": limits,
            "compliance_rule": "met: every fulfil rule has evidence and no violate rule has; partly met: some "
                               "fulfil rules have evidence, or fulfilment and violation both; violated: only "
                               "violation evidence; not met: no evidence and the window has closed; no evidence "
                               "yet: the window is still open (docs/demands.md)."}


__all__ = ["methods_section"]
