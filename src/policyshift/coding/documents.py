"""Reading the documents to code: .txt, .md, .html (text extracted by trafilatura) and .jsonl
(one document a line: ``id``, ``date``, ``text``, optional ``source``).

A document that cannot be read (a line that is not JSON, no text, a bad date) is yielded as a
``BadDocument`` naming its line and why, so that the caller reports it and goes on with the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from policyshift.coding.engine import Document
from policyshift.errors import InputFileError

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
_DATE_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{2})-(\d{2})-(\d{4})\b")


@dataclass(frozen=True)
class BadDocument:
    where: str  # file:line
    doc_id: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: document {self.doc_id or '?'} skipped: {self.reason}"


def read_documents(path: str | Path, *, date: date | None = None) -> Iterator[Document | BadDocument]:
    """The documents of one input file, in order. ``date`` is the date of a single-document file
    (.txt, .md, .html); without it, a date written in its first lines ("PUBLISHED DATE: 14-07-2024",
    "2001-10-08") is used, else none."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError("no such file", where=str(path), fix="check the path")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputFileError(f"cannot code a {suffix or 'suffix-less'} file", where=str(path),
                             fix=f"give a {', '.join(SUFFIXES)} file")
    if suffix == ".jsonl":
        yield from _jsonl(path)
        return
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        yield BadDocument(path.name, path.stem, f"not UTF-8 (byte {e.start})")
        return
    if suffix in (".html", ".htm"):
        text = _html_text(text) or ""
    elif suffix == ".md":
        text = markdown_text(text)
    if not text.strip():
        yield BadDocument(path.name, path.stem, "no text")
        return
    yield Document(path.stem, text, date or _date_in(text), str(path.name), path.name, len(raw))


def _html_text(html: str) -> str | None:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    # trafilatura puts each block (heading, paragraph) on a line: a blank line ends its sentence.
    return None if text is None else text.replace("\n", "\n\n")


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$", re.MULTILINE)
_MD_MARKS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def markdown_text(md: str) -> str:
    """The prose of a Markdown document: headings as paragraphs of their own, no emphasis marks or
    link targets. Character offsets then refer to this text, which the events quote."""
    text = _MD_HEADING.sub(lambda m: m.group(1) + "\n", md)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    return _MD_MARKS.sub(lambda m: m.group(2), text)


def _date_in(text: str) -> date | None:
    """A date printed near the top of the document (its publication date), if any."""
    m = _DATE_IN_TEXT.search(text[:2000])
    if not m:
        return None
    try:
        if m.group(1):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return date(int(m.group(6)), int(m.group(5)), int(m.group(4)))  # DD-MM-YYYY
    except ValueError:
        return None


def _jsonl(path: Path) -> Iterator[Document | BadDocument]:
    offset = 0
    with open(path, "rb") as f:
        for n, raw in enumerate(f, start=1):
            offset += len(raw)
            where = f"{path.name}:{n}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                yield BadDocument(where, None, f"not a JSON object ({e.__class__.__name__}: {e})")
                continue
            if not isinstance(record, dict):
                yield BadDocument(where, None, "not a JSON object")
                continue
            doc_id = record.get("id")
            if doc_id in (None, ""):
                yield BadDocument(where, None, "has no id")
                continue
            doc_id = str(doc_id)
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield BadDocument(where, doc_id, "has no text")
                continue
            when = record.get("date")
            day = None
            if when not in (None, ""):
                try:
                    day = date.fromisoformat(str(when)[:10])
                except ValueError:
                    yield BadDocument(where, doc_id, f"date {when!r} is not YYYY-MM-DD")
                    continue
            source = record.get("source")
            yield Document(doc_id, text, day, str(source) if source is not None else None, where, offset)
