"""Roles the parse gives only indirectly: targets inside objects and places, "between X and Y",
pronoun subjects of reported clauses, intentions, joint acts, denials, and source-only events
(docs/coding.md, "Who did it to whom")."""

from __future__ import annotations

from datetime import date

import pytest

from policyshift.coding.engine import Coder
from tests.coding.helpers import triples


def test_target_inside_the_object_and_subject_of_ready_to(coder):
    # no recipient among the objects: the nearest actor inside them ("a force in Liberia")
    assert triples(coder, "France is ready to send aid to a peacekeeping force in Liberia.") == [("FRA", "LBR", "033")]


def test_between_gives_each_coordinated_target(coder):
    assert triples(coder, "Egypt hosted talks between Israel and Syria.") == [("EGY", "ISR", "043"), ("EGY", "SYR", "043")]


def test_pronoun_subject_of_a_reported_clause_is_the_reporter(coder):
    assert triples(coder, "Syria says it will release Lebanese prisoners.") == [("SYR", "LBN", "0841")]


def test_a_place_in_the_source_country_is_no_target(coder, plover):
    assert triples(coder, "Indian police arrested protesters in Delhi.") == []
    # PLOVER takes the place as the target of a domestic event
    assert triples(plover, "Indian police arrested protesters in Delhi.") == [("INDCOP", "INDGOV", "173")]


def test_joint_acts_of_coordinated_subjects_go_both_ways(coder):
    assert triples(coder, "Israel and Jordan reached an agreement.") == [("ISR", "JOR", "037"), ("JOR", "ISR", "037")]


def test_agreeing_that_a_clause_happens_is_the_intent_to_do_it(coder):
    assert triples(coder, "India and Pakistan agreed that their countries should cooperate.") == [
        ("IND", "PAK", "031"), ("PAK", "IND", "031")]


def test_a_denied_clause_is_not_coded(coder):
    assert triples(coder, "Pakistan denied that it supports the Taliban.") == []


def test_source_only_events_only_when_asked(coder, plover):
    assert triples(coder, "The Taliban declared a ceasefire.") == []
    [event] = plover.code_text("The Taliban declared a ceasefire.", date=date(2001, 10, 8))
    assert (event.source_actor, event.target_actor, event.cameo_code) == ("TAL", None, "0871")
    assert event.target_name is None and event.target_sector is None and "target" not in event.offsets
    assert event.as_dict()["target_actor"] is None


def test_future_acts_are_intentions_only_when_asked(coder, plover):
    assert triples(coder, "Japan will provide aid to Afghanistan.") == [("JPN", "AFG", "070")]
    assert triples(plover, "Japan will provide aid to Afghanistan.") == [("JPN", "AFG", "033")]
    assert triples(plover, "Japan provided aid to Afghanistan.") == [("JPN", "AFG", "070")]


def test_organisations_of_no_country_are_typed(coder):
    types = coder.lexicon.organisation_types
    assert types["UNO"] == "IGO" and types["EUR"] == "IGO" and types["ICRC"] == "NGO"
    assert "USASPY" not in types  # the CIA is the United States'


TABARI_ACTORS = """PAKISTAN [PAK]
UNITED_STATES [USA]
+WASHINGTON
"""
TABARI_VERBS = """&NEGAUX
+DID NOT
+DID N'T

--- CLASH [190] ---
CLASH
- &NEGAUX * WITH + [904]
--- CRITICIZE [111] ---
CRITICIZE {CRITICISED}
--- SAY [010] ---
SAY {SAID SAYS}
--- LIFT [---] ---
LIFT
- * SANCTIONS [085]
"""


@pytest.fixture()
def tabari_coder(coder, tmp_path) -> Coder:
    from policyshift.coding import tabari

    (tmp_path / "T.actors.txt").write_text(TABARI_ACTORS, encoding="utf-8")
    (tmp_path / "T.verbs.txt").write_text(TABARI_VERBS, encoding="utf-8")
    return Coder(tabari.load(tmp_path, strict=True), nlp=coder.nlp)


@pytest.mark.parametrize("text", ["Pakistan did not clash with Washington.", "Pakistan didn't clash with Washington."])
def test_a_pattern_that_spells_out_the_negation_codes_it(tabari_coder, text):
    assert triples(tabari_coder, text) == [("PAK", "USA", "904")]


def test_a_negation_no_pattern_names_still_drops_the_event(tabari_coder):
    assert triples(tabari_coder, "Pakistan did not criticise Washington.") == []


def test_a_statement_clause_is_coded_on_its_own(tabari_coder):
    # "said" codes 010 (no target: no event); the clause it reports is the event
    assert triples(tabari_coder, "Pakistan said it would lift sanctions on Washington.") == [("PAK", "USA", "085")]


def test_a_statement_that_someone_must_act_is_a_demand(tabari_coder):
    assert ("USA", "PAK", "1054") in triples(tabari_coder, "Washington said Pakistan must lift sanctions.")


def test_will_not_is_a_refusal_only_in_the_plover_reading(tabari_coder):
    text = "Pakistan said it will not lift sanctions on Washington."
    assert triples(tabari_coder, text) == []
    plover = Coder(tabari_coder.lexicon, nlp=tabari_coder.nlp, future_intent=True)
    assert triples(plover, text) == [("PAK", "USA", "1244")]


def test_a_purpose_clause_shares_its_head_subject(coder):
    from policyshift.coding import roles

    doc = coder.nlp("NATO-member Norway is willing to send material to help defend Saudi Arabia if it is attacked.")
    [help_] = [t for t in doc if t.lower_ == "help"]
    assert help_.dep_ == "advcl"  # "to help ...": a purpose clause of "send"
    assert [t.text for t in roles.subject_heads(help_)] == ["Norway"]


def test_an_act_announced_unless_a_condition_is_met_is_a_threat(coder, plover):
    text = "India will resume talks with Pakistan unless the attacks continue."
    assert triples(coder, text) == [("IND", "PAK", "046")]
    assert triples(plover, text) == [("IND", "PAK", "130")]
