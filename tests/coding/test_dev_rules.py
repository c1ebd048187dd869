"""Rules and entries added on the development set (tests/fixtures/coding/gold_dev.jsonl, docs/coding.md):
acts named by idioms or nouns, a second act in a participle clause, "told X to" as a demand, "retaliated
by ...ing", a place in a passive subject, an appositive naming the country, a reporter's "its troops",
and the lemmatiser's slips. Sentence in, event out; none of these sentences is in a gold set."""

from __future__ import annotations

from datetime import date

import pytest

from tests.coding.helpers import triples as coded


def triples(coder, text, when=date(2005, 6, 1)):
    return coded(coder, text, when, no_target="-")


@pytest.mark.parametrize(("text", "expected"), [
    ("Iran lashed out at Britain over the arrest of its diplomats.", ("IRN", "GBR", "111")),
    ("Iran branded Britain a liar.", ("IRN", "GBR", "111")),
    ("Germany rushed medical supplies to Pakistan after the floods.", ("DEU", "PAK", "070")),
    ("China sent 10,000 tons of rice to North Korea.", ("CHN", "PRK", "070")),
    ("Pakistan asked China for financial assistance.", ("PAK", "CHN", "023")),
    ("The African Union suspended Egypt's membership.", ("AFU", "EGY", "160")),
    ("Japan announced a freeze of aid to Myanmar.", ("JPN", "MMR", "160")),
    ("Thousands of Afghans sought refuge in Pakistan.", ("AFG", "PAK", "0233")),
    ("North Korea hacked into the networks of South Korean banks.", ("PRK", "KOR", "170")),
    ("The UN withdrew its inspectors from Iraq.", ("UNO", "IRQ", "166")),
])
def test_acts_named_by_idioms_and_nouns(coder, text, expected):
    assert triples(coder, text) == [expected]


def test_told_to_is_a_demand(coder):
    # "to withdraw" makes it CAMEO's demand for withdrawal (106), root 10
    assert triples(coder, "Washington told Syria to withdraw its troops from Lebanon.") == [("USAGOV", "SYR", "106")]


def test_a_participle_clause_is_a_second_act_of_the_subject_on_the_same_target(coder):
    assert triples(coder, "Britain cut its aid to Rwanda, accusing it of backing rebels in Congo.") == [
        ("GBR", "RWA", "1121"), ("GBR", "RWA", "162")]


def test_retaliated_by_and_resorted_to_name_the_act(coder):
    assert triples(coder, "Moscow retaliated by expelling two American diplomats.", date(2001, 3, 23)) == [
        ("RUSGOV", "USAGOV", "174")]  # not "retaliate" (190)
    assert triples(coder, "The Palestinians resorted to throwing stones at Israeli troops.") == [("PSE", "ISRMIL", "145")]
    # parsed as a noun phrase with a clause ("youths" the root): the root noun is the subject
    assert triples(coder, "Palestinian youths resorted to throwing stones at Israeli soldiers.") == [("PSE", "ISRMIL", "145")]


def test_a_passive_subject_in_a_country_is_that_country(coder):
    assert triples(coder, "The regime in Syria was condemned by France.") == [("FRA", "SYR", "111")]


def test_an_appositive_names_the_country(coder):
    assert triples(coder, "Sidhoum, Algeria's best-known activist, criticised France.") == [("DZA", "FRA", "111")]


def test_the_reporters_own_troops(coder):
    assert triples(coder, "Damascus said its troops had completed their withdrawal from Lebanon.") == [
        ("SYRGOV", "LBN", "0874")]


def test_a_lemmatiser_slip_falls_back_to_the_stem(plover):
    # spaCy lemmatises "staged" as "stag"; the pattern is "stage hunger strike" (142)
    got = triples(plover, "Salaheddine Sidhoum, Algeria's leading human rights activist, staged a hunger strike.")
    assert ("DZA", "-", "142") in got


def test_sworn_to_attack_is_a_threat(plover):
    assert triples(plover, "The Taliban swore to attack Kabul.", date(2000, 1, 1)) == [("TAL", "AFGGOV", "138")]


def test_new_leaders_in_office(coder):
    assert triples(coder, "Saakashvili met Putin in Moscow.", date(2006, 6, 1)) == [("GEOGOV", "RUSGOV", "044")]
    assert triples(coder, "Mwanawasa criticised Mugabe.", date(2007, 3, 1)) == [("ZMBGOV", "ZWEGOV", "111")]
    assert triples(coder, "Mwanawasa criticised Mugabe.", date(2010, 3, 1)) == []  # died 2008
