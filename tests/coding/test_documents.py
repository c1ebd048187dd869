"""Reading documents: .jsonl (bad documents reported, not fatal), .txt, .md, .html."""

from __future__ import annotations

from datetime import date

import pytest

from policyshift.coding.documents import BadDocument, read_documents
from policyshift.errors import InputFileError
from tests.conftest import FIXTURES

DOCS = FIXTURES / "coding"


def test_jsonl_reports_each_bad_document_with_its_line_and_reason():
    items = list(read_documents(DOCS / "docs.jsonl"))
    bad = [str(i) for i in items if isinstance(i, BadDocument)]
    good = [i for i in items if not isinstance(i, BadDocument)]
    assert [d.id for d in good] == ["afp-1", "afp-2", "afp-1", "afp-5"]  # the duplicate id is the caller's to refuse
    assert good[0].date == date(2001, 10, 8) and good[0].source == "https://example.org/afp-1"
    assert bad == [("docs.jsonl:3: document ? skipped: not a JSON object (JSONDecodeError: Expecting value: line 1 "
                   "column 1 (char 0))"),
                   "docs.jsonl:4: document afp-3 skipped: date '22/09/2001' is not YYYY-MM-DD",
                   "docs.jsonl:5: document afp-4 skipped: has no text"]


def test_html_is_reduced_to_its_article_text():
    [doc] = read_documents(DOCS / "story.html")
    assert "Colin Powell met President Pervez Musharraf" in doc.text
    assert "cookies" not in doc.text and "Sign in" not in doc.text  # boilerplate dropped


def test_markdown_marks_are_removed_and_its_date_found():
    [doc] = read_documents(DOCS / "story.md")
    assert doc.date == date(2002, 1, 3)
    assert "#" not in doc.text and "*" not in doc.text
    assert doc.text.startswith("India and Pakistan\n")


def test_text_file_takes_the_given_date(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Pakistan condemned the Taliban.")
    [doc] = read_documents(path, date=date(2001, 9, 18))
    assert (doc.id, doc.date) == ("note", date(2001, 9, 18))


def test_a_file_that_is_not_utf8_is_a_bad_document(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Pakistan condemned the Taliban \xe9.".encode("latin-1"))
    [bad] = read_documents(path)
    assert isinstance(bad, BadDocument) and "not UTF-8" in bad.reason


@pytest.mark.parametrize("name, message", [("missing.txt", "no such file"), ("doc.pdf", "cannot code a .pdf file")])
def test_unreadable_inputs_are_one_clear_error(tmp_path, name, message):
    if name.endswith(".pdf"):
        (tmp_path / name).write_bytes(b"%PDF")
    with pytest.raises(InputFileError, match=message):
        list(read_documents(tmp_path / name))
