"""Precision and recall on our gold sentences, at (source country, target country, root code).

gold.jsonl was written before the coder; gold_heldout.jsonl after the dictionaries, before any
coding of it (docs/coding.md gives the figures and how they were reached); gold_dev.jsonl is the
development set written before the round of changes it guided; gold_heldout2.jsonl and
gold_heldout3.jsonl were written by new hands and never tuned to. A regression below the issue's
targets (precision 0.8, recall 0.7) fails here.
"""

from __future__ import annotations

import json

import pytest

from policyshift.coding.evaluate import score_gold
from tests.conftest import FIXTURES

GOLD = FIXTURES / "coding"


def _misses(score) -> str:
    """Each sentence coded otherwise than its gold, for a failure's message."""
    return "\n".join(f"{m['id']} {m['text']} coded={m['coded']} expected={m['expected']}" for m in score.misses)


@pytest.mark.parametrize("name", ["gold.jsonl", "gold_heldout.jsonl", "gold_dev.jsonl"])
def test_gold_precision_and_recall_meet_the_targets(coder, name):
    score = score_gold(coder, GOLD / name)
    detail = _misses(score)
    assert score.precision >= 0.8, detail
    assert score.recall >= 0.7, detail


@pytest.mark.parametrize(("name", "sentences"), [("gold_heldout2.jsonl", 40), ("gold_heldout3.jsonl", 50)])
def test_held_out_sets_meet_the_targets(coder, name, sentences):
    # Written by new hands and scored before the changes that followed them, never tuned to: held-out-2
    # first scored 0.800 / 0.558, held-out-3 0.721 / 0.608; after round 4, 0.861 / 0.721 and 0.905 / 0.745
    # (docs/coding.md). The issue's targets now hold on both.
    score = score_gold(coder, GOLD / name)
    detail = _misses(score)
    assert score.sentences == sentences
    assert score.precision >= 0.8, detail
    assert score.recall >= 0.7, detail


def test_documents_do_not_fall_below_their_blind_score(coder):
    # gold_docs.jsonl: 30 multi-sentence documents, 25 of their 58 events needing an actor named in an
    # earlier sentence; written blind and scored before the resolver (P 0.912, R 0.534), scored once after
    # it (0.919 / 0.586): a floor against regression, not the target (docs/coding.md).
    score = score_gold(coder, GOLD / "gold_docs.jsonl")
    detail = _misses(score)
    assert score.sentences == 30
    assert score.precision >= 0.9, detail
    assert score.recall >= 0.586, detail


def test_gold_set_covers_the_cases_the_issue_names():
    records = [json.loads(line) for line in (GOLD / "gold.jsonl").read_text().splitlines()]
    assert 60 <= len(records) <= 100
    assert sum(1 for r in records if not r["events"]) >= 10  # sentences with no event
    assert any(" not " in r["text"] and not r["events"] for r in records)  # negations
    assert any(len(r["events"]) >= 2 for r in records)  # coordination
    assert any(" by " in r["text"] and r["events"] for r in records)  # passives with an agent
    assert any(e["root"] == "12" for r in records for e in r["events"])  # refusals


def test_the_score_counts_what_it_should(coder, tmp_path):
    # One hit, one miss, one false alarm: P = R = 1/2.
    path = tmp_path / "g.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "date": "2001-10-08", "text": "Pakistan condemned the Taliban.",
         "events": [{"source": "PAK", "target": "TAL", "root": "11"}]},
        {"id": "b", "date": "2001-10-08", "text": "The weather was mild.",
         "events": [{"source": "USA", "target": "PAK", "root": "04"}]},
        {"id": "c", "date": "2001-10-08", "text": "India accused Pakistan of sponsoring terrorism.", "events": []},
    ]))
    score = score_gold(coder, path)
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)
    assert score.precision == score.recall == 0.5
    assert score.exact == 1
