"""Scoring the coder: against a gold set of sentences, and against the built-in case's events.

Both compare at the level of (source, target, root code), an actor counted by its country where it
has one (PAKGOV and PAKMIL are both PAK) and by its own code otherwise (TAL, ALQ, UNO, NATO). The case
comparison can also read actors through the case's roles, as its measures do: the Taliban are AFG
from 1996-09-27 to 2001-11-13, so "bombed Afghanistan" on 2001-10-07 is the case's strike on the Taliban.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from policyshift.coding.dictionaries import country_of
from policyshift.coding.engine import CodedEvent, Coder
from policyshift.roles import Role

Triple = tuple[str, str, str]


def key(code: str, lexicon: Any = None) -> str:
    return country_of(code, lexicon) or code


def triple(event: CodedEvent) -> Triple:
    # A source-only event has no target: "" in the triple, as gold writes none.
    return (event.source_country or event.source_actor, event.target_country or event.target_actor or "",
            event.root_code)


@dataclass
class GoldScore:
    sentences: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0  # sentences whose coded set equals the gold set
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {"sentences": self.sentences, "events_expected": self.tp + self.fn, "events_coded": self.tp + self.fp,
                "true_positives": self.tp, "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "exact_sentences": self.exact}


def score_gold(coder: Coder, path: str | Path) -> GoldScore:
    """Code each gold sentence (JSONL: id, date, text, events [{source, target, root}]) and score it."""
    score = GoldScore()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            gold = json.loads(line)
            when = date.fromisoformat(gold["date"]) if gold.get("date") else None
            got = {triple(e) for e in coder.code_text(gold["text"], date=when, doc_id=gold["id"])}
            want = {(e["source"], e["target"], e["root"]) for e in gold["events"]}
            score.sentences += 1
            score.tp += len(got & want)
            score.fp += len(got - want)
            score.fn += len(want - got)
            score.exact += got == want
            if got != want:
                score.misses.append({"id": gold["id"], "text": gold["text"], "coded": sorted(got),
                                     "expected": sorted(want)})
    return score


def _actor(code: str, day: date | None, roles: list[Role], lexicon: Any) -> str:
    """An actor as the comparison counts it: through the first role it holds that day, else itself."""
    held = next((r.role for r in roles if day is not None and code.startswith(r.code) and r.active(day)), None)
    return key(held or code, lexicon)


def case_events(path: str | Path, lexicon: Any = None, roles: list[Role] | None = None) -> list[tuple[str, Triple, date]]:
    """(event id, triple, date) of each event of a case's events.csv."""
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            day = date.fromisoformat(row["date"])
            out.append((row["event_id"], (_actor(row["source_actor"], day, roles or [], lexicon),
                                          _actor(row["target_actor"], day, roles or [], lexicon),
                                          row["cameo_code"][:2]), day))
    return out


def _coded_triple(event: CodedEvent, roles: list[Role], lexicon: Any) -> Triple:
    if not roles:
        return triple(event)
    day = date.fromisoformat(event.date) if event.date else None
    return (_actor(event.source_actor, day, roles, lexicon),
            _actor(event.target_actor, day, roles, lexicon) if event.target_actor else "", event.root_code)


def compare_case(events: list[CodedEvent], case_csv: str | Path, lexicon: Any = None, *,
                 window_days: int = 31, roles: list[Role] | None = None) -> dict[str, Any]:
    """Which of the case's events the coded events find: by (source, target, root) alone, and with a
    coded date within ``window_days`` of the case's date as well. ``roles`` (the case's roles.yaml) reads
    the actors of both sides through the roles they held on their dates."""
    roles = roles or []
    coded = Counter(_coded_triple(e, roles, lexicon) for e in events)
    dated: dict[Triple, list[date]] = {}
    for e in events:
        if e.date:
            dated.setdefault(_coded_triple(e, roles, lexicon), []).append(date.fromisoformat(e.date))
    case = case_events(case_csv, lexicon, roles)
    found = [(eid, t, d) for eid, t, d in case if t in coded]
    found_dated = [eid for eid, t, d in found if any(abs((c - d).days) <= window_days for c in dated.get(t, []))]
    case_set = {t for _, t, _ in case}
    return {
        "case_events": len(case), "case_events_found": len(found), "case_events_found_dated": len(found_dated),
        "window_days": window_days,
        "found": [{"event_id": eid, "source": t[0], "target": t[1], "root": t[2], "date": d.isoformat(),
                   "dated_match": eid in found_dated} for eid, t, d in found],
        "coded_events": len(events),
        "coded_in_case": sum(n for t, n in coded.items() if t in case_set),
        "coded_by_triple": {"/".join(t): n for t, n in coded.most_common()},
    }
