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


def _actors(coder, text, when=None):
    """(code, matched dictionary entry) of each actor the dictionaries find in ``text``."""
    return [(m.code, m.entry) for m in coder.lexicon.actors(coder.nlp(text), when)]


def test_a_misspelt_country_matches_at_one_edit_and_says_so(coder):
    assert triples(coder, "Ethopia accused Eritrea of shelling the border town.") == [("ETH", "ERI", "112")]
    assert _actors(coder, "Ethopia accused Eritrea.")[0] == ("ETH", "Ethiopia (fuzzy match of Ethopia)")
    assert triples(coder, "Afghanstan and Pakistn signed an agreement.") == [("AFG", "PAK", "057"), ("PAK", "AFG", "057")]
    assert triples(coder, "Zambai criticised Malawi.") == [("ZMB", "MWI", "111")]


def test_a_misspelling_as_close_to_two_countries_is_no_actor_and_an_exact_name_wins(coder):
    assert triples(coder, "Slovania criticised Hungary.") == []  # one edit from Slovenia and from Slovakia
    assert triples(coder, "Gambia criticised Senegal.") == [("GMB", "SEN", "111")]  # Zambia is one edit away too


def test_a_real_word_or_a_name_is_not_taken_for_a_misspelt_country(coder):
    assert triples(coder, "Angela criticised France.") == []  # Angola is one edit away
    assert _actors(coder, "Columbia University criticised Kenya.") == [("KEN", "Kenya")]
    assert _actors(coder, "Georgi Parvanov met Putin in Sofia.", date(2003, 1, 1)) == [
        ("RUSGOV", "Putin"), ("BGRGOV", "Sofia")]


def test_a_demonym_matches_only_capitalised_and_a_country_inside_a_place_name_is_no_actor(coder):
    assert triples(coder, "Poles protested against Russia.") == [("POL", "RUS", "140")]
    assert [c for c, _ in _actors(coder, "Workers put up telegraph poles near Russia.")] == ["RUS"]
    assert triples(coder, "Uzbekistan, a former Soviet republic, accused Tajikistan of harbouring rebels.") == [
        ("UZB", "TJK", "1121")]
    assert _actors(coder, "Chinese warships entered the South China Sea.") == [("CHNMIL", "Chinese + warships")]


def test_former_states_are_coded_as_their_successors(coder):
    assert triples(coder, "The Soviet Union accused Pakistan of arming the rebels.", date(1986, 1, 1)) == [
        ("RUS", "PAK", "112")]
    assert triples(coder, "Zaire expelled Belgian diplomats.", date(1990, 5, 1))[0][:2] == ("COD", "BELGOV")


@pytest.mark.parametrize("text, expected", [
    ("Tamil rebels attacked a Sri Lankan army base.", ("LKAREB", "LKAMIL", "190")),
    ("Uighurs protested against Chinese rule.", ("CHNETH", "CHN", "140")),
    ("Chechen rebels attacked Russian troops.", ("RUSREB", "RUSMIL", "190")),
    ("Kosovo Albanians accused Serbia of repression.", ("KOSETH", "SRB", "112")),
])
def test_an_ethnic_group_of_one_country_is_that_country(coder, text, expected):
    assert triples(coder, text, date(1998, 5, 1)) == [expected]


@pytest.mark.parametrize("text, when, expected", [
    ("The FARC kidnapped two Venezuelan engineers.", date(2001, 10, 8), ("COLREB", "VEN", "181")),
    ("The LTTE accused India of supporting the army.", date(2001, 10, 8), ("LKAREB", "IND", "1121")),
    ("Boko Haram attacked a village in Cameroon.", date(2014, 6, 1), ("NGAREB", "CMR", "190")),
    ("The Khmer Rouge accused Vietnam of aggression.", date(1985, 3, 1), ("KHMREB", "VNM", "1123")),
    ("Greenpeace criticised Japan.", date(2001, 10, 8), ("GPC", "JPN", "111")),
])
def test_an_armed_group_or_ngo_is_coded_with_its_country_or_kind(coder, text, when, expected):
    assert triples(coder, text, when) == [expected]
    if expected[0] == "GPC":
        assert coder.lexicon.organisation_types["GPC"] == "NGO"


def test_an_opposition_leader_takes_the_role_of_the_day(coder):
    assert triples(coder, "Tsvangirai met South African officials.", date(2002, 3, 1)) == [("ZWEOPP", "ZAFGOV", "044")]
    assert triples(coder, "Tsvangirai met South African officials.", date(2010, 3, 1)) == [("ZWEGOV", "ZAFGOV", "044")]


def test_an_ethnic_minority_is_not_its_kin_state(coder):
    assert _actors(coder, "Ethnic Russians in Latvia protested.") == [("LVA", "Latvia")]
    assert _actors(coder, "Albanians protested in Tirana.") == [("ALB", "Albanians"), ("ALBGOV", "Tirana")]


def test_a_name_matches_only_as_capitalised_as_written(coder):
    assert _actors(coder, "Rice criticised Iran.", date(2003, 1, 1)) == [("USAGOV", "Rice"), ("IRN", "Iran")]
    assert _actors(coder, "Iran imported rice and straw.", date(2003, 1, 1)) == [("IRN", "Iran")]
    assert _actors(coder, "He joined an armed Islamic group in Lebanon.") == [("LBN", "Lebanon")]
    assert _actors(coder, "The Armed Islamic Group attacked Algiers.")[0] == ("DZAREB", "Armed Islamic Group")
