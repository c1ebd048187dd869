"""The seed article, coded and compared with the built-in case (issue 5, point 5).

The article is analysis, mostly in agentless passives ("the embassy was closed", "Abu Zubaydah
was arrested"), which the coder does not code (no source actor): docs/coding.md reports the figures.
"""

from __future__ import annotations

from importlib.resources import files

from policyshift.coding.documents import read_documents
from policyshift.coding.engine import Coder
from policyshift.coding.evaluate import compare_case
from policyshift.roles import load_roles
from tests.conftest import shared_path


def test_seed_article_codes_and_meets_the_case(coder):
    [path] = sorted(shared_path("seed").glob("*.txt"))
    [doc] = read_documents(path)
    historian = Coder(coder.lexicon, nlp=coder.nlp, carry_dates=True)
    events = historian.code_text(doc.text, date=doc.date, doc_id=doc.id)
    assert events, "the seed article yields events"
    for e in events:  # every event quotes its sentence and its actors where they are
        assert doc.text[e.offsets["sentence"][0]:e.offsets["sentence"][1]] == e.sentence
        assert doc.text[e.offsets["source"][0]:e.offsets["source"][1]] == e.source_name
        assert e.date is not None and e.date < "2024"  # dates carried from the narrative, not the publication
    case = files("policyshift.cases.pakistan_2001")
    report = compare_case(events, str(case / "events.csv"), coder.lexicon)
    assert report["case_events"] >= 85  # the case's events (85 when this was written; the case grows)
    assert report["case_events_found"] >= 2, report
    # Read through the case's roles (the Taliban are AFG until 2001-11-13), "On October 7, the US and
    # British air forces attacked ... in Afghanistan" is the case's strike on the Taliban, on its day.
    with_roles = compare_case(events, str(case / "events.csv"), coder.lexicon, roles=load_roles(str(case / "roles.yaml")))
    dated = [f["event_id"] for f in with_roles["found"] if f["dated_match"]]
    assert "pk:021" in dated, with_roles
