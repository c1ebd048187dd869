"""Dates resolved against the document's date."""

from __future__ import annotations

from datetime import date

import pytest

from policyshift.coding.dates import resolve

FRIDAY = date(2001, 10, 12)


@pytest.mark.parametrize("text, expected, precision", [
    ("They met on Thursday.", date(2001, 10, 11), "day"),
    ("They met on Friday.", FRIDAY, "day"),  # the story's own day
    ("They met last Friday.", date(2001, 10, 5), "day"),
    ("They met on Saturday.", date(2001, 10, 6), "day"),
    ("They met yesterday.", date(2001, 10, 11), "day"),
    ("They met last month.", date(2001, 9, 1), "month"),
    ("They met last year.", date(2000, 1, 1), "year"),
    ("They met in February.", date(2001, 2, 1), "month"),
    ("They met in November.", date(2000, 11, 1), "month"),  # the last November before the story
    ("They met on 7 October 2001.", date(2001, 10, 7), "day"),
    ("They met on October 7.", date(2001, 10, 7), "day"),
    ("They met on December 24.", date(2000, 12, 24), "day"),
    ("They met in May 1997.", date(1997, 5, 1), "month"),
    ("They met in 1999.", date(1999, 1, 1), "year"),
    ("They met on 2001-09-11.", date(2001, 9, 11), "day"),
    ("They met.", FRIDAY, "day"),
])
def test_resolve(text, expected, precision):
    r = resolve(text, FRIDAY)
    assert (r.date, r.precision) == (expected, precision)


def test_no_document_date_invents_nothing():
    assert resolve("They met on Thursday.", None).date is None
    assert resolve("They met.", None).precision is None
    assert resolve("They met in 1999.", None).date == date(1999, 1, 1)


def test_impossible_dates_are_skipped():
    assert resolve("They met on 31 February 2001.", FRIDAY).text is None


def test_carried_dates_follow_the_narrative(coder):
    from policyshift.coding.engine import Coder

    text = "On 22 November 2001 Pakistan closed the Taliban embassy. Pakistan expelled the Taliban ambassador."
    news = coder.code_text(text, date=date(2024, 7, 14))
    history = Coder(coder.lexicon, nlp=coder.nlp, carry_dates=True).code_text(text, date=date(2024, 7, 14))
    assert [e.date for e in news] == ["2001-11-22", "2024-07-14"]
    assert [e.date for e in history] == ["2001-11-22", "2001-11-22"]


def test_a_history_s_month_and_day_take_the_year_it_last_gave(coder):
    from policyshift.coding.engine import Coder

    text = ("On 11 September 2001 al-Qaeda attacked the United States. "
            "On October 7, American aircraft bombed Afghanistan. In December, Pakistan condemned India.")
    news = coder.code_text(text, date=date(2024, 7, 14))
    history = Coder(coder.lexicon, nlp=coder.nlp, carry_dates=True).code_text(text, date=date(2024, 7, 14))
    assert [e.date for e in news][1:] == ["2023-10-07", "2023-12-01"]  # news: the last such day before the story
    assert [e.date for e in history] == ["2001-09-11", "2001-10-07", "2001-12-01"]


def test_a_given_year_places_months_and_days_without_one():
    assert resolve("They met on October 7.", FRIDAY, year=2001).date == date(2001, 10, 7)
    assert resolve("They met in March.", FRIDAY, year=1999).date == date(1999, 3, 1)
    assert resolve("They met on 7 October 2005.", FRIDAY, year=2001).date == date(2005, 10, 7)
