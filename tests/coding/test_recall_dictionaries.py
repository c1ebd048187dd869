"""Recall from the built-in dictionaries and roles (docs/coding.md, "Measured"): leaders with date-ranged
roles, peoples named in the plural, stative passives ("is opposed to"), "be critical of", CAMEO patterns
for protest, mobilisation, sanctions and easing, and, in source-only coding, the country where an
unnamed group acted. Sentence in, event out."""

from __future__ import annotations

from datetime import date

import pytest

from tests.coding.helpers import triples


def test_leaders_are_actors_only_while_in_office(coder):
    assert triples(coder, "Mitterrand welcomed de Klerk in Paris.", date(1990, 5, 10)) == [("FRAGOV", "ZAFGOV", "051")]
    assert triples(coder, "Yeltsin criticised Clinton over Bosnia.", date(1995, 5, 10)) == [("RUSGOV", "USAGOV", "111")]
    assert triples(coder, "Yeltsin criticised Clinton over Bosnia.", date(2005, 5, 10)) == []  # Yeltsin left in 1999


def test_a_people_in_the_plural_and_the_prc_are_actors(coder):
    assert triples(coder, "Palestinians blamed Israel for the bombing.") == [("PSE", "ISR", "112")]
    assert triples(coder, "The PRC condemned the American arms sales to Taiwan.") == [("CHN", "TWN", "111")]


def test_a_stative_passive_subject_is_the_actor_but_a_passive_with_an_agent_stays_passive(coder):
    assert triples(coder, "Israel is opposed to French mediation.") == [("ISR", "FRA", "110")]
    assert triples(coder, "Vietnam is committed to closer ties with China.") == [("VNM", "CHN", "030")]
    assert triples(coder, "Pakistan was opposed by India at the talks.") == [("IND", "PAK", "110")]


def test_be_critical_of_and_be_supportive_of(coder):
    assert triples(coder, "Pakistan was critical of the American strikes.") == [("PAK", "USA", "111")]
    assert triples(coder, "China has been supportive of Pakistan.") == [("CHN", "PAK", "051")]
    assert triples(coder, "The weather in Islamabad was cold on Monday.") == []


@pytest.mark.parametrize("text, expected", [
    ("Israel lifted its blockade of Lebanon.", ("ISR", "LBN", "085")),
    ("The United Nations reduced food supplies to North Korea.", ("UNO", "PRK", "162")),
    ("Russia strengthened its forces on the border with Georgia.", ("RUS", "GEO", "154")),
    ("Israel mounted an invasion of Lebanon.", ("ISR", "LBN", "190")),
    ("Egypt ordered Israel to withdraw its ambassador.", ("EGY", "ISR", "100")),
    ("Kenya held a meeting with Somalia.", ("KEN", "SOM", "040")),
    ("Denmark accepted the proposal of the European Union.", ("DNK", "EUR", "030")),
    ("Latvia cancelled restrictions on Russian media.", ("LVA", "RUSMED", "081")),
    ("Zambia reneged on its commitment to Britain.", ("ZMB", "GBR", "160")),
    ("Israeli troops abused Palestinian prisoners.", ("ISRMIL", "PSE", "182")),
])
def test_general_cameo_patterns(coder, text, expected):
    assert triples(coder, text) == [expected]


def test_halting_mediation_reaches_each_party(coder):
    assert triples(coder, "The United Nations halted its mediation between Serbia and Croatia.") == [
        ("UNO", "HRV", "165"), ("UNO", "SRB", "165")]


def test_an_unnamed_group_acting_in_a_country_is_that_country_in_source_only_coding(coder, plover):
    text = "Thousands of students in Indonesia blocked roads."
    assert triples(plover, text) == [("IDN", None, "144")]  # CAMEO 144: obstruct passage
    assert triples(coder, text) == []  # dyadic: no named source, no event
    assert triples(plover, "Palestinian prisoners began a hunger strike to protest against Israel.") == [
        ("PSE", None, "142")]


def test_an_announced_protest_or_curfew_is_a_threat_in_the_plover_reading(coder, plover):
    text = "Palestinian leaders said they would boycott all official contact with the United States."
    assert ("PSEGOV", "USA", "133") in [(e.source_actor, e.target_actor, e.cameo_code) for e in plover.code_text(text)]
    assert [(e.source_actor, e.target_actor, e.cameo_code) for e in coder.code_text(text)] == [("PSEGOV", "USA", "143")]
    events = plover.code_text("Algeria said it would extend the curfew in Algiers.")  # the place: PLOVER's target
    assert ("DZA", "DZAGOV", "132") in [(e.source_actor, e.target_actor, e.cameo_code) for e in events]


def test_more_capitals_stand_for_their_governments(coder):
    assert triples(coder, "Khartoum accused Nairobi of arming the rebels.") == [("SDNGOV", "KENGOV", "112")]
    assert triples(coder, "Jakarta expelled the UN refugee agency.") == [("IDNGOV", "UNHCR", "174")]


def test_an_unknown_named_group_acting_in_a_country_is_that_country_in_source_only_coding(coder, plover):
    text = "Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia."
    assert triples(plover, text) == [("SRB", None, "141")]
    assert triples(coder, text) == []
